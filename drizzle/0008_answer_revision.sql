-- The dashboard's share of claims backed by the pipelines reads the answers themselves ("most" and
-- "all" on criteria with an evidence rule), so a change to one moves the data revision too
-- (revision-coverage.test.ts fails when a cached value reads a table without this trigger). A save
-- already rewrote the practice's scores in the same statement, which moved it before.
CREATE TRIGGER "answer_dashboard_revision" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "answer" FOR EACH STATEMENT EXECUTE FUNCTION "bump_dashboard_revision"();
