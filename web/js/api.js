// The HTTP JSON API. Errors come back as {code, message}; message is a sentence
// meant for the person, so pages show it as it is.

/**
 * @typedef {Object} Me
 * @property {string} id
 * @property {string} email
 * @property {string} name
 * @property {boolean} admin
 */

/**
 * @typedef {Object} Meeting
 * @property {string} id
 * @property {string} title
 * @property {string} purpose
 * @property {string} startsAt RFC 3339.
 * @property {number} durationMinutes
 * @property {string} profile The ID of its safeguarding profile.
 * @property {string} profile_name The profile's name.
 * @property {boolean} ended
 * @property {boolean} [running] Whether its room is open now.
 */

/**
 * @typedef {Object} Rules A profile's safeguarding rules (every one is required).
 * @property {number} auto_lock_minutes Lock this long after the start; 0 means never.
 * @property {'everyone' | 'hosts' | 'host'} screen_share
 * @property {'allowed' | 'muted' | 'off_until_allowed'} media_on_entry
 * @property {'yes' | 'when_asked'} self_unmute
 * @property {'renamable' | 'fixed'} display_names
 * @property {boolean} chime
 * @property {number} max_participants
 * @property {'observed' | 'off'} direct_messages
 * @property {'clickable' | 'text'} chat_links
 * @property {'since_start' | 'from_join'} chat_history
 */

/**
 * @typedef {Object} Profile A safeguarding profile: a named set of rules.
 * @property {string} id
 * @property {string} name
 * @property {Rules} rules
 */

/**
 * @typedef {Object} Invitation
 * @property {string} id
 * @property {string} name
 * @property {string} roleLabel
 * @property {string} createdAt RFC 3339.
 * @property {boolean} revoked
 */

/**
 * @typedef {Object} InvitationDetails What a guest learns from their invitation token.
 * @property {string} meeting The meeting's title.
 * @property {string} startsAt RFC 3339.
 * @property {string} name
 * @property {string} roleLabel
 */

/**
 * @typedef {Object} Staff
 * @property {string} id
 * @property {string} email
 * @property {string} name
 * @property {boolean} admin
 * @property {boolean} disabled
 */

/** An error from the API (or from the network), with a sentence to show. */
export class ApiError extends Error {
  /**
   * @param {number} status HTTP status; 0 when the server could not be reached.
   * @param {string} code Stable error code, e.g. "not_signed_in".
   * @param {string} message A sentence for the person.
   * @param {string} [field] The request field that was wrong, e.g. "name" or "screen sharing".
   */
  constructor(status, code, message, field = '') {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.field = field;
  }
}

const fallbackMessage = 'Something went wrong on the server. Please try again.';

/**
 * Sends one request and returns the parsed JSON body (undefined for 204).
 * @param {'GET' | 'POST' | 'PUT'} method
 * @param {string} path
 * @param {unknown} [body]
 * @returns {Promise<unknown>}
 */
async function request(method, path, body) {
  /** @type {RequestInit} */
  const init = { method, credentials: 'same-origin', headers: { Accept: 'application/json' } };
  if (method !== 'GET') {
    init.headers = { Accept: 'application/json', 'Content-Type': 'application/json' };
    init.body = JSON.stringify(body ?? {});
  }
  let response;
  try {
    response = await fetch(path, init);
  } catch {
    throw new ApiError(0, 'network', 'The server could not be reached. Check your connection and try again.');
  }
  if (response.status === 204) return undefined;
  /** @type {unknown} */
  let data;
  try {
    data = await response.json();
  } catch {
    data = undefined;
  }
  if (!response.ok) {
    const { code, message, field } = errorFields(data);
    throw new ApiError(response.status, code, message, field);
  }
  return data;
}

/**
 * Reads {code, message, field} from an error body, with fallbacks.
 * @param {unknown} data
 * @returns {{ code: string, message: string, field: string }}
 */
function errorFields(data) {
  if (typeof data === 'object' && data !== null) {
    const code = 'code' in data && typeof data.code === 'string' ? data.code : 'internal';
    const message = 'message' in data && typeof data.message === 'string' && data.message ? data.message : fallbackMessage;
    const field = 'field' in data && typeof data.field === 'string' ? data.field : '';
    return { code, message, field };
  }
  return { code: 'internal', message: fallbackMessage, field: '' };
}

/** @returns {Promise<Me | null>} The signed-in staff member, or null if nobody is. */
export async function getMe() {
  try {
    return /** @type {Me} */ (await request('GET', '/api/me'));
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) return null;
    throw err;
  }
}

/**
 * @param {string} email
 * @param {string} password
 * @returns {Promise<Me>}
 */
export async function login(email, password) {
  return /** @type {Me} */ (await request('POST', '/api/login', { email, password }));
}

/** @returns {Promise<void>} */
export async function logout() {
  await request('POST', '/api/logout');
}

/**
 * Exchanges a one-time sign-in link token for a login.
 * @param {string} token
 * @returns {Promise<Me>}
 */
export async function signInWithLink(token) {
  return /** @type {Me} */ (await request('POST', '/api/signin-link', { token }));
}

/**
 * @param {string} password
 * @returns {Promise<void>}
 */
export async function setPassword(password) {
  await request('POST', '/api/me/password', { password });
}

/** @returns {Promise<Meeting[]>} */
export async function listMeetings() {
  const data = /** @type {{ meetings: Meeting[] }} */ (await request('GET', '/api/meetings'));
  return data.meetings ?? [];
}

/**
 * @param {{ title: string, purpose: string, startsAt: string, durationMinutes: number, profile: string }} meeting
 * @returns {Promise<Meeting>}
 */
export async function createMeeting(meeting) {
  return /** @type {Meeting} */ (await request('POST', '/api/meetings', meeting));
}

/**
 * @param {string} id
 * @returns {Promise<{ meeting: Meeting, invitations: Invitation[] }>}
 */
export async function getMeeting(id) {
  const data = /** @type {{ meeting: Meeting, invitations: Invitation[] | null }} */ (
    await request('GET', `/api/meetings/${encodeURIComponent(id)}`));
  return { meeting: data.meeting, invitations: data.invitations ?? [] };
}

/**
 * @param {string} meetingId
 * @param {{ name: string, roleLabel: string }} invitee
 * @returns {Promise<{ invitation: Invitation, link: string }>}
 */
export async function addInvitation(meetingId, invitee) {
  return /** @type {{ invitation: Invitation, link: string }} */ (
    await request('POST', `/api/meetings/${encodeURIComponent(meetingId)}/invitations`, invitee));
}

/**
 * @param {string} meetingId
 * @param {string} invitationId
 * @returns {Promise<Invitation>}
 */
export async function revokeInvitation(meetingId, invitationId) {
  const data = /** @type {{ invitation: Invitation }} */ (await request('POST',
    `/api/meetings/${encodeURIComponent(meetingId)}/invitations/${encodeURIComponent(invitationId)}/revoke`));
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
    `/api/meetings/${encodeURIComponent(meetingId)}/invitations/${encodeURIComponent(invitationId)}/restore`));
  return data.invitation;
}

/**
 * Makes a new personal link for an invitation; the old link stops working.
 * @param {string} meetingId
 * @param {string} invitationId
 * @returns {Promise<{ invitation: Invitation, link: string }>}
 */
export async function renewInvitationLink(meetingId, invitationId) {
  return /** @type {{ invitation: Invitation, link: string }} */ (await request('POST',
    `/api/meetings/${encodeURIComponent(meetingId)}/invitations/${encodeURIComponent(invitationId)}/link`));
}

/**
 * Looks up what an invitation token is for.
 * @param {string} token
 * @returns {Promise<InvitationDetails>}
 */
export async function checkInvitation(token) {
  return /** @type {InvitationDetails} */ (await request('POST', '/api/invitation', { token }));
}

/** @returns {Promise<Staff[]>} */
export async function listStaff() {
  const data = /** @type {{ staff: Staff[] | null }} */ (await request('GET', '/api/staff'));
  return data.staff ?? [];
}

/**
 * @param {{ email: string, name: string, password: string, admin: boolean }} staff
 * @returns {Promise<Staff>}
 */
export async function addStaff(staff) {
  return /** @type {Staff} */ (await request('POST', '/api/staff', staff));
}

/** @returns {Promise<Profile[]>} Every safeguarding profile, the shipped ones first. */
export async function listProfiles() {
  const data = /** @type {{ profiles: Profile[] | null }} */ (await request('GET', '/api/profiles'));
  return data.profiles ?? [];
}

/**
 * Creates a profile (administrators only).
 * @param {{ name: string, rules: Rules }} profile
 * @returns {Promise<Profile>}
 */
export async function createProfile(profile) {
  return /** @type {Profile} */ (await request('POST', '/api/profiles', profile));
}

/**
 * Replaces a profile's name and rules (administrators only). Running meetings
 * take only the rules that got stricter.
 * @param {string} id
 * @param {{ name: string, rules: Rules }} profile
 * @returns {Promise<Profile>}
 */
export async function updateProfile(id, profile) {
  return /** @type {Profile} */ (await request('PUT', `/api/profiles/${encodeURIComponent(id)}`, profile));
}

/**
 * The sentence to show for any error thrown by this module (or anything else).
 * @param {unknown} err
 * @returns {string}
 */
export function errorMessage(err) {
  if (err instanceof ApiError) return err.message;
  return fallbackMessage;
}
