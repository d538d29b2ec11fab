-- Times are UTC text in a fixed-width RFC 3339 form with nine fractional digits
-- ("2026-03-04T09:30:00.000000000Z"), so they sort and compare as text.
-- A NULL time means "not yet" (not disabled, not used, not ended, not revoked).

CREATE TABLE org (
    id         INTEGER PRIMARY KEY CHECK (id = 1),
    name       TEXT NOT NULL,
    created_at TEXT NOT NULL
);

CREATE TABLE staff (
    id            TEXT PRIMARY KEY,
    email         TEXT NOT NULL UNIQUE,
    name          TEXT NOT NULL,
    password_hash TEXT NOT NULL DEFAULT '',
    admin         INTEGER NOT NULL DEFAULT 0 CHECK (admin IN (0, 1)),
    created_at    TEXT NOT NULL,
    disabled_at   TEXT
);

CREATE TABLE logins (
    id_hash    TEXT PRIMARY KEY,
    staff_id   TEXT NOT NULL REFERENCES staff (id) ON DELETE CASCADE,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL
);
CREATE INDEX logins_staff_id ON logins (staff_id);

CREATE TABLE signin_links (
    token_hash TEXT PRIMARY KEY,
    staff_id   TEXT NOT NULL REFERENCES staff (id) ON DELETE CASCADE,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    used_at    TEXT
);
CREATE INDEX signin_links_staff_id ON signin_links (staff_id);

CREATE TABLE meetings (
    id          TEXT PRIMARY KEY,
    host_id     TEXT NOT NULL REFERENCES staff (id),
    title       TEXT NOT NULL,
    purpose     TEXT NOT NULL,
    starts_at   TEXT NOT NULL,
    duration_ns INTEGER NOT NULL,
    created_at  TEXT NOT NULL,
    ended_at    TEXT
);
CREATE INDEX meetings_host_starts ON meetings (host_id, starts_at);

CREATE TABLE invitations (
    id         TEXT PRIMARY KEY,
    meeting_id TEXT NOT NULL REFERENCES meetings (id),
    token_hash TEXT NOT NULL UNIQUE,
    name       TEXT NOT NULL,
    role_label TEXT NOT NULL,
    created_at TEXT NOT NULL,
    revoked_at TEXT
);
CREATE INDEX invitations_meeting ON invitations (meeting_id, created_at);

-- The audit log is append-only: each row's hash chains it to the one before
-- (see internal/audit), and the triggers refuse edits and deletions outright.
CREATE TABLE audit_log (
    seq       INTEGER PRIMARY KEY,
    at        TEXT NOT NULL,
    actor     TEXT NOT NULL,
    action    TEXT NOT NULL,
    subject   TEXT NOT NULL,
    outcome   TEXT NOT NULL,
    details   TEXT NOT NULL,
    meeting   TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash      TEXT NOT NULL
);
CREATE INDEX audit_log_meeting ON audit_log (meeting, seq);

CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;

CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;
