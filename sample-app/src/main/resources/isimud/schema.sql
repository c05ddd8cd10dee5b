-- The isimud profile: Rails' migrations own the subscriptions table (Hibernate changes no schema there), so the
-- sample's own table is made here when it is missing. PostgreSQL.
create table if not exists delivery (
	id bigserial primary key,
	subscription_id bigint not null,
	routing_key varchar(255) not null,
	handled_at timestamp(6) with time zone not null
);
