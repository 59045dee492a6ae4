-- Every change to what the team page reads (teams/team-page.ts, teamPageQuery) notifies the
-- `team_change` channel with the id of the team whose page changed, or `*` when a table is
-- truncated or a change can touch many teams (a cycle, an org unit, a user deleted). The
-- embedded database (one process, one connection) keeps the team pages it has read and drops
-- one on these notifications, which are delivered at commit, before the writer's code goes on
-- (teams/team-cache.ts); nothing is sent on rollback. PostgreSQL servers ignore the
-- channel: they read the team page every time. team-cache.test.ts asks PostgreSQL which
-- tables the page reads and fails when one has no trigger here.
--
-- Tables with a team id (an UPDATE that moves a row notifies both teams), the team itself, a
-- user's name, email or active flag (their teams and the teams whose plan items they own, not
-- a sign-in's other columns), a user's lessons and quiz attempts (their teams: champions'
-- training shows on the page). Triggers with a WHEN clause list the columns the page reads; the
-- test checks the page reads no other column of those tables.
CREATE FUNCTION "notify_team_change"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
	old_team uuid;
	new_team uuid;
BEGIN
	IF TG_OP = 'TRUNCATE' OR TG_LEVEL = 'STATEMENT' THEN
		PERFORM pg_notify('team_change', '*');
		RETURN NULL;
	END IF;
	IF TG_TABLE_NAME = 'user' THEN
		PERFORM pg_notify('team_change', t.team_id::text)
		FROM (SELECT team_id FROM team_member WHERE user_id = OLD.id
			UNION SELECT team_id FROM plan_item WHERE owner_id = OLD.id) t;
		RETURN NULL;
	END IF;
	IF TG_TABLE_NAME IN ('lesson_progress', 'quiz_attempt') THEN
		IF TG_OP <> 'INSERT' THEN
			PERFORM pg_notify('team_change', team_id::text) FROM team_member WHERE user_id = OLD.user_id;
		END IF;
		IF TG_OP <> 'DELETE' THEN
			PERFORM pg_notify('team_change', team_id::text) FROM team_member WHERE user_id = NEW.user_id;
		END IF;
		RETURN NULL;
	END IF;
	IF TG_TABLE_NAME = 'team' THEN
		IF TG_OP <> 'INSERT' THEN old_team := OLD.id; END IF;
		IF TG_OP <> 'DELETE' THEN new_team := NEW.id; END IF;
	ELSE
		IF TG_OP <> 'INSERT' THEN old_team := OLD.team_id; END IF;
		IF TG_OP <> 'DELETE' THEN new_team := NEW.team_id; END IF;
	END IF;
	IF old_team IS NOT NULL THEN
		PERFORM pg_notify('team_change', old_team::text);
	END IF;
	IF new_team IS NOT NULL AND new_team IS DISTINCT FROM old_team THEN
		PERFORM pg_notify('team_change', new_team::text);
	END IF;
	RETURN NULL;
END;
$$;
--> statement-breakpoint
-- An assessment's answers, practice and phase rows carry the assessment, not the team, and
-- saving one answer writes a row in each of answer, assessment_practice, assessment_phase and
-- assessment in one statement. Looking the team up from here (in a row trigger, or once per
-- statement over a transition table) added 0.13 to 0.17 ms of CPU to each save on PGlite;
-- naming the assessment (`a:<assessment id>`) costs no lookup: the kept page knows its team's
-- assessments, and a new assessment or one moved to another team notifies its teams from the
-- assessment's own trigger. Updates notify only when a column the page shows changes, and the
-- scores (assessment.score, the practice's score and achieved level, the phase's score) are not
-- among them: they are computed from the answers' values and the practice settings, in the
-- statement or transaction that changes those (saveAnswer, savePracticeSettings, a cycle
-- opened), which notifies already. Each trigger that fires costs a save about 0.025 ms of CPU
-- on PGlite even when it does nothing, so a save fires one (the answer's) instead of four:
-- about +0.04 ms per save instead of +0.1. A new writer of scores alone must notify too
-- (team-cache.test.ts lists these columns).
CREATE FUNCTION "notify_assessment_rows_change"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
	sent text;
BEGIN
	IF TG_OP = 'DELETE' THEN
		sent := pg_notify('team_change', 'a:' || OLD.assessment_id::text);
	ELSE
		sent := pg_notify('team_change', 'a:' || NEW.assessment_id::text);
		IF TG_OP = 'UPDATE' AND OLD.assessment_id <> NEW.assessment_id THEN
			sent := pg_notify('team_change', 'a:' || OLD.assessment_id::text);
		END IF;
	END IF;
	RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER "team_team_change" AFTER INSERT OR UPDATE OR DELETE ON "team" FOR EACH ROW EXECUTE FUNCTION "notify_team_change"();
--> statement-breakpoint
CREATE TRIGGER "team_member_team_change" AFTER INSERT OR UPDATE OR DELETE ON "team_member" FOR EACH ROW EXECUTE FUNCTION "notify_team_change"();
--> statement-breakpoint
CREATE TRIGGER "assessment_team_change" AFTER INSERT OR DELETE ON "assessment" FOR EACH ROW EXECUTE FUNCTION "notify_team_change"();
--> statement-breakpoint
CREATE TRIGGER "assessment_team_change_update" AFTER UPDATE ON "assessment" FOR EACH ROW WHEN (OLD."status" IS DISTINCT FROM NEW."status" OR OLD."cycle_id" <> NEW."cycle_id" OR OLD."team_id" <> NEW."team_id" OR OLD."id" <> NEW."id") EXECUTE FUNCTION "notify_team_change"();
--> statement-breakpoint
CREATE TRIGGER "plan_item_team_change" AFTER INSERT OR UPDATE OR DELETE ON "plan_item" FOR EACH ROW EXECUTE FUNCTION "notify_team_change"();
--> statement-breakpoint
CREATE TRIGGER "tool_adoption_team_change" AFTER INSERT OR UPDATE OR DELETE ON "tool_adoption" FOR EACH ROW EXECUTE FUNCTION "notify_team_change"();
--> statement-breakpoint
CREATE TRIGGER "rota_team_change" AFTER INSERT OR UPDATE OR DELETE ON "rota" FOR EACH ROW EXECUTE FUNCTION "notify_team_change"();
--> statement-breakpoint
CREATE TRIGGER "rota_member_team_change" AFTER INSERT OR UPDATE OR DELETE ON "rota_member" FOR EACH ROW EXECUTE FUNCTION "notify_team_change"();
--> statement-breakpoint
CREATE TRIGGER "rota_swap_team_change" AFTER INSERT OR UPDATE OR DELETE ON "rota_swap" FOR EACH ROW EXECUTE FUNCTION "notify_team_change"();
--> statement-breakpoint
CREATE TRIGGER "lesson_progress_team_change" AFTER INSERT OR UPDATE OR DELETE ON "lesson_progress" FOR EACH ROW EXECUTE FUNCTION "notify_team_change"();
--> statement-breakpoint
CREATE TRIGGER "quiz_attempt_team_change" AFTER INSERT OR UPDATE OR DELETE ON "quiz_attempt" FOR EACH ROW EXECUTE FUNCTION "notify_team_change"();
--> statement-breakpoint
CREATE TRIGGER "user_team_change" AFTER UPDATE OF "id", "name", "email", "active" ON "user" FOR EACH ROW WHEN (OLD."name" IS DISTINCT FROM NEW."name" OR OLD."email" IS DISTINCT FROM NEW."email" OR OLD."active" IS DISTINCT FROM NEW."active" OR OLD."id" <> NEW."id") EXECUTE FUNCTION "notify_team_change"();
--> statement-breakpoint
CREATE TRIGGER "user_deleted_team_change" AFTER DELETE ON "user" FOR EACH STATEMENT EXECUTE FUNCTION "notify_team_change"();
--> statement-breakpoint
CREATE TRIGGER "cycle_team_change" AFTER UPDATE OR DELETE ON "cycle" FOR EACH STATEMENT EXECUTE FUNCTION "notify_team_change"();
--> statement-breakpoint
CREATE TRIGGER "org_unit_team_change" AFTER UPDATE OR DELETE ON "org_unit" FOR EACH STATEMENT EXECUTE FUNCTION "notify_team_change"();
--> statement-breakpoint
CREATE TRIGGER "answer_team_change" AFTER INSERT OR DELETE ON "answer" FOR EACH ROW EXECUTE FUNCTION "notify_assessment_rows_change"();
--> statement-breakpoint
CREATE TRIGGER "answer_team_change_update" AFTER UPDATE ON "answer" FOR EACH ROW WHEN (OLD."value" IS DISTINCT FROM NEW."value" OR OLD."criterion_id" <> NEW."criterion_id" OR OLD."assessment_id" <> NEW."assessment_id") EXECUTE FUNCTION "notify_assessment_rows_change"();
--> statement-breakpoint
CREATE TRIGGER "assessment_practice_team_change" AFTER INSERT OR DELETE ON "assessment_practice" FOR EACH ROW EXECUTE FUNCTION "notify_assessment_rows_change"();
--> statement-breakpoint
CREATE TRIGGER "assessment_practice_team_change_update" AFTER UPDATE ON "assessment_practice" FOR EACH ROW WHEN (OLD."target" IS DISTINCT FROM NEW."target" OR OLD."not_applicable" IS DISTINCT FROM NEW."not_applicable" OR OLD."practice_id" <> NEW."practice_id" OR OLD."assessment_id" <> NEW."assessment_id") EXECUTE FUNCTION "notify_assessment_rows_change"();
--> statement-breakpoint
CREATE TRIGGER "assessment_phase_team_change" AFTER INSERT OR DELETE ON "assessment_phase" FOR EACH ROW EXECUTE FUNCTION "notify_assessment_rows_change"();
--> statement-breakpoint
CREATE TRIGGER "assessment_phase_team_change_update" AFTER UPDATE ON "assessment_phase" FOR EACH ROW WHEN (OLD."phase" <> NEW."phase" OR OLD."assessment_id" <> NEW."assessment_id") EXECUTE FUNCTION "notify_assessment_rows_change"();
--> statement-breakpoint
CREATE TRIGGER "team_team_truncate" AFTER TRUNCATE ON "team" FOR EACH STATEMENT EXECUTE FUNCTION "notify_team_change"();
--> statement-breakpoint
CREATE TRIGGER "team_member_team_truncate" AFTER TRUNCATE ON "team_member" FOR EACH STATEMENT EXECUTE FUNCTION "notify_team_change"();
--> statement-breakpoint
CREATE TRIGGER "assessment_team_truncate" AFTER TRUNCATE ON "assessment" FOR EACH STATEMENT EXECUTE FUNCTION "notify_team_change"();
--> statement-breakpoint
CREATE TRIGGER "plan_item_team_truncate" AFTER TRUNCATE ON "plan_item" FOR EACH STATEMENT EXECUTE FUNCTION "notify_team_change"();
--> statement-breakpoint
CREATE TRIGGER "tool_adoption_team_truncate" AFTER TRUNCATE ON "tool_adoption" FOR EACH STATEMENT EXECUTE FUNCTION "notify_team_change"();
--> statement-breakpoint
CREATE TRIGGER "rota_team_truncate" AFTER TRUNCATE ON "rota" FOR EACH STATEMENT EXECUTE FUNCTION "notify_team_change"();
--> statement-breakpoint
CREATE TRIGGER "rota_member_team_truncate" AFTER TRUNCATE ON "rota_member" FOR EACH STATEMENT EXECUTE FUNCTION "notify_team_change"();
--> statement-breakpoint
CREATE TRIGGER "rota_swap_team_truncate" AFTER TRUNCATE ON "rota_swap" FOR EACH STATEMENT EXECUTE FUNCTION "notify_team_change"();
--> statement-breakpoint
CREATE TRIGGER "lesson_progress_team_truncate" AFTER TRUNCATE ON "lesson_progress" FOR EACH STATEMENT EXECUTE FUNCTION "notify_team_change"();
--> statement-breakpoint
CREATE TRIGGER "quiz_attempt_team_truncate" AFTER TRUNCATE ON "quiz_attempt" FOR EACH STATEMENT EXECUTE FUNCTION "notify_team_change"();
--> statement-breakpoint
CREATE TRIGGER "user_team_truncate" AFTER TRUNCATE ON "user" FOR EACH STATEMENT EXECUTE FUNCTION "notify_team_change"();
--> statement-breakpoint
CREATE TRIGGER "cycle_team_truncate" AFTER TRUNCATE ON "cycle" FOR EACH STATEMENT EXECUTE FUNCTION "notify_team_change"();
--> statement-breakpoint
CREATE TRIGGER "org_unit_team_truncate" AFTER TRUNCATE ON "org_unit" FOR EACH STATEMENT EXECUTE FUNCTION "notify_team_change"();
--> statement-breakpoint
CREATE TRIGGER "answer_team_truncate" AFTER TRUNCATE ON "answer" FOR EACH STATEMENT EXECUTE FUNCTION "notify_team_change"();
--> statement-breakpoint
CREATE TRIGGER "assessment_practice_team_truncate" AFTER TRUNCATE ON "assessment_practice" FOR EACH STATEMENT EXECUTE FUNCTION "notify_team_change"();
--> statement-breakpoint
CREATE TRIGGER "assessment_phase_team_truncate" AFTER TRUNCATE ON "assessment_phase" FOR EACH STATEMENT EXECUTE FUNCTION "notify_team_change"();
