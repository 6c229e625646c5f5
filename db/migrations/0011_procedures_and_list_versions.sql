-- Two catch-all procedures, and the history of each list item's scope.
--
-- A notification now says which procedure it follows: the European Parliament's
-- position of 17 January 2018 (listed unless a qualified majority of the other Member
-- States objects) or Article 5 of Regulation (EU) 2021/821 (published when all Member
-- States agree). Notifications loaded before followed the first: that is the rule the
-- portal applied to them. Their deadline is the objection deadline or, under
-- Article 5, the end of the review period, hence the new name.
ALTER TABLE catch_all_notifications
    ADD COLUMN procedure text NOT NULL DEFAULT 'EP_POSITION_2018'
        CHECK (procedure IN ('EP_POSITION_2018', 'REGULATION_2021_821_ARTICLE_5'));
ALTER TABLE catch_all_notifications ALTER COLUMN procedure DROP DEFAULT;
ALTER TABLE catch_all_notifications RENAME COLUMN objection_deadline TO deadline;

-- Under Article 5: a Member State notified the others and the Commission that the
-- requirement should be imposed for essentially identical transactions.
CREATE TABLE agreements (
    release_id      text    NOT NULL,
    notification_id text    NOT NULL,
    member_state    char(2) NOT NULL REFERENCES member_states (code),
    agreed_on       date    NOT NULL,
    PRIMARY KEY (release_id, notification_id, member_state),
    FOREIGN KEY (release_id, notification_id) REFERENCES catch_all_notifications (release_id, id) ON DELETE CASCADE
);

-- An item's scope (description, control entry, destinations) is a series of versions,
-- each in force from its date to the next: the list on a past date shows the scope of
-- that date. The first version is the listing.
CREATE TABLE list_item_versions (
    release_id      text   NOT NULL,
    item_id         text   NOT NULL,
    valid_from      date   NOT NULL,
    description     text   NOT NULL,
    control_entry   text   COLLATE "C" REFERENCES control_entries (code),
    destinations    text[] NOT NULL, -- ISO codes; empty: every destination
    amendment       text,            -- what this version changed; NULL for the listing
    legal_reference text   NOT NULL,
    -- For versions converted from the earlier format, which kept only an item's latest
    -- scope: says that the scope before the amendment was not recorded.
    note            text,
    PRIMARY KEY (release_id, item_id, valid_from),
    FOREIGN KEY (release_id, item_id) REFERENCES list_items (release_id, id) ON DELETE CASCADE
);

-- Convert the items loaded before: the listing as a first version and, for an amended
-- item, the amendment as a second. The earlier format kept only the scope after the
-- amendment, so the first version repeats it and says so.
INSERT INTO list_item_versions (release_id, item_id, valid_from, description, control_entry, destinations,
                                amendment, legal_reference, note)
SELECT i.release_id, i.id, i.listed_on, i.description, n.control_entry, i.destinations, NULL, i.legal_reference,
       CASE WHEN i.amended_on IS NOT NULL THEN
           'The scope before the amendment of ' || i.amended_on ||
           ' was not recorded when this release was loaded: this is the scope after it. Load the release again to restore it.'
       END
FROM list_items i
JOIN catch_all_notifications n ON n.release_id = i.release_id AND n.id = i.notification_id;

INSERT INTO list_item_versions (release_id, item_id, valid_from, description, control_entry, destinations,
                                amendment, legal_reference)
SELECT i.release_id, i.id, i.amended_on, i.description, n.control_entry, i.destinations, i.amendment, i.legal_reference
FROM list_items i
JOIN catch_all_notifications n ON n.release_id = i.release_id AND n.id = i.notification_id
WHERE i.amended_on IS NOT NULL;

ALTER TABLE list_items
    DROP COLUMN description,
    DROP COLUMN destinations,
    DROP COLUMN amended_on,
    DROP COLUMN amendment,
    DROP COLUMN legal_reference;

GRANT SELECT ON agreements, list_item_versions TO portal_reader;
