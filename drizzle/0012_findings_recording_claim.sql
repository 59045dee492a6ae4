ALTER TABLE "analysis" ADD COLUMN "recording_upload_id" uuid;--> statement-breakpoint
ALTER TABLE "analysis" ADD COLUMN "recording_since" timestamp with time zone;