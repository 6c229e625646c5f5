-- Statistics over a million decisions: values as whole cents (bigint sums accumulate in
-- 128-bit integers, numeric sums in software), and indexes by date, with partial ones
-- for the denials and the cyber-surveillance items that the denials view and the annual
-- report read. Indexes on the partitioned table apply to every release's partition.

ALTER TABLE decisions RENAME COLUMN value_eur TO value_cents;
ALTER TABLE decisions ALTER COLUMN value_cents TYPE bigint USING round(value_cents * 100)::bigint;

CREATE INDEX decisions_date_idx ON decisions (decision_date);
CREATE INDEX decisions_denied_date_idx ON decisions (decision_date) WHERE outcome = 'DENIED';
CREATE INDEX decisions_cyber_date_idx ON decisions (decision_date) WHERE cyber_surveillance;
