-- Scheduling, approval, emailed invitations, consent, the participation
-- contract, staff roles and single sign-on. Times are in 0001's fixed-width form.

-- Staff roles. Every account so far could host; admins so far did everything,
-- so they keep every role.
ALTER TABLE staff ADD COLUMN host INTEGER NOT NULL DEFAULT 1 CHECK (host IN (0, 1));
ALTER TABLE staff ADD COLUMN approver INTEGER NOT NULL DEFAULT 0 CHECK (approver IN (0, 1));
ALTER TABLE staff ADD COLUMN auditor INTEGER NOT NULL DEFAULT 0 CHECK (auditor IN (0, 1));
UPDATE staff SET approver = 1, auditor = 1 WHERE admin = 1;

-- A profile's scheduling settings (policy.Scheduling as JSON, every key
-- present) and its participation contract.
ALTER TABLE profiles ADD COLUMN scheduling TEXT NOT NULL
    DEFAULT '{"requires_approval":true,"invite_timing":"now","link_opens_minutes_before":15,"link_closes_minutes_after":0}';
ALTER TABLE profiles ADD COLUMN contract TEXT NOT NULL DEFAULT '';
UPDATE profiles SET scheduling = '{"requires_approval":true,"invite_timing":"day_before","link_opens_minutes_before":15,"link_closes_minutes_after":0}'
    WHERE id = 'children-families';
UPDATE profiles SET scheduling = '{"requires_approval":false,"invite_timing":"now","link_opens_minutes_before":15,"link_closes_minutes_after":15}'
    WHERE id = 'adults-external';
UPDATE profiles SET scheduling = '{"requires_approval":false,"invite_timing":"now","link_opens_minutes_before":60,"link_closes_minutes_after":60}'
    WHERE id = 'internal-staff';
UPDATE profiles SET contract = 'Before you join, please read these rules and agree to them. They keep everyone in the meeting safe.

1. Join from a shared room at home if you can, not a bedroom. Sit so that your camera shows you against a plain wall or background, and dress as you would for meeting in person.
2. Keep your microphone off unless you are speaking. Turn your camera on when the host asks you to.
3. Do not record, screenshot or photograph the meeting, on this device or on any other. If the meeting is recorded, the host will tell everyone first.
4. Do not share anyone''s personal details (address, phone number, school, social media) by voice, chat or screen.
5. Only say, write or show things that are right for everyone present. Do not share links, pictures or files unless the host asks for them.
6. Tell the host if anyone else is in the room with you.
7. If anything in the meeting worries you, tell the host (raise your hand or write to the hosts in the chat), or tell an adult you trust.
8. If these rules are broken, the host may mute you, return you to the waiting room or remove you from the meeting, and may tell the organisation''s safeguarding lead what happened.'
    WHERE id IN ('children-families', 'adults-external');

-- Meetings: a purpose category and approval.
ALTER TABLE meetings ADD COLUMN category TEXT NOT NULL DEFAULT '';
ALTER TABLE meetings ADD COLUMN approval TEXT NOT NULL DEFAULT 'not_needed'
    CHECK (approval IN ('not_needed', 'pending', 'approved', 'declined'));
ALTER TABLE meetings ADD COLUMN approval_by TEXT NOT NULL DEFAULT '';
ALTER TABLE meetings ADD COLUMN approval_at TEXT;
ALTER TABLE meetings ADD COLUMN approval_note TEXT NOT NULL DEFAULT '';
ALTER TABLE meetings ADD COLUMN revision INTEGER NOT NULL DEFAULT 0;
CREATE INDEX meetings_approval ON meetings (approval, starts_at);

-- Invitations: where the link is emailed, the invitee's age group, the parent
-- or carer of an invitee under 16 and their consent, and delivery.
ALTER TABLE invitations ADD COLUMN email TEXT NOT NULL DEFAULT '';
ALTER TABLE invitations ADD COLUMN age_group TEXT NOT NULL DEFAULT 'adult' CHECK (age_group IN ('adult', 'under16'));
ALTER TABLE invitations ADD COLUMN guardian_name TEXT NOT NULL DEFAULT '';
ALTER TABLE invitations ADD COLUMN guardian_email TEXT NOT NULL DEFAULT '';
ALTER TABLE invitations ADD COLUMN consent_token_hash TEXT;
ALTER TABLE invitations ADD COLUMN consent TEXT NOT NULL DEFAULT '' CHECK (consent IN ('', 'given', 'refused', 'withdrawn'));
ALTER TABLE invitations ADD COLUMN consent_by TEXT NOT NULL DEFAULT '';
ALTER TABLE invitations ADD COLUMN consent_at TEXT;
ALTER TABLE invitations ADD COLUMN delivery TEXT NOT NULL DEFAULT 'manual' CHECK (delivery IN ('manual', 'queued', 'sent'));
ALTER TABLE invitations ADD COLUMN attempts INTEGER NOT NULL DEFAULT 0;
ALTER TABLE invitations ADD COLUMN delivery_error TEXT NOT NULL DEFAULT '';
ALTER TABLE invitations ADD COLUMN next_attempt_at TEXT;
ALTER TABLE invitations ADD COLUMN sent_at TEXT;
CREATE UNIQUE INDEX invitations_consent_token ON invitations (consent_token_hash) WHERE consent_token_hash IS NOT NULL;
CREATE INDEX invitations_delivery ON invitations (delivery, next_attempt_at);

-- Every acceptance of a participation contract: who, when, and which text
-- (its SHA-256). Kept with the meeting's record.
CREATE TABLE contract_acceptances (
    meeting_id    TEXT NOT NULL REFERENCES meetings (id),
    invitation_id TEXT NOT NULL REFERENCES invitations (id),
    name          TEXT NOT NULL,
    contract_hash TEXT NOT NULL,
    accepted_at   TEXT NOT NULL,
    PRIMARY KEY (meeting_id, invitation_id, contract_hash)
);

-- Mail that carries no secret (approval outcomes, notices), sent and retried
-- by the delivery job. Invitation mail is not here: its link is made at the
-- moment of sending, so that no usable link is ever stored.
CREATE TABLE outbox (
    id              TEXT PRIMARY KEY,
    to_email        TEXT NOT NULL,
    to_name         TEXT NOT NULL,
    subject         TEXT NOT NULL,
    body            TEXT NOT NULL,
    meeting_id      TEXT NOT NULL DEFAULT '',
    created_at      TEXT NOT NULL,
    attempts        INTEGER NOT NULL DEFAULT 0,
    delivery_error  TEXT NOT NULL DEFAULT '',
    next_attempt_at TEXT NOT NULL,
    sent_at         TEXT
);
CREATE INDEX outbox_due ON outbox (sent_at, next_attempt_at);

-- Organisation settings an admin edits: "purpose_categories" (a JSON list of
-- names), "smtp" (mail.Config) and "oidc" (oidc.Config), each as JSON.
CREATE TABLE settings (
    key        TEXT PRIMARY KEY,
    value      TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
INSERT INTO settings (key, value, updated_at) VALUES ('purpose_categories',
    '["Annual review","Group session","Music therapy","One-to-one support","Parent or carer meeting","Professionals meeting","Staff meeting","Other"]',
    '2026-01-01T00:00:00.000000000Z');

-- Meetings not yet held under a profile that now needs approval wait for it:
-- nothing that was never approved is cleared by this migration.
UPDATE meetings SET approval = 'pending'
    WHERE ended_at IS NULL
      AND profile_id IN (SELECT id FROM profiles WHERE json_extract(scheduling, '$.requires_approval'));
