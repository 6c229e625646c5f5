-- Releases: each import of a data set, immutable once loaded, and the confidential
-- licence decisions it holds. Only protected aggregates of decisions ever leave the
-- data layer; exporters are stored only as keyed pseudonyms.

CREATE TABLE releases (
    id                  text        PRIMARY KEY CHECK (id ~ '^[a-z0-9][a-z0-9._-]{0,63}$'),
    title               text        NOT NULL,
    description         text        NOT NULL,
    period_start        date        NOT NULL,
    period_end          date        NOT NULL,
    published_on        date        NOT NULL,
    publisher           text        NOT NULL,
    source              text        NOT NULL,
    licence             text        NOT NULL,
    methodology_version text        NOT NULL,
    citation            text        NOT NULL,
    synthetic           boolean     NOT NULL,
    url                 text,
    checksum            text        NOT NULL,
    imported_at         timestamptz NOT NULL DEFAULT now(),
    CHECK (period_end >= period_start)
);

-- One row per licence decision and control entry. Each release's rows live in a
-- partition of their own, created, filled and (on --replace) dropped by the import in
-- one transaction, so a release is loaded whole or not at all and never touches another.
-- The columns after record_key are derived at import from the reference data, so the
-- statistics need no joins.
CREATE TABLE decisions (
    release_id             text          NOT NULL,
    decision_id            text          NOT NULL,
    member_state           char(2)       NOT NULL,
    decision_date          date          NOT NULL,
    licence_type           text          NOT NULL,
    outcome                text          NOT NULL,
    destination            char(2)       NOT NULL,
    end_user_type          text          NOT NULL,
    control_entry          text          COLLATE "C",
    value_eur              numeric(17,2) NOT NULL CHECK (value_eur >= 0),
    exporter               bytea         NOT NULL,
    denial_grounds         text[]        NOT NULL,
    catch_all              boolean       NOT NULL,
    record_key             bigint        NOT NULL CHECK (record_key >= 0 AND record_key < 4294967296),
    year                   smallint      NOT NULL,
    quarter                smallint      NOT NULL CHECK (quarter BETWEEN 1 AND 4),
    destination_region     char(3),
    destination_sub_region char(3),
    control_category       smallint,
    cyber_surveillance     boolean       NOT NULL
) PARTITION BY LIST (release_id);

COMMENT ON COLUMN decisions.exporter IS 'HMAC-SHA-256 pseudonym of the exporter id, keyed by the operator; the raw id is never stored';
COMMENT ON COLUMN decisions.record_key IS 'uniform random key in [0, 2^32) drawn at import; a cell key is the sum of its records'' keys mod 2^32';

-- Figures already published by an authority, exact and cited.
CREATE TABLE official_figures (
    release_id      text     NOT NULL REFERENCES releases (id) ON DELETE CASCADE,
    year            smallint NOT NULL,
    scope           text     NOT NULL,
    metric          text     NOT NULL,
    value           numeric  NOT NULL CHECK (value >= 0),
    unit            text     NOT NULL,
    source_document text     NOT NULL,
    source_url      text,
    verified        text     NOT NULL CHECK (verified IN ('source', 'secondary')),
    PRIMARY KEY (release_id, year, scope, metric)
);
