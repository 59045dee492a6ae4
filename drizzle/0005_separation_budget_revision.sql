CREATE TABLE "request_budget" (
	"address" text PRIMARY KEY NOT NULL,
	"tokens" double precision NOT NULL,
	"refilled_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "assessment" ADD COLUMN "self_reviewed" boolean DEFAULT false NOT NULL;--> statement-breakpoint
-- Worth nothing after a crash and written on every tenth request: no write-ahead log for it.
ALTER TABLE "request_budget" SET UNLOGGED;
--> statement-breakpoint
-- Leadership's cached dashboard names who is on security duty now and next: the rota tables and
-- people's names are read by it, so their changes move the data revision too
-- (revision-coverage.test.ts fails when a cached value reads a table without this trigger).
CREATE TRIGGER "rota_dashboard_revision" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "rota" FOR EACH STATEMENT EXECUTE FUNCTION "bump_dashboard_revision"();
--> statement-breakpoint
CREATE TRIGGER "rota_member_dashboard_revision" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "rota_member" FOR EACH STATEMENT EXECUTE FUNCTION "bump_dashboard_revision"();
--> statement-breakpoint
CREATE TRIGGER "rota_swap_dashboard_revision" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "rota_swap" FOR EACH STATEMENT EXECUTE FUNCTION "bump_dashboard_revision"();
--> statement-breakpoint
CREATE TRIGGER "user_dashboard_revision" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "user" FOR EACH STATEMENT EXECUTE FUNCTION "bump_dashboard_revision"();
