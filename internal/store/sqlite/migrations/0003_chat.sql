-- Every chat message posted in a meeting, kept with the meeting's record so
-- that nothing said to a child (least of all a direct message) is unobserved.
-- Deleting a message in the room hides it from everyone there; the record
-- keeps it. How long chat text is kept is the retention job's to decide.
CREATE TABLE chat_messages (
    seq            INTEGER PRIMARY KEY,
    meeting_id     TEXT NOT NULL REFERENCES meetings (id),
    sender         TEXT NOT NULL, -- the audit actor: "invitation:<id>" or "staff:<id>"
    sender_name    TEXT NOT NULL,
    audience       TEXT NOT NULL CHECK (audience IN ('everyone', 'hosts', 'direct')),
    recipient      TEXT NOT NULL DEFAULT '', -- direct messages only
    recipient_name TEXT NOT NULL DEFAULT '',
    text           TEXT NOT NULL,
    at             TEXT NOT NULL
);
CREATE INDEX chat_messages_meeting ON chat_messages (meeting_id, seq);
