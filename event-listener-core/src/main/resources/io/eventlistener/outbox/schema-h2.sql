create table if not exists event_listener_outbox (
	message_id varchar(255) primary key,
	exchange_name varchar(255) not null,
	routing_key varchar(255) not null,
	content_type varchar(255),
	body text not null,
	created_at timestamp not null,
	trace_context text
);
create index if not exists event_listener_outbox_created_at on event_listener_outbox (created_at);
