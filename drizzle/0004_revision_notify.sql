-- Besides taking a new revision number, every change to the dashboard's tables notifies the
-- `dashboard_revision` channel. The embedded database (one process, one connection) listens and
-- so knows the revision without reading the sequence on every page view; NOTIFY is delivered at
-- commit and not at all on rollback, and repeated notifications in one transaction fold into one.
CREATE OR REPLACE FUNCTION "bump_dashboard_revision"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	PERFORM nextval('dashboard_revision');
	PERFORM pg_notify('dashboard_revision', '');
	RETURN NULL;
END;
$$;
