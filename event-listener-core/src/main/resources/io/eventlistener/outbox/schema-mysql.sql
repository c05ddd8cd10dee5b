create table if not exists event_listener_outbox (
	message_id varchar(255) primary key,
	exchange_name varchar(255) not null,
	routing_key varchar(255) not null,
	content_type varchar(255),
	body longtext not null,
	created_at timestamp(6) not null,
	trace_context text,
	index event_listener_outbox_created_at (created_at)
);
-- ordering (decision 0085): added to a table made by an earlier version too; rows already there get a seq.
-- MariaDB's "if not exists" (MySQL has none for columns: see docs/reference/operations.md for MySQL)
alter table event_listener_outbox add column if not exists seq bigint not null auto_increment unique;
alter table event_listener_outbox add column if not exists ordering_key varchar(255);
alter table event_listener_outbox add column if not exists transaction_id varchar(36);
-- tracing (decision 0090)
alter table event_listener_outbox add column if not exists trace_context text;
create index if not exists event_listener_outbox_ordering_key on event_listener_outbox (ordering_key, seq);
create index if not exists event_listener_outbox_transaction_id on event_listener_outbox (transaction_id, seq);
