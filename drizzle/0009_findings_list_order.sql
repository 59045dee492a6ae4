-- The team findings page lists open findings most severe and oldest first, then by id: the findings
-- of one upload share their first-seen time, so without the id in the index the first page of
-- 5,000 findings from one upload sorted a whole severity's rows on every view.
DROP INDEX "finding_team_open_idx";--> statement-breakpoint
CREATE INDEX "finding_team_open_idx" ON "finding" USING btree ("team_id","severity","first_seen_at","id") WHERE "finding"."state" = 'open';