-- The checks of who may open or change a team's assessment read the team, the membership, the
-- whole assessment row and the cycle (auth/guard.ts), and are kept per team like the pages
-- (teams/team-cache.ts). The assessment's update trigger therefore watches every column but its
-- score and updated_at, which move with its answers and practice settings: their triggers drop
-- every entry showing that assessment already. A save still fires one trigger (the answer's).
DROP TRIGGER "assessment_team_change_update" ON "assessment";
--> statement-breakpoint
CREATE TRIGGER "assessment_team_change_update" AFTER UPDATE ON "assessment" FOR EACH ROW WHEN (OLD."status" IS DISTINCT FROM NEW."status" OR OLD."model_version" IS DISTINCT FROM NEW."model_version" OR OLD."submitted_at" IS DISTINCT FROM NEW."submitted_at" OR OLD."submitted_by" IS DISTINCT FROM NEW."submitted_by" OR OLD."submitted_unanswered" IS DISTINCT FROM NEW."submitted_unanswered" OR OLD."reviewed_at" IS DISTINCT FROM NEW."reviewed_at" OR OLD."reviewed_by" IS DISTINCT FROM NEW."reviewed_by" OR OLD."review_comment" IS DISTINCT FROM NEW."review_comment" OR OLD."self_reviewed" IS DISTINCT FROM NEW."self_reviewed" OR OLD."created_at" IS DISTINCT FROM NEW."created_at" OR OLD."cycle_id" <> NEW."cycle_id" OR OLD."team_id" <> NEW."team_id" OR OLD."id" <> NEW."id") EXECUTE FUNCTION "notify_team_change"();
