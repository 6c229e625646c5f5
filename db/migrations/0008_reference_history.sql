-- Reference data with history: releases reach back to 2008, so a destination code and a
-- control entry each say when they could be used, and a control entry says why its
-- first day is what it is. The rows are loaded from db/reference/*.csv by the seed step
-- that runs after the migrations; db/reference/README.md gives the sources.

-- Kosovo (XK, XKX) has no ISO 3166-1 numeric code.
ALTER TABLE countries ALTER COLUMN numeric_code DROP NOT NULL;

-- The days a code could be a destination, both inclusive; NULL is open: the
-- Netherlands Antilles (AN) until 2010-10-09, say. note says where the portal departs
-- from ISO 3166-1 or UN M49, or why a code ended.
ALTER TABLE countries
    ADD COLUMN valid_from date,
    ADD COLUMN valid_to   date,
    ADD COLUMN note       text,
    ADD CONSTRAINT countries_validity_check CHECK (valid_to IS NULL OR valid_from IS NULL OR valid_to >= valid_from);

-- Why valid_from is that day: the amending act that added the entry, or the start of
-- the regime when no later introduction is known (and then that it is not verified
-- per code). NULL only on a row the shipped file no longer has.
ALTER TABLE control_entries ADD COLUMN valid_from_basis text;
