-- The statistics group each cell's decisions by exporter (for the threshold and
-- dominance rules). Grouping by a 4-byte number is much cheaper than by a 32-byte
-- pseudonym, so each release numbers its exporters' pseudonyms at import; the number
-- means nothing outside the release and, like the pseudonym, is never published.
ALTER TABLE decisions ADD COLUMN exporter_no integer;

UPDATE decisions d
SET exporter_no = n.no
FROM (
    SELECT release_id, exporter, dense_rank() OVER (PARTITION BY release_id ORDER BY exporter)::integer AS no
    FROM (SELECT DISTINCT release_id, exporter FROM decisions) e
) n
WHERE n.release_id = d.release_id AND n.exporter = d.exporter;

ALTER TABLE decisions ALTER COLUMN exporter_no SET NOT NULL;
