-- Every change to what a session check reads (the session, its user, the user's second factors)
-- notifies the `session_change` channel with what changed: `s:<session id>` or `u:<user id>`,
-- or `*` when a table is truncated. The embedded database (one process, one connection) keeps
-- the session checks it has read and drops them on these notifications, which are delivered at
-- commit, before the writer's code goes on (auth/session-cache.ts). A new session needs none:
-- it was never read. PostgreSQL servers ignore the channel: they read the session every time.
CREATE FUNCTION "notify_session_change"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF TG_OP = 'TRUNCATE' THEN
		PERFORM pg_notify('session_change', '*');
	ELSIF TG_TABLE_NAME = 'session' THEN
		PERFORM pg_notify('session_change', 's:' || OLD.id);
	ELSIF TG_TABLE_NAME = 'user' THEN
		PERFORM pg_notify('session_change', 'u:' || OLD.id);
	ELSIF TG_OP = 'DELETE' THEN
		PERFORM pg_notify('session_change', 'u:' || OLD.user_id);
	ELSE
		PERFORM pg_notify('session_change', 'u:' || NEW.user_id);
	END IF;
	RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER "session_session_change" AFTER UPDATE OR DELETE ON "session" FOR EACH ROW EXECUTE FUNCTION "notify_session_change"();
--> statement-breakpoint
CREATE TRIGGER "session_session_truncate" AFTER TRUNCATE ON "session" FOR EACH STATEMENT EXECUTE FUNCTION "notify_session_change"();
--> statement-breakpoint
CREATE TRIGGER "user_session_change" AFTER UPDATE OR DELETE ON "user" FOR EACH ROW EXECUTE FUNCTION "notify_session_change"();
--> statement-breakpoint
CREATE TRIGGER "user_session_truncate" AFTER TRUNCATE ON "user" FOR EACH STATEMENT EXECUTE FUNCTION "notify_session_change"();
--> statement-breakpoint
CREATE TRIGGER "user_totp_session_change" AFTER INSERT OR UPDATE OR DELETE ON "user_totp" FOR EACH ROW EXECUTE FUNCTION "notify_session_change"();
--> statement-breakpoint
CREATE TRIGGER "user_totp_session_truncate" AFTER TRUNCATE ON "user_totp" FOR EACH STATEMENT EXECUTE FUNCTION "notify_session_change"();
--> statement-breakpoint
CREATE TRIGGER "passkey_session_change" AFTER INSERT OR UPDATE OR DELETE ON "passkey" FOR EACH ROW EXECUTE FUNCTION "notify_session_change"();
--> statement-breakpoint
CREATE TRIGGER "passkey_session_truncate" AFTER TRUNCATE ON "passkey" FOR EACH STATEMENT EXECUTE FUNCTION "notify_session_change"();
