-- The meeting register, safeguarding concerns, retention, and what a
-- restarted server needs to put running meetings back as they were.
-- Times are in 0001's fixed-width form.

-- A stay is one person's one place in a running meeting, from arriving
-- (waiting, or a host's arrival) until they leave for good (left, removed,
-- denied, their reconnect grace ran out, the meeting ended). It is the
-- register's attendance row and, while left_at is NULL or the person was
-- removed or denied, part of what a restarted server restores.
CREATE TABLE stays (
    meeting_id           TEXT NOT NULL REFERENCES meetings (id),
    participant_id       TEXT NOT NULL,
    person_key           TEXT NOT NULL,            -- "invitation:<id>" or "staff:<id>"
    name                 TEXT NOT NULL,            -- the invitation's (or account's) name
    role_label           TEXT NOT NULL,
    display_name         TEXT NOT NULL DEFAULT '', -- the name they chose, if they renamed themselves
    age_group            TEXT NOT NULL DEFAULT '',
    consent_by           TEXT NOT NULL DEFAULT '',
    role                 TEXT NOT NULL,            -- host, co-host, participant
    admission            TEXT NOT NULL,            -- waiting, admitted, denied, removed
    contract_accepted_at TEXT,
    arrived_at           TEXT NOT NULL,
    admitted_at          TEXT,                     -- first admission
    admitted_by          TEXT NOT NULL DEFAULT '', -- name of who first admitted them
    admitted_since       TEXT,                     -- start of the current admitted spell; NULL when not admitted
    present_ns           INTEGER NOT NULL DEFAULT 0, -- admitted time in finished spells
    left_at              TEXT,
    outcome              TEXT NOT NULL DEFAULT '', -- how the stay ended, for people
    PRIMARY KEY (meeting_id, participant_id)
);
CREATE INDEX stays_meeting_arrived ON stays (meeting_id, arrived_at);

-- A running meeting's room: when it opened, whether it is locked, and how
-- often the server was interrupted under it. closed_at is set when the room
-- stops for good (the meeting ended, or everyone left and it was idle).
CREATE TABLE room_states (
    meeting_id    TEXT PRIMARY KEY REFERENCES meetings (id),
    opened_at     TEXT NOT NULL,
    locked        INTEGER NOT NULL DEFAULT 0 CHECK (locked IN (0, 1)),
    auto_locked   INTEGER NOT NULL DEFAULT 0 CHECK (auto_locked IN (0, 1)),
    interruptions INTEGER NOT NULL DEFAULT 0,
    closed_at     TEXT
);

-- A safeguarding concern a host or co-host flagged during a meeting. Any
-- concern holds all of the meeting's records from retention purges.
CREATE TABLE concerns (
    id             TEXT PRIMARY KEY,
    meeting_id     TEXT NOT NULL REFERENCES meetings (id),
    raised_by      TEXT NOT NULL, -- audit actor
    raised_by_name TEXT NOT NULL,
    about          TEXT NOT NULL DEFAULT '', -- participant ID, or '' for the meeting as a whole
    about_name     TEXT NOT NULL DEFAULT '',
    note           TEXT NOT NULL,
    at             TEXT NOT NULL
);
CREATE INDEX concerns_meeting ON concerns (meeting_id, at);

-- Retention: how long a profile's meetings keep chat text and detailed
-- register data (stays) after they end; the meeting row itself is kept.
ALTER TABLE profiles ADD COLUMN retention TEXT NOT NULL DEFAULT '{"chat_days":365,"register_days":2190}';
ALTER TABLE meetings ADD COLUMN chat_purged_at TEXT;
ALTER TABLE meetings ADD COLUMN register_purged_at TEXT;
CREATE INDEX meetings_ended ON meetings (ended_at);
