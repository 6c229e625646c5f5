-- The decision is the statistical unit. decisions keeps one row per decision and
-- control entry (a line), and each line now says which counts it carries, so that a
-- statistics cell counts a decision once however many of its lines it holds:
--   decision_no      the decision's number in its release;
--   unit_decision    the decision's first line: counts the decision where no per-entry
--                    dimension or filter splits it;
--   unit_category    its first line in its control category: counts it once per category;
--   unit_cyber       its first line with its cyber-surveillance flag: once per flag value;
--   unknown_*        the decision (or its lines in that category, or with that flag) has
--                    a line of unknown value.
-- A value can now be unknown (NULL), never read as 0, and catch_all says under which
-- catch-all clause the decision was made (codes.CatchAlls), no longer only whether it
-- was the human-rights one.

ALTER TABLE decisions ALTER COLUMN value_cents DROP NOT NULL;

ALTER TABLE decisions ALTER COLUMN catch_all TYPE text
    USING CASE WHEN catch_all THEN 'CYBER_SURVEILLANCE' ELSE 'NONE' END;

ALTER TABLE decisions
    ADD COLUMN decision_no      integer,
    ADD COLUMN unit_decision    boolean,
    ADD COLUMN unit_category    boolean,
    ADD COLUMN unit_cyber       boolean,
    ADD COLUMN unknown_decision boolean,
    ADD COLUMN unknown_category boolean,
    ADD COLUMN unknown_cyber    boolean;

-- Lines of releases loaded before this migration. A decision has each control entry
-- once (the importer refuses a repeat), so (release, decision, entry) names a line.
UPDATE decisions d
SET decision_no = u.decision_no,
    unit_decision = u.rn_decision = 1,
    unit_category = u.rn_category = 1,
    unit_cyber = u.rn_cyber = 1,
    unknown_decision = u.unknown_decision,
    unknown_category = u.unknown_category,
    unknown_cyber = u.unknown_cyber
FROM (
    SELECT release_id, decision_id, control_entry,
           dense_rank() OVER (PARTITION BY release_id ORDER BY decision_id)::integer AS decision_no,
           row_number() OVER (PARTITION BY release_id, decision_id ORDER BY control_entry) AS rn_decision,
           row_number() OVER (PARTITION BY release_id, decision_id, control_category ORDER BY control_entry) AS rn_category,
           row_number() OVER (PARTITION BY release_id, decision_id, cyber_surveillance ORDER BY control_entry) AS rn_cyber,
           bool_or(value_cents IS NULL) OVER (PARTITION BY release_id, decision_id) AS unknown_decision,
           bool_or(value_cents IS NULL) OVER (PARTITION BY release_id, decision_id, control_category) AS unknown_category,
           bool_or(value_cents IS NULL) OVER (PARTITION BY release_id, decision_id, cyber_surveillance) AS unknown_cyber
    FROM decisions
) u
WHERE u.release_id = d.release_id AND u.decision_id = d.decision_id
  AND u.control_entry IS NOT DISTINCT FROM d.control_entry;

ALTER TABLE decisions
    ALTER COLUMN decision_no SET NOT NULL,
    ALTER COLUMN unit_decision SET NOT NULL,
    ALTER COLUMN unit_category SET NOT NULL,
    ALTER COLUMN unit_cyber SET NOT NULL,
    ALTER COLUMN unknown_decision SET NOT NULL,
    ALTER COLUMN unknown_category SET NOT NULL,
    ALTER COLUMN unknown_cyber SET NOT NULL;

COMMENT ON COLUMN decisions.value_cents IS 'the line''s value in euro cents; NULL when unknown, never read as 0';
COMMENT ON COLUMN decisions.record_key IS 'the decision''s record key in [0, 2^32), the same on each of its lines; a cell key is the sum of the keys of the decisions it counts, mod 2^32';
