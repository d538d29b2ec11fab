// The HTTP JSON API for meetings: scheduling, approvals and invitations
// (docs/api.md). Requests go through api.js's request helper.

import { request, seg } from './api.js';

/** @typedef {import('./api.js').Consent} Consent */

/** @typedef {'not_needed' | 'pending' | 'approved' | 'declined'} Approval */

/**
 * @typedef {Object} Meeting
 * @property {string} id
 * @property {string} title
 * @property {string} purpose
 * @property {string} category One of the organisation's purpose categories.
 * @property {string} startsAt RFC 3339.
 * @property {number} durationMinutes
 * @property {string} profile The ID of its safeguarding profile.
 * @property {string} profile_name The profile's name.
 * @property {string} host_name
 * @property {boolean} ended
 * @property {boolean} [running] Whether its room is open now.
 * @property {Approval} approval
 * @property {string} approval_by The approver's name ("" if none).
 * @property {string} approval_at RFC 3339, or "".
 * @property {string} approval_note
 * @property {string} [approval_fingerprint] For approvers: what they are shown; a decision sends it back.
 */

/**
 * @typedef {Object} MeetingInput The body of POST and PUT /api/meetings.
 * @property {string} title
 * @property {string} purpose
 * @property {string} category
 * @property {string} startsAt RFC 3339.
 * @property {number} durationMinutes
 * @property {string} profile
 */

/** @typedef {'adult' | 'under16'} AgeGroup */
/** @typedef {'manual' | 'queued' | 'sent'} Delivery */

/**
 * @typedef {Object} Invitation
 * @property {string} id
 * @property {string} name
 * @property {string} roleLabel
 * @property {string} createdAt RFC 3339.
 * @property {boolean} revoked
 * @property {string} email The adult invitee's address ("" for under-16s).
 * @property {AgeGroup} ageGroup
 * @property {string} guardianName Under-16s: the parent or carer all mail goes to.
 * @property {string} guardianEmail
 * @property {Consent} consent Under-16s: the parent's or carer's answer.
 * @property {Delivery} delivery
 * @property {number} attempts
 * @property {string} deliveryError The mail server's last refusal ("" if none).
 * @property {string} sentAt RFC 3339, or "".
 * @property {string} nextAttemptAt RFC 3339, or "".
 */

/**
 * @typedef {Object} InviteeInput
 * @property {string} name
 * @property {string} roleLabel
 * @property {string} email
 * @property {AgeGroup} ageGroup
 * @property {string} guardianName
 * @property {string} guardianEmail
 */

/**
 * @typedef {Object} MeetingDetails
 * @property {Meeting} meeting
 * @property {Invitation[]} invitations
 * @property {string} contract The participation contract of its profile ("" if none).
 * @property {boolean} mine Whether the signed-in staff member hosts it (else they
 *   are an approver looking at it).
 */

/**
 * @typedef {Object} InvitationAnswer
 * @property {Invitation} invitation
 * @property {string} [link] Only without email, once the meeting is cleared: the
 *   personal link, shown this once.
 */

/**
 * @typedef {Object} SchedulingOptions
 * @property {string[]} categories The organisation's purpose categories.
 * @property {boolean} mail_configured Whether invitations are emailed.
 */

/** @typedef {{ meeting: Meeting, invitations: Invitation[] }} PendingMeeting */

/** @returns {Promise<Meeting[]>} The signed-in host's own meetings. */
export async function listMeetings() {
  const data = /** @type {{ meetings: Meeting[] | null }} */ (await request('GET', '/api/meetings'));
  return data.meetings ?? [];
}

/**
 * @param {MeetingInput} meeting
 * @returns {Promise<Meeting>}
 */
export async function createMeeting(meeting) {
  return /** @type {Meeting} */ (await request('POST', '/api/meetings', meeting));
}

/**
 * Changes a meeting (its host only). Changing an approved meeting's time,
 * purpose, category or profile sends it back for approval.
 * @param {string} id
 * @param {MeetingInput} meeting
 * @returns {Promise<Meeting>}
 */
export async function updateMeeting(id, meeting) {
  return /** @type {Meeting} */ (await request('PUT', `/api/meetings/${seg(id)}`, meeting));
}

/**
 * @param {string} id
 * @returns {Promise<MeetingDetails>}
 */
export async function getMeeting(id) {
  const data = /** @type {{ meeting: Meeting, invitations: Invitation[] | null, contract?: string, mine?: boolean }} */ (
    await request('GET', `/api/meetings/${seg(id)}`));
  // A server without "mine" shows the host's controls; it refuses what is not ours anyway.
  return { meeting: data.meeting, invitations: data.invitations ?? [], contract: data.contract ?? '', mine: data.mine ?? true };
}

/** @returns {Promise<SchedulingOptions>} */
export async function getSchedulingOptions() {
  const data = /** @type {{ categories: string[] | null, mail_configured?: boolean }} */ (
    await request('GET', '/api/scheduling-options'));
  return { categories: data.categories ?? [], mail_configured: data.mail_configured === true };
}

/** @returns {Promise<PendingMeeting[]>} Meetings waiting for approval, soonest first (approvers only). */
export async function listApprovals() {
  const data = /** @type {{ meetings: Array<{ meeting: Meeting, invitations: Invitation[] | null }> | null }} */ (
    await request('GET', '/api/approvals'));
  return (data.meetings ?? []).map((p) => ({ meeting: p.meeting, invitations: p.invitations ?? [] }));
}

/**
 * @param {string} id
 * @param {string} note Optional.
 * @param {string} fingerprint The meeting's approval_fingerprint as shown: a decision is about what was seen.
 * @returns {Promise<Meeting>}
 */
export async function approveMeeting(id, note, fingerprint) {
  return /** @type {Meeting} */ (await request('POST', `/api/meetings/${seg(id)}/approve`, { note, fingerprint }));
}

/**
 * @param {string} id
 * @param {string} note Required: why, for the host.
 * @param {string} fingerprint As for approveMeeting.
 * @returns {Promise<Meeting>}
 */
export async function declineMeeting(id, note, fingerprint) {
  return /** @type {Meeting} */ (await request('POST', `/api/meetings/${seg(id)}/decline`, { note, fingerprint }));
}

/**
 * @param {string} meetingId
 * @param {InviteeInput} invitee
 * @returns {Promise<InvitationAnswer>}
 */
export async function addInvitation(meetingId, invitee) {
  return /** @type {InvitationAnswer} */ (await request('POST', `/api/meetings/${seg(meetingId)}/invitations`, invitee));
}

/**
 * @param {string} meetingId
 * @param {string} invitationId
 * @returns {Promise<Invitation>}
 */
export async function revokeInvitation(meetingId, invitationId) {
  const data = /** @type {{ invitation: Invitation }} */ (await request('POST',
    `/api/meetings/${seg(meetingId)}/invitations/${seg(invitationId)}/revoke`));
  return data.invitation;
}

/**
 * Lifts a revocation or a removal: the same link works again, and a person
 * removed from the meeting may return to the waiting room.
 * @param {string} meetingId
 * @param {string} invitationId
 * @returns {Promise<Invitation>}
 */
export async function restoreInvitation(meetingId, invitationId) {
  const data = /** @type {{ invitation: Invitation }} */ (await request('POST',
    `/api/meetings/${seg(meetingId)}/invitations/${seg(invitationId)}/restore`));
  return data.invitation;
}

/**
 * Makes a new personal link for an invitation; the old link stops working. With
 * email, the new link is emailed (and not returned).
 * @param {string} meetingId
 * @param {string} invitationId
 * @returns {Promise<InvitationAnswer>}
 */
export async function renewInvitationLink(meetingId, invitationId) {
  return /** @type {InvitationAnswer} */ (await request('POST',
    `/api/meetings/${seg(meetingId)}/invitations/${seg(invitationId)}/link`));
}
