create table if not exists event_listener_inbox (
	queue_name varchar(255) not null,
	delivery_id varchar(255) not null,
	handled_at timestamp(6) not null,
	primary key (queue_name, delivery_id),
	index event_listener_inbox_handled_at (handled_at)
);
