-- The role the serving process reads as: it can select, nothing else. `portal serve`
-- switches to it on every connection (SET ROLE) and marks its transactions read-only,
-- so a bug in the API cannot write. Roles belong to the whole server, hence IF NOT EXISTS.
DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'portal_reader') THEN
        CREATE ROLE portal_reader NOLOGIN;
    END IF;
END
$$;

GRANT USAGE ON SCHEMA public TO portal_reader;
GRANT SELECT ON ALL TABLES IN SCHEMA public TO portal_reader;
-- Tables made later by the role that migrates and imports (a release's partition).
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT ON TABLES TO portal_reader;
