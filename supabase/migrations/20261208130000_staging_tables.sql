-- Imports and the MT5 sync stage their rows in temporary tables (issue 16,
-- docs/decisions/017, app/models/staged-copy.server.ts): COPY … FROM STDIN into
-- a table of the transaction's own (ON COMMIT DROP), then one INSERT … SELECT
-- into public.trades, public.trade_legs and public.cash_movements, which RLS's
-- WITH CHECK still guards. The COPY runs as the role the transaction took on —
-- authenticated for a user's import, service_role for the sync — and creating a
-- temporary table needs the TEMPORARY privilege on the database for that role.
--
-- PostgreSQL gives TEMPORARY to PUBLIC on every new database, so this usually
-- changes nothing; it is granted by name so that an operator who revokes it
-- from PUBLIC does not break every import. Only the database's owner (or a
-- holder of the grant option) can grant it: for any other role running the
-- migrations GRANT merely warns, and then, if the roles still lack it, the
-- migration stops and says what to run, rather than leaving imports to fail.
do $$
begin
  execute format('grant temporary on database %I to authenticated, service_role', current_database());
  if not has_database_privilege('authenticated', current_database(), 'TEMPORARY')
     or not has_database_privilege('service_role', current_database(), 'TEMPORARY') then
    raise exception 'imports and the sync stage rows in temporary tables: as the owner of database %, run: grant temporary on database % to authenticated, service_role',
      current_database(), current_database();
  end if;
end
$$;
