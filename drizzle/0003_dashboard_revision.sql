-- Dashboard figures are cached per revision of the data they are made of. Every statement that
-- changes one of these tables takes a new number from this sequence (sequences take no row locks,
-- so concurrent writers never wait on each other), and a reader compares one number instead of
-- scanning tables. Triggers, not application code, so no writer can forget.
CREATE SEQUENCE "dashboard_revision";
--> statement-breakpoint
CREATE FUNCTION "bump_dashboard_revision"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	PERFORM nextval('dashboard_revision');
	RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER "org_unit_dashboard_revision" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "org_unit" FOR EACH STATEMENT EXECUTE FUNCTION "bump_dashboard_revision"();
--> statement-breakpoint
CREATE TRIGGER "team_dashboard_revision" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "team" FOR EACH STATEMENT EXECUTE FUNCTION "bump_dashboard_revision"();
--> statement-breakpoint
CREATE TRIGGER "team_member_dashboard_revision" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "team_member" FOR EACH STATEMENT EXECUTE FUNCTION "bump_dashboard_revision"();
--> statement-breakpoint
CREATE TRIGGER "cycle_dashboard_revision" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "cycle" FOR EACH STATEMENT EXECUTE FUNCTION "bump_dashboard_revision"();
--> statement-breakpoint
CREATE TRIGGER "assessment_dashboard_revision" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "assessment" FOR EACH STATEMENT EXECUTE FUNCTION "bump_dashboard_revision"();
--> statement-breakpoint
CREATE TRIGGER "assessment_practice_dashboard_revision" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "assessment_practice" FOR EACH STATEMENT EXECUTE FUNCTION "bump_dashboard_revision"();
--> statement-breakpoint
CREATE TRIGGER "assessment_phase_dashboard_revision" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "assessment_phase" FOR EACH STATEMENT EXECUTE FUNCTION "bump_dashboard_revision"();
--> statement-breakpoint
CREATE TRIGGER "tool_category_dashboard_revision" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "tool_category" FOR EACH STATEMENT EXECUTE FUNCTION "bump_dashboard_revision"();
--> statement-breakpoint
CREATE TRIGGER "tool_dashboard_revision" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "tool" FOR EACH STATEMENT EXECUTE FUNCTION "bump_dashboard_revision"();
--> statement-breakpoint
CREATE TRIGGER "tool_adoption_dashboard_revision" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "tool_adoption" FOR EACH STATEMENT EXECUTE FUNCTION "bump_dashboard_revision"();
--> statement-breakpoint
CREATE TRIGGER "adoption_snapshot_dashboard_revision" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "adoption_snapshot" FOR EACH STATEMENT EXECUTE FUNCTION "bump_dashboard_revision"();
--> statement-breakpoint
CREATE TRIGGER "responsibility_dashboard_revision" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "responsibility" FOR EACH STATEMENT EXECUTE FUNCTION "bump_dashboard_revision"();
--> statement-breakpoint
CREATE TRIGGER "certificate_dashboard_revision" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "certificate" FOR EACH STATEMENT EXECUTE FUNCTION "bump_dashboard_revision"();
