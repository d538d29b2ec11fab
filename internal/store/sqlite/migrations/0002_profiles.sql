-- Safeguarding profiles: an organisation's named sets of rules. Every meeting
-- runs under one. rules is the JSON of policy.Rules with every rule present
-- (policy.ParseRules refuses a missing one). Times are in 0001's fixed-width form.

CREATE TABLE profiles (
    id         TEXT PRIMARY KEY,
    name       TEXT NOT NULL UNIQUE,
    rules      TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

-- The three shipped profiles, strictest first. Admins may edit them; their IDs
-- are fixed (policy.ProfileChildren, policy.ProfileAdults, policy.ProfileInternalStaff).
INSERT INTO profiles (id, name, rules, created_at, updated_at) VALUES
    ('children-families', 'Children and families',
     '{"auto_lock_minutes":5,"screen_share":"host","media_on_entry":"muted","self_unmute":"when_asked","display_names":"fixed","chime":true,"max_participants":30,"direct_messages":"off","chat_links":"text","chat_history":"since_start"}',
     '2026-01-01T00:00:00.000000000Z', '2026-01-01T00:00:00.000000000Z'),
    ('adults-external', 'Adults — external',
     '{"auto_lock_minutes":10,"screen_share":"hosts","media_on_entry":"muted","self_unmute":"yes","display_names":"fixed","chime":true,"max_participants":50,"direct_messages":"off","chat_links":"text","chat_history":"since_start"}',
     '2026-01-01T00:00:00.000000000Z', '2026-01-01T00:00:00.000000000Z'),
    ('internal-staff', 'Internal staff',
     '{"auto_lock_minutes":0,"screen_share":"everyone","media_on_entry":"allowed","self_unmute":"yes","display_names":"renamable","chime":false,"max_participants":100,"direct_messages":"observed","chat_links":"clickable","chat_history":"since_start"}',
     '2026-01-01T00:00:00.000000000Z', '2026-01-01T00:00:00.000000000Z');

-- Every meeting names its profile; meetings made before profiles existed fall
-- under the strictest one. SQLite cannot add a REFERENCES column with a
-- non-NULL default while foreign keys are on, and rebuilding meetings (which
-- invitations reference) would need foreign keys off, which cannot be changed
-- inside this migration's transaction. So the reference is checked in Go: the
-- HTTP layer refuses a meeting whose profile does not exist, and profiles are
-- never deleted. A meeting whose profile cannot be read does not run.
ALTER TABLE meetings ADD COLUMN profile_id TEXT NOT NULL DEFAULT 'children-families';
