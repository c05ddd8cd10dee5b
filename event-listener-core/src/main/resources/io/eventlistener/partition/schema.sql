create table if not exists event_listener_member (
	group_name varchar(255) not null,
	member_id varchar(255) not null,
	joined_at bigint not null,
	heartbeat_at bigint not null,
	primary key (group_name, member_id)
);
create table if not exists event_listener_assignment (
	group_name varchar(255) primary key,
	generation bigint not null,
	owners text not null,
	rebalanced_at bigint not null
);
