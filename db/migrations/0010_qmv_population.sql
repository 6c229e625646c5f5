-- The population figures of every year of qualified-majority voting, each with its
-- publisher: the Council's own (Annex III of its Rules of Procedure, set each year by
-- a Council Decision) where they could be read, else Eurostat's population on
-- 1 January of the year before, which the Council's are based on. A tally prefers the
-- Council's figure of a state and says whose figures it used (qmv.Figures.For). The
-- rows are loaded from db/reference/qmv_population.csv by the seed step that runs after
-- the migrations; db/reference/README.md gives the sources. population_shares stays:
-- it still serves the population shares shown with a Member State.
CREATE TABLE qmv_population (
    year         smallint NOT NULL,
    member_state char(2)  NOT NULL REFERENCES member_states (code),
    publisher    text     NOT NULL CHECK (publisher IN ('COUNCIL', 'EUROSTAT')),
    -- NULL is a gap the source has (Eurostat has no figure for that state and year);
    -- it is never estimated. A tally for a year with a gap uses another year's figures
    -- and says so.
    population   bigint   CHECK (population > 0),
    act          text     NOT NULL, -- short name of the act or dataset, shown in tallies
    source       text     NOT NULL, -- full provenance of the figure
    PRIMARY KEY (year, member_state, publisher)
);

COMMENT ON TABLE qmv_population IS 'population figures for qualified-majority voting by year (the year the Council applies them), Member State and publisher (COUNCIL preferred, else EUROSTAT)';
COMMENT ON COLUMN qmv_population.population IS 'NULL is a gap the source has, never estimated';

-- Tables made by the migrating role get SELECT for the reader role by default
-- (0004_reader_role.sql); granted here as well, in case another role migrates.
GRANT SELECT ON qmv_population TO portal_reader;
