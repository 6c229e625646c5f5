-- Precomputed statistics. A release is immutable, so a statistics query over it (the
-- same SQL text with the same arguments) has the same answer for ever: the import
-- computes the release's standard tables once (db/precompute.go) and keeps their
-- cells here, and the statistics engine reads them back instead of aggregating the
-- decisions again.
--
-- The cells are the engine's confidential totals, before protection: the rules of
-- disclosure control apply to them on the way out exactly as to cells just computed,
-- so a change of policy needs no recomputation. They are no more confidential than
-- the decisions they are computed from, which the reader role reads already.
CREATE TABLE release_cells (
    release_id text  NOT NULL REFERENCES releases (id) ON DELETE CASCADE,
    -- sha-256 of the query's SQL text and of the JSON of its arguments
    key        bytea NOT NULL CHECK (length(key) = 32),
    -- the cells in the compact encoding of db/precompute.go (encodeCells)
    cells      bytea NOT NULL,
    PRIMARY KEY (release_id, key)
);

COMMENT ON TABLE release_cells IS
    'the cells of statistics queries computed at import; deleted with their release (--replace deletes it)';

GRANT SELECT ON release_cells TO portal_reader;
