-- Passwords of the service logins, set once when the database volume is first
-- initialised (the supabase/postgres image runs init-scripts then). The
-- Supabase services share POSTGRES_PASSWORD, as in Supabase's own compose
-- file; authenticator (the app's and PostgREST's login) gets its own.
\set pgpass `echo "$PGPASSWORD"`
\set authenticator_pass `echo "$AUTHENTICATOR_PASSWORD"`

alter user supabase_admin with password :'pgpass';
alter user authenticator with password :'authenticator_pass';
alter user pgbouncer with password :'pgpass';
alter user supabase_auth_admin with password :'pgpass';
alter user supabase_storage_admin with password :'pgpass';
