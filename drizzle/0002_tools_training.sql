CREATE TYPE "public"."adoption_state" AS ENUM('not_used', 'evaluating', 'adopted', 'enforced');--> statement-breakpoint
CREATE TYPE "public"."responsible_party" AS ENUM('delivery', 'security', 'operations', 'shared', 'nobody');--> statement-breakpoint
CREATE TABLE "adoption_snapshot" (
	"cycle_id" uuid NOT NULL,
	"team_id" uuid NOT NULL,
	"tool_id" text NOT NULL,
	"state" "adoption_state" NOT NULL,
	CONSTRAINT "adoption_snapshot_cycle_id_team_id_tool_id_pk" PRIMARY KEY("cycle_id","team_id","tool_id")
);
--> statement-breakpoint
CREATE TABLE "certificate" (
	"id" text PRIMARY KEY NOT NULL,
	"user_id" uuid NOT NULL,
	"track_id" text NOT NULL,
	"holder_name" text NOT NULL,
	"track_title" text NOT NULL,
	"issued_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "lesson_progress" (
	"user_id" uuid NOT NULL,
	"module_id" text NOT NULL,
	"lesson_id" text NOT NULL,
	"completed_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "lesson_progress_user_id_module_id_lesson_id_pk" PRIMARY KEY("user_id","module_id","lesson_id")
);
--> statement-breakpoint
CREATE TABLE "quiz_attempt" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" uuid NOT NULL,
	"module_id" text NOT NULL,
	"module_version" integer NOT NULL,
	"score" double precision NOT NULL,
	"passed" boolean NOT NULL,
	"answers" jsonb NOT NULL,
	"started_at" timestamp with time zone,
	"submitted_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "responsibility" (
	"team_id" uuid NOT NULL,
	"practice_id" text NOT NULL,
	"party" "responsible_party" NOT NULL,
	"accountable_user_id" uuid,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_by" uuid,
	CONSTRAINT "responsibility_team_id_practice_id_pk" PRIMARY KEY("team_id","practice_id")
);
--> statement-breakpoint
CREATE TABLE "rota" (
	"team_id" uuid PRIMARY KEY NOT NULL,
	"rotation_weeks" integer DEFAULT 1 NOT NULL,
	"starts_on" date NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "rota_member" (
	"team_id" uuid NOT NULL,
	"position" integer NOT NULL,
	"user_id" uuid NOT NULL,
	CONSTRAINT "rota_member_team_id_position_pk" PRIMARY KEY("team_id","position")
);
--> statement-breakpoint
CREATE TABLE "rota_swap" (
	"team_id" uuid NOT NULL,
	"turn_start" date NOT NULL,
	"user_id" uuid NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "rota_swap_team_id_turn_start_pk" PRIMARY KEY("team_id","turn_start")
);
--> statement-breakpoint
CREATE TABLE "tool" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"category_id" text NOT NULL,
	"homepage" text DEFAULT '' NOT NULL,
	"licence" text DEFAULT 'open-source' NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"source" text DEFAULT 'custom' NOT NULL,
	"retired_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "tool_adoption" (
	"team_id" uuid NOT NULL,
	"tool_id" text NOT NULL,
	"state" "adoption_state" NOT NULL,
	"since" date,
	"note" text DEFAULT '' NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_by" uuid,
	CONSTRAINT "tool_adoption_team_id_tool_id_pk" PRIMARY KEY("team_id","tool_id")
);
--> statement-breakpoint
CREATE TABLE "tool_category" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"practices" jsonb DEFAULT '[]'::jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "training_assignment" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"team_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"module_id" text NOT NULL,
	"due_on" date NOT NULL,
	"assigned_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "adoption_snapshot" ADD CONSTRAINT "adoption_snapshot_cycle_id_cycle_id_fk" FOREIGN KEY ("cycle_id") REFERENCES "public"."cycle"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "adoption_snapshot" ADD CONSTRAINT "adoption_snapshot_team_id_team_id_fk" FOREIGN KEY ("team_id") REFERENCES "public"."team"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "adoption_snapshot" ADD CONSTRAINT "adoption_snapshot_tool_id_tool_id_fk" FOREIGN KEY ("tool_id") REFERENCES "public"."tool"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "certificate" ADD CONSTRAINT "certificate_user_id_user_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."user"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lesson_progress" ADD CONSTRAINT "lesson_progress_user_id_user_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."user"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "quiz_attempt" ADD CONSTRAINT "quiz_attempt_user_id_user_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."user"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "responsibility" ADD CONSTRAINT "responsibility_team_id_team_id_fk" FOREIGN KEY ("team_id") REFERENCES "public"."team"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "responsibility" ADD CONSTRAINT "responsibility_accountable_user_id_user_id_fk" FOREIGN KEY ("accountable_user_id") REFERENCES "public"."user"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "responsibility" ADD CONSTRAINT "responsibility_updated_by_user_id_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."user"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rota" ADD CONSTRAINT "rota_team_id_team_id_fk" FOREIGN KEY ("team_id") REFERENCES "public"."team"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rota_member" ADD CONSTRAINT "rota_member_team_id_team_id_fk" FOREIGN KEY ("team_id") REFERENCES "public"."team"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rota_member" ADD CONSTRAINT "rota_member_user_id_user_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."user"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rota_swap" ADD CONSTRAINT "rota_swap_team_id_team_id_fk" FOREIGN KEY ("team_id") REFERENCES "public"."team"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rota_swap" ADD CONSTRAINT "rota_swap_user_id_user_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."user"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rota_swap" ADD CONSTRAINT "rota_swap_created_by_user_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."user"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tool" ADD CONSTRAINT "tool_category_id_tool_category_id_fk" FOREIGN KEY ("category_id") REFERENCES "public"."tool_category"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tool_adoption" ADD CONSTRAINT "tool_adoption_team_id_team_id_fk" FOREIGN KEY ("team_id") REFERENCES "public"."team"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tool_adoption" ADD CONSTRAINT "tool_adoption_tool_id_tool_id_fk" FOREIGN KEY ("tool_id") REFERENCES "public"."tool"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tool_adoption" ADD CONSTRAINT "tool_adoption_updated_by_user_id_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."user"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "training_assignment" ADD CONSTRAINT "training_assignment_team_id_team_id_fk" FOREIGN KEY ("team_id") REFERENCES "public"."team"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "training_assignment" ADD CONSTRAINT "training_assignment_user_id_user_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."user"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "training_assignment" ADD CONSTRAINT "training_assignment_assigned_by_user_id_fk" FOREIGN KEY ("assigned_by") REFERENCES "public"."user"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "certificate_user_track_unique" ON "certificate" USING btree ("user_id","track_id");--> statement-breakpoint
CREATE INDEX "quiz_attempt_user_module_idx" ON "quiz_attempt" USING btree ("user_id","module_id");--> statement-breakpoint
CREATE INDEX "tool_category_idx" ON "tool" USING btree ("category_id");--> statement-breakpoint
CREATE INDEX "tool_adoption_tool_idx" ON "tool_adoption" USING btree ("tool_id");--> statement-breakpoint
CREATE UNIQUE INDEX "training_assignment_unique" ON "training_assignment" USING btree ("team_id","user_id","module_id");--> statement-breakpoint
CREATE INDEX "training_assignment_user_idx" ON "training_assignment" USING btree ("user_id");