-- Realtime keeps its tenants and migrations in _realtime (DB_AFTER_CONNECT_QUERY
-- in docker-compose.yml), owned by the login it connects as.
create schema if not exists _realtime;
alter schema _realtime owner to supabase_admin;
