-- The human-rights catch-all procedure of a release: notifications, objections and the
-- items the procedure placed on the EU-wide list. Statuses, tallies and the list on any
-- date are derived from these facts when asked for, never stored.

CREATE TABLE catch_all_notifications (
    release_id         text    NOT NULL REFERENCES releases (id) ON DELETE CASCADE,
    id                 text    NOT NULL,
    notifying_state    char(2) NOT NULL REFERENCES member_states (code),
    notified_on        date    NOT NULL,
    item_description   text    NOT NULL,
    control_entry      text    COLLATE "C" REFERENCES control_entries (code),
    destinations       text[]  NOT NULL, -- ISO codes; empty: every destination
    objection_deadline date    NOT NULL CHECK (objection_deadline > notified_on),
    withdrawn_on       date,
    legal_reference    text    NOT NULL,
    PRIMARY KEY (release_id, id)
);

CREATE TABLE objections (
    release_id      text    NOT NULL,
    notification_id text    NOT NULL,
    objecting_state char(2) NOT NULL REFERENCES member_states (code),
    objected_on     date    NOT NULL,
    PRIMARY KEY (release_id, notification_id, objecting_state),
    FOREIGN KEY (release_id, notification_id) REFERENCES catch_all_notifications (release_id, id) ON DELETE CASCADE
);

CREATE TABLE list_items (
    release_id      text   NOT NULL,
    id              text   NOT NULL,
    notification_id text   NOT NULL,
    description     text   NOT NULL,
    destinations    text[] NOT NULL, -- ISO codes; empty: every destination
    listed_on       date   NOT NULL,
    amended_on      date,
    amendment       text,
    removed_on      date,
    removal_reason  text,
    legal_reference text   NOT NULL,
    PRIMARY KEY (release_id, id),
    UNIQUE (release_id, notification_id),
    FOREIGN KEY (release_id, notification_id) REFERENCES catch_all_notifications (release_id, id) ON DELETE CASCADE,
    CHECK (amended_on IS NULL OR amended_on > listed_on),
    CHECK (removed_on IS NULL OR removed_on > listed_on)
);
