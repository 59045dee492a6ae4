CREATE TYPE "public"."plan_status" AS ENUM('planned', 'in_progress', 'done', 'dropped');--> statement-breakpoint
CREATE TYPE "public"."question_status" AS ENUM('open', 'answered', 'withdrawn');--> statement-breakpoint
CREATE TABLE "plan_item" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"team_id" uuid NOT NULL,
	"practice_id" text NOT NULL,
	"criterion_id" text,
	"action" text NOT NULL,
	"owner_id" uuid,
	"due_on" date NOT NULL,
	"status" "plan_status" DEFAULT 'planned' NOT NULL,
	"source" text DEFAULT 'manual' NOT NULL,
	"question_id" uuid,
	"cycle_id" uuid,
	"version" integer DEFAULT 1 NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"closed_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "question_message" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"question_id" uuid NOT NULL,
	"author_id" uuid,
	"body" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "review_question" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"assessment_id" uuid NOT NULL,
	"criterion_id" text NOT NULL,
	"status" "question_status" DEFAULT 'open' NOT NULL,
	"asked_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "assessment" ADD COLUMN "submitted_unanswered" integer;--> statement-breakpoint
ALTER TABLE "cycle" ADD COLUMN "summary" text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "cycle" ADD COLUMN "summary_updated_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "cycle" ADD COLUMN "summary_updated_by" uuid;--> statement-breakpoint
ALTER TABLE "plan_item" ADD CONSTRAINT "plan_item_team_id_team_id_fk" FOREIGN KEY ("team_id") REFERENCES "public"."team"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "plan_item" ADD CONSTRAINT "plan_item_owner_id_user_id_fk" FOREIGN KEY ("owner_id") REFERENCES "public"."user"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "plan_item" ADD CONSTRAINT "plan_item_question_id_review_question_id_fk" FOREIGN KEY ("question_id") REFERENCES "public"."review_question"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "plan_item" ADD CONSTRAINT "plan_item_cycle_id_cycle_id_fk" FOREIGN KEY ("cycle_id") REFERENCES "public"."cycle"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "plan_item" ADD CONSTRAINT "plan_item_created_by_user_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."user"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "question_message" ADD CONSTRAINT "question_message_question_id_review_question_id_fk" FOREIGN KEY ("question_id") REFERENCES "public"."review_question"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "question_message" ADD CONSTRAINT "question_message_author_id_user_id_fk" FOREIGN KEY ("author_id") REFERENCES "public"."user"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "review_question" ADD CONSTRAINT "review_question_assessment_id_assessment_id_fk" FOREIGN KEY ("assessment_id") REFERENCES "public"."assessment"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "review_question" ADD CONSTRAINT "review_question_asked_by_user_id_fk" FOREIGN KEY ("asked_by") REFERENCES "public"."user"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "plan_item_team_idx" ON "plan_item" USING btree ("team_id","status");--> statement-breakpoint
CREATE INDEX "question_message_question_idx" ON "question_message" USING btree ("question_id","created_at");--> statement-breakpoint
CREATE INDEX "review_question_assessment_idx" ON "review_question" USING btree ("assessment_id","criterion_id");--> statement-breakpoint
ALTER TABLE "cycle" ADD CONSTRAINT "cycle_summary_updated_by_user_id_fk" FOREIGN KEY ("summary_updated_by") REFERENCES "public"."user"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
-- The dashboard shows overdue plan items per unit and the report lists each team's plan.
CREATE TRIGGER "plan_item_dashboard_revision" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "plan_item" FOR EACH STATEMENT EXECUTE FUNCTION "bump_dashboard_revision"();
