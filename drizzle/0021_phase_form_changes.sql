-- The phase form's rows (assessments/phase-form.ts) are kept per team like the team page and the
-- reviewer's workspace (teams/team-cache.ts, migrations 0019 and 0020). They also read each
-- answer's and each practice's version (what a save's conflict check compares), so the update
-- triggers watch those too. No more triggers fire on a save: a version moves only with a change
-- to a column they watched already. team-cache.test.ts fails when a kept statement reads a
-- column no trigger watches.
DROP TRIGGER "answer_team_change_update" ON "answer";
--> statement-breakpoint
CREATE TRIGGER "answer_team_change_update" AFTER UPDATE ON "answer" FOR EACH ROW WHEN (OLD."value" IS DISTINCT FROM NEW."value" OR OLD."comment" IS DISTINCT FROM NEW."comment" OR OLD."evidence" IS DISTINCT FROM NEW."evidence" OR OLD."updated_by" IS DISTINCT FROM NEW."updated_by" OR OLD."version" IS DISTINCT FROM NEW."version" OR OLD."criterion_id" <> NEW."criterion_id" OR OLD."assessment_id" <> NEW."assessment_id") EXECUTE FUNCTION "notify_assessment_rows_change"();
--> statement-breakpoint
DROP TRIGGER "assessment_practice_team_change_update" ON "assessment_practice";
--> statement-breakpoint
CREATE TRIGGER "assessment_practice_team_change_update" AFTER UPDATE ON "assessment_practice" FOR EACH ROW WHEN (OLD."target" IS DISTINCT FROM NEW."target" OR OLD."not_applicable" IS DISTINCT FROM NEW."not_applicable" OR OLD."not_applicable_reason" IS DISTINCT FROM NEW."not_applicable_reason" OR OLD."version" IS DISTINCT FROM NEW."version" OR OLD."practice_id" <> NEW."practice_id" OR OLD."assessment_id" <> NEW."assessment_id") EXECUTE FUNCTION "notify_assessment_rows_change"();
