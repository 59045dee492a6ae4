-- The reviewer's workspace (assessments/review-workspace.ts) and the claims the pipelines are
-- checked against (evidence/claims.ts) are kept per team like the team page (teams/team-cache.ts,
-- migration 0019), so what they read beyond the team page notifies `team_change` too: questions
-- and their messages name their assessment (`a:<id>`); an answer's comment, evidence and author
-- and a practice's not-applicable reason are watched beside the columns the team page reads; and
-- renaming anyone drops every team's entries (`*`), because a workspace names reviewers and
-- answer authors who need not belong to the team. team-cache.test.ts asks PostgreSQL which
-- tables and columns each kept statement reads and fails when one is not watched here or in 0019.
CREATE FUNCTION "notify_question_message_change"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF TG_OP = 'TRUNCATE' THEN
		PERFORM pg_notify('team_change', '*');
		RETURN NULL;
	END IF;
	IF TG_OP <> 'INSERT' THEN
		PERFORM pg_notify('team_change', 'a:' || q.assessment_id::text)
		FROM review_question q WHERE q.id = OLD.question_id;
	END IF;
	IF TG_OP <> 'DELETE' THEN
		PERFORM pg_notify('team_change', 'a:' || q.assessment_id::text)
		FROM review_question q WHERE q.id = NEW.question_id;
	END IF;
	RETURN NULL;
END;
$$;
--> statement-breakpoint
DROP TRIGGER "answer_team_change_update" ON "answer";
--> statement-breakpoint
CREATE TRIGGER "answer_team_change_update" AFTER UPDATE ON "answer" FOR EACH ROW WHEN (OLD."value" IS DISTINCT FROM NEW."value" OR OLD."comment" IS DISTINCT FROM NEW."comment" OR OLD."evidence" IS DISTINCT FROM NEW."evidence" OR OLD."updated_by" IS DISTINCT FROM NEW."updated_by" OR OLD."criterion_id" <> NEW."criterion_id" OR OLD."assessment_id" <> NEW."assessment_id") EXECUTE FUNCTION "notify_assessment_rows_change"();
--> statement-breakpoint
DROP TRIGGER "assessment_practice_team_change_update" ON "assessment_practice";
--> statement-breakpoint
CREATE TRIGGER "assessment_practice_team_change_update" AFTER UPDATE ON "assessment_practice" FOR EACH ROW WHEN (OLD."target" IS DISTINCT FROM NEW."target" OR OLD."not_applicable" IS DISTINCT FROM NEW."not_applicable" OR OLD."not_applicable_reason" IS DISTINCT FROM NEW."not_applicable_reason" OR OLD."practice_id" <> NEW."practice_id" OR OLD."assessment_id" <> NEW."assessment_id") EXECUTE FUNCTION "notify_assessment_rows_change"();
--> statement-breakpoint
CREATE TRIGGER "review_question_team_change" AFTER INSERT OR UPDATE OR DELETE ON "review_question" FOR EACH ROW EXECUTE FUNCTION "notify_assessment_rows_change"();
--> statement-breakpoint
CREATE TRIGGER "review_question_team_truncate" AFTER TRUNCATE ON "review_question" FOR EACH STATEMENT EXECUTE FUNCTION "notify_team_change"();
--> statement-breakpoint
CREATE TRIGGER "question_message_team_change" AFTER INSERT OR UPDATE OR DELETE ON "question_message" FOR EACH ROW EXECUTE FUNCTION "notify_question_message_change"();
--> statement-breakpoint
CREATE TRIGGER "question_message_team_truncate" AFTER TRUNCATE ON "question_message" FOR EACH STATEMENT EXECUTE FUNCTION "notify_question_message_change"();
--> statement-breakpoint
CREATE FUNCTION "notify_every_team_change"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	PERFORM pg_notify('team_change', '*');
	RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER "user_renamed_team_change" AFTER UPDATE OF "name" ON "user" FOR EACH ROW WHEN (OLD."name" IS DISTINCT FROM NEW."name") EXECUTE FUNCTION "notify_every_team_change"();
