// The HTTP JSON API: the request helper, errors, the signed-in staff member,
// sign-in, and what invitees and parents or carers do with their links. Errors
// come back as {code, message}; message is a sentence meant for the person, so
// pages show it as it is. Meetings are in api-meetings.js; staff, profiles and
// settings in api-admin.js.

/**
 * @typedef {Object} Roles What a staff member may do (docs/api.md).
 * @property {boolean} admin Accounts, profiles, settings.
 * @property {boolean} approver Approves meetings.
 * @property {boolean} host Schedules and runs meetings.
 * @property {boolean} auditor Reads registers.
 */

/** @typedef {keyof Roles} RoleName */

/**
 * @typedef {Object} Me
 * @property {string} id
 * @property {string} email
 * @property {string} name
 * @property {boolean} admin
 * @property {Roles} roles
 */

/**
 * @typedef {Object} InvitationDetails What a guest learns from their invitation token.
 * @property {string} meeting The meeting's title.
 * @property {string} startsAt RFC 3339.
 * @property {string} name
 * @property {string} roleLabel
 */

/** @typedef {'' | 'given' | 'refused' | 'withdrawn'} ConsentState */

/**
 * @typedef {Object} Consent A parent's or carer's answer for an invitee under 16.
 * @property {ConsentState} state "" while nobody has answered.
 * @property {string} by The name the person answering gave.
 * @property {string} at RFC 3339, or "".
 */

/**
 * @typedef {Object} ConsentView What a parent or carer sees on the consent page.
 * @property {{ title: string, purpose: string, category: string, startsAt: string, durationMinutes: number, host: string }} meeting
 * @property {{ name: string, roleLabel: string }} child
 * @property {{ name: string }} guardian
 * @property {boolean} recorded Whether the meeting may be recorded.
 * @property {string} contract The participation contract ("" if none).
 * @property {Consent} consent
 * @property {boolean} open False once the meeting has ended: answers are refused then.
 */

/** @typedef {'give' | 'refuse' | 'withdraw'} ConsentAnswer */

/** An error from the API (or from the network), with a sentence to show. */
export class ApiError extends Error {
  /**
   * @param {number} status HTTP status; 0 when the server could not be reached.
   * @param {string} code Stable error code, e.g. "not_signed_in".
   * @param {string} message A sentence for the person.
   * @param {string} [field] The request field that was wrong, e.g. "name" or "screen sharing".
   * @param {Record<string, unknown>} [body] The whole error body, for codes that
   *   carry more (e.g. invitation_not_open's opensAt).
   */
  constructor(status, code, message, field = '', body = {}) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.field = field;
    this.body = body;
  }
}

const fallbackMessage = 'Something went wrong on the server. Please try again.';

/**
 * Sends one request and returns the parsed JSON body (undefined for 204). Every
 * api-*.js module goes through here.
 * @param {'GET' | 'POST' | 'PUT'} method
 * @param {string} path
 * @param {unknown} [body]
 * @returns {Promise<unknown>}
 */
export async function request(method, path, body) {
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
    const whole = typeof data === 'object' && data !== null ? /** @type {Record<string, unknown>} */ (data) : {};
    throw new ApiError(response.status, code, message, field, whole);
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

/**
 * Encodes one path segment.
 * @param {string} id
 * @returns {string}
 */
export function seg(id) {
  return encodeURIComponent(id);
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
 * Whether me holds role. An admin flag from before roles counts as the admin role.
 * @param {Me} me
 * @param {RoleName} role
 * @returns {boolean}
 */
export function hasRole(me, role) {
  if (role === 'admin' && me.admin) return true;
  return me.roles?.[role] === true;
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

/** @returns {Promise<{ enabled: boolean }>} Whether staff may sign in with the organisation's single sign-on. */
export async function getSSO() {
  const data = /** @type {{ enabled?: boolean }} */ (await request('GET', '/api/sso'));
  return { enabled: data.enabled === true };
}

/**
 * Looks up what an invitation token is for. Refusals carry a code:
 * invitation_not_open (with opensAt in the error's body), invitation_closed,
 * consent_needed, meeting_not_approved, invitation_invalid.
 * @param {string} token
 * @returns {Promise<InvitationDetails>}
 */
export async function checkInvitation(token) {
  return /** @type {InvitationDetails} */ (await request('POST', '/api/invitation', { token }));
}

/**
 * What a consent link is for, and the answer so far.
 * @param {string} token
 * @returns {Promise<ConsentView>}
 */
export async function getConsent(token) {
  return /** @type {ConsentView} */ (await request('POST', '/api/consent', { token }));
}

/**
 * Gives, refuses or withdraws consent.
 * @param {string} token
 * @param {ConsentAnswer} answer
 * @param {string} name The name of the person answering (1..100 characters).
 * @returns {Promise<ConsentView>}
 */
export async function answerConsent(token, answer, name) {
  return /** @type {ConsentView} */ (await request('POST', '/api/consent/answer', { token, answer, name }));
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
