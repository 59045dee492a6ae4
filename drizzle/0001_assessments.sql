CREATE TYPE "public"."assessment_status" AS ENUM('draft', 'submitted', 'approved', 'returned');--> statement-breakpoint
CREATE TYPE "public"."cycle_status" AS ENUM('open', 'closed');--> statement-breakpoint
CREATE TABLE "answer" (
	"assessment_id" uuid NOT NULL,
	"criterion_id" text NOT NULL,
	"value" double precision,
	"comment" text DEFAULT '' NOT NULL,
	"evidence" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_by" uuid,
	CONSTRAINT "answer_assessment_id_criterion_id_pk" PRIMARY KEY("assessment_id","criterion_id")
);
--> statement-breakpoint
CREATE TABLE "assessment" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"cycle_id" uuid NOT NULL,
	"team_id" uuid NOT NULL,
	"model_version" text NOT NULL,
	"status" "assessment_status" DEFAULT 'draft' NOT NULL,
	"score" double precision,
	"submitted_at" timestamp with time zone,
	"submitted_by" uuid,
	"reviewed_at" timestamp with time zone,
	"reviewed_by" uuid,
	"review_comment" text DEFAULT '' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "assessment_phase" (
	"assessment_id" uuid NOT NULL,
	"phase" text NOT NULL,
	"score" double precision,
	CONSTRAINT "assessment_phase_assessment_id_phase_pk" PRIMARY KEY("assessment_id","phase")
);
--> statement-breakpoint
CREATE TABLE "assessment_practice" (
	"assessment_id" uuid NOT NULL,
	"practice_id" text NOT NULL,
	"phase" text NOT NULL,
	"not_applicable" boolean DEFAULT false NOT NULL,
	"not_applicable_reason" text DEFAULT '' NOT NULL,
	"target" integer,
	"score" double precision DEFAULT 0 NOT NULL,
	"achieved_level" integer DEFAULT 0 NOT NULL,
	"level_scores" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_by" uuid,
	CONSTRAINT "assessment_practice_assessment_id_practice_id_pk" PRIMARY KEY("assessment_id","practice_id")
);
--> statement-breakpoint
CREATE TABLE "cycle" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"starts_on" date NOT NULL,
	"due_on" date NOT NULL,
	"status" "cycle_status" DEFAULT 'open' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"closed_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "answer" ADD CONSTRAINT "answer_assessment_id_assessment_id_fk" FOREIGN KEY ("assessment_id") REFERENCES "public"."assessment"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "answer" ADD CONSTRAINT "answer_updated_by_user_id_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."user"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assessment" ADD CONSTRAINT "assessment_cycle_id_cycle_id_fk" FOREIGN KEY ("cycle_id") REFERENCES "public"."cycle"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assessment" ADD CONSTRAINT "assessment_team_id_team_id_fk" FOREIGN KEY ("team_id") REFERENCES "public"."team"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assessment" ADD CONSTRAINT "assessment_submitted_by_user_id_fk" FOREIGN KEY ("submitted_by") REFERENCES "public"."user"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assessment" ADD CONSTRAINT "assessment_reviewed_by_user_id_fk" FOREIGN KEY ("reviewed_by") REFERENCES "public"."user"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assessment_phase" ADD CONSTRAINT "assessment_phase_assessment_id_assessment_id_fk" FOREIGN KEY ("assessment_id") REFERENCES "public"."assessment"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assessment_practice" ADD CONSTRAINT "assessment_practice_assessment_id_assessment_id_fk" FOREIGN KEY ("assessment_id") REFERENCES "public"."assessment"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assessment_practice" ADD CONSTRAINT "assessment_practice_updated_by_user_id_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."user"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "assessment_cycle_team_unique" ON "assessment" USING btree ("cycle_id","team_id");--> statement-breakpoint
CREATE INDEX "assessment_team_idx" ON "assessment" USING btree ("team_id");--> statement-breakpoint
CREATE INDEX "assessment_practice_practice_idx" ON "assessment_practice" USING btree ("practice_id");--> statement-breakpoint
CREATE UNIQUE INDEX "cycle_name_unique" ON "cycle" USING btree ("name");--> statement-breakpoint
CREATE INDEX "cycle_starts_idx" ON "cycle" USING btree ("starts_on");