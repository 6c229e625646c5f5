-- Reference data: the things licence statistics are broken down by. The rows are
-- loaded from db/reference/*.csv by the seed step that runs after the migrations.

CREATE TABLE countries (
    code            char(2) PRIMARY KEY CHECK (code ~ '^[A-Z]{2}$'),
    alpha3          char(3) NOT NULL UNIQUE CHECK (alpha3 ~ '^[A-Z]{3}$'),
    numeric_code    char(3) NOT NULL UNIQUE CHECK (numeric_code ~ '^[0-9]{3}$'),
    name            text    NOT NULL,
    region_code     char(3),
    region_name     text,
    sub_region_code char(3),
    sub_region_name text,
    CHECK ((region_code IS NULL) = (region_name IS NULL)),
    CHECK ((sub_region_code IS NULL) = (sub_region_name IS NULL))
);

CREATE TABLE member_states (
    code                char(2) PRIMARY KEY REFERENCES countries (code),
    eu_code             char(2) NOT NULL UNIQUE,
    name                text    NOT NULL,
    member_from         date    NOT NULL,
    member_until        date,
    competent_authority text    NOT NULL,
    CHECK (member_until IS NULL OR member_until >= member_from)
);

-- The Council's population figures for qualified-majority voting, per year.
CREATE TABLE population_shares (
    year          smallint     NOT NULL,
    member_state  char(2)      NOT NULL REFERENCES member_states (code),
    share_percent numeric(5,2) NOT NULL CHECK (share_percent BETWEEN 0 AND 100),
    eu_population bigint       NOT NULL CHECK (eu_population > 0),
    source        text         NOT NULL,
    PRIMARY KEY (year, member_state)
);

CREATE TABLE control_categories (
    code smallint PRIMARY KEY CHECK (code BETWEEN 0 AND 9),
    name text NOT NULL
);

INSERT INTO control_categories (code, name) VALUES
    (0, 'Nuclear materials, facilities and equipment'),
    (1, 'Special materials and related equipment'),
    (2, 'Materials processing'),
    (3, 'Electronics'),
    (4, 'Computers'),
    (5, 'Telecommunications and information security'),
    (6, 'Sensors and lasers'),
    (7, 'Navigation and avionics'),
    (8, 'Marine'),
    (9, 'Aerospace and propulsion');

CREATE TABLE product_groups (
    code char(1) PRIMARY KEY CHECK (code ~ '^[A-E]$'),
    name text NOT NULL
);

INSERT INTO product_groups (code, name) VALUES
    ('A', 'Systems, equipment and components'),
    ('B', 'Test, inspection and production equipment'),
    ('C', 'Materials'),
    ('D', 'Software'),
    ('E', 'Technology');

-- Category and product group are part of the code, so they are derived, never typed twice.
CREATE TABLE control_entries (
    code               text     COLLATE "C" PRIMARY KEY CHECK (code ~ '^[0-9][A-E][0-9]{3}(\.[a-z0-9]+)*$'),
    parent_code        text     COLLATE "C" REFERENCES control_entries (code) DEFERRABLE INITIALLY DEFERRED,
    category           smallint NOT NULL GENERATED ALWAYS AS (substr(code, 1, 1)::smallint) STORED
                                REFERENCES control_categories (code),
    product_group      char(1)  NOT NULL GENERATED ALWAYS AS (substr(code, 2, 1)) STORED
                                REFERENCES product_groups (code),
    description        text     NOT NULL,
    cyber_surveillance boolean  NOT NULL,
    valid_from         date     NOT NULL,
    valid_to           date,
    source             text     NOT NULL,
    CHECK (parent_code IS NULL OR starts_with(code, parent_code || '.')),
    CHECK (valid_to IS NULL OR valid_to >= valid_from)
);

CREATE INDEX control_entries_parent_code_idx ON control_entries (parent_code);
