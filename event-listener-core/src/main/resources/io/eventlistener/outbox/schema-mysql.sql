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
