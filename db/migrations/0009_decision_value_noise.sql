-- Each decision's value is perturbed once, persistently, and published sums add up the
-- perturbed values (disclosure.Protector.DecisionValue): differencing two cells that
-- differ by one decision then yields its perturbed value, never its true one. The true
-- value stays in value_cents for the threshold and dominance rules only.

ALTER TABLE decisions ADD COLUMN noisy_value_cents bigint;

-- Releases loaded before: the same integer arithmetic as DecisionValue with the
-- default policy (a share of 250 to 450 per mille, up or down), from the record key.
UPDATE decisions d
SET noisy_value_cents = CASE WHEN u.v % 2 = 0
                             THEN d.value_cents - (d.value_cents * (250 + (u.v / 2) % 201) + 500) / 1000
                             ELSE d.value_cents + (d.value_cents * (250 + (u.v / 2) % 201) + 500) / 1000 END
FROM (SELECT DISTINCT record_key, ((record_key::numeric * 2654435769) % 4294967296)::bigint AS v FROM decisions) u
WHERE u.record_key = d.record_key AND d.value_cents IS NOT NULL;

ALTER TABLE decisions ADD CHECK ((noisy_value_cents IS NULL) = (value_cents IS NULL));

COMMENT ON COLUMN decisions.noisy_value_cents IS 'the line''s value perturbed by its decision''s persistent share (disclosure.Protector.DecisionValue): what published sums add up';
