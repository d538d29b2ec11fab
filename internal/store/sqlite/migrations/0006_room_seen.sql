-- When a running room was last known alive (a heartbeat while it runs), so
-- that after a crash the attendance it restores does not count the outage.
ALTER TABLE room_states ADD COLUMN seen_at TEXT;
