-- Passwords of the service logins, set once when the database volume is first
-- initialised (the supabase/postgres image runs init-scripts then). The
-- Supabase services share POSTGRES_PASSWORD, as in Supabase's own compose
-- file; authenticator (PostgREST's and the jobs' login) and rawjournal_web
-- (the web process's, docs/decisions/021) get their own.
\set pgpass `echo "$PGPASSWORD"`
\set authenticator_pass `echo "$AUTHENTICATOR_PASSWORD"`
\set web_pass `echo "$WEB_DB_PASSWORD"`

alter user supabase_admin with password :'pgpass';
alter user authenticator with password :'authenticator_pass';
alter user pgbouncer with password :'pgpass';
alter user supabase_auth_admin with password :'pgpass';
alter user supabase_storage_admin with password :'pgpass';

-- Migration 20261208100000 creates rawjournal_web without a password when it
-- is missing and grants it what it may do; created here first, it gets its
-- password with no manual step.
create role rawjournal_web login noinherit;
alter role rawjournal_web with password :'web_pass';
