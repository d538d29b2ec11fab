// The HTTP JSON API of the meeting register (docs/api.md, "Register"):
// auditors and approvers read every meeting's record, hosts their own. Requests
// go through api.js's request helper; exports are plain links (see exportURL).

import { request, seg } from './api.js';

/**
 * @typedef {Object} RegisterRow One meeting in the register.
 * @property {string} id
 * @property {string} title
 * @property {string} purpose
 * @property {string} category
 * @property {string} profile The safeguarding profile's ID.
 * @property {string} profileName
 * @property {string} hostId
 * @property {string} host The host's name.
 * @property {string} approver The approver's name ("" unless approved).
 * @property {string} approvedAt RFC 3339, or "".
 * @property {string} scheduledStart RFC 3339.
 * @property {string} scheduledEnd RFC 3339.
 * @property {string} actualStart RFC 3339, or "" if it never ran.
 * @property {string} actualEnd RFC 3339, or "" while it runs or if it never ran.
 * @property {boolean} running
 * @property {number} attendees Distinct people ever admitted (the host included).
 * @property {number} admissions Stays admitted by someone.
 * @property {number} denials
 * @property {number} removals
 * @property {number} concerns
 * @property {number} interruptions Server restarts while it ran.
 */

/**
 * @typedef {Object} Attendance One person's one stay in the meeting.
 * @property {string} name
 * @property {string} roleLabel
 * @property {string} displayName The name they used, if they renamed themselves.
 * @property {string} role "host", "co-host" or "participant".
 * @property {boolean} under16
 * @property {string} consentBy
 * @property {string} contractAcceptedAt RFC 3339, or "".
 * @property {string} joined RFC 3339: when they arrived.
 * @property {string} admittedAt RFC 3339, or "" if never admitted.
 * @property {string} admittedBy
 * @property {string} left RFC 3339, or "" while there.
 * @property {number} presentSeconds
 * @property {number} presentMinutes To one decimal, as the exports show it.
 * @property {string} admission
 * @property {string} outcome
 */

/**
 * @typedef {Object} ConcernRecord
 * @property {string} at
 * @property {string} raisedBy
 * @property {string} about "" for the meeting as a whole.
 * @property {string} note
 */

/**
 * @typedef {Object} ConsentRecord A parent's or carer's answer for an invitee under 16.
 * @property {string} child
 * @property {string} by
 * @property {string} at
 * @property {string} state "", "given", "refused" or "withdrawn".
 */

/**
 * @typedef {Object} ContractAcceptance
 * @property {string} name
 * @property {string} at
 * @property {string} hash
 */

/**
 * @typedef {Object} TimelineEntry One audit entry of the meeting, told for people.
 * @property {number} seq
 * @property {string} at
 * @property {string} actor
 * @property {string} action
 * @property {string} subject
 * @property {string} outcome "allowed" or "refused".
 * @property {string} text
 */

/**
 * @typedef {Object} MeetingRecord One meeting's whole record.
 * @property {RegisterRow} meeting
 * @property {Attendance[]} attendance
 * @property {ConcernRecord[]} concerns
 * @property {ConsentRecord[]} consents
 * @property {ContractAcceptance[]} contractAcceptances
 * @property {TimelineEntry[]} timeline
 * @property {boolean} timelineTruncated
 */

/**
 * The register's filters, as the query string of the page and the API.
 * @typedef {Object} RegisterFilter
 * @property {string} from YYYY-MM-DD, or "".
 * @property {string} to YYYY-MM-DD (inclusive), or "".
 * @property {string} host A staff ID, or "".
 * @property {string} profile A profile ID, or "".
 * @property {string} purpose Text, or "".
 */

/** @type {Array<keyof RegisterFilter>} */
const filterKeys = ['from', 'to', 'host', 'profile', 'purpose'];

/**
 * Reads the filters from a query string.
 * @param {string} search e.g. location.search.
 * @returns {RegisterFilter}
 */
export function filterFrom(search) {
  const q = new URLSearchParams(search);
  return {
    from: q.get('from') ?? '', to: q.get('to') ?? '', host: q.get('host') ?? '',
    profile: q.get('profile') ?? '', purpose: q.get('purpose') ?? '',
  };
}

/**
 * The filters as query parameters, leaving out the empty ones.
 * @param {RegisterFilter} f
 * @returns {URLSearchParams}
 */
function params(f) {
  const q = new URLSearchParams();
  for (const key of filterKeys) {
    if (f[key]) q.set(key, f[key]);
  }
  return q;
}

/**
 * The meetings the filters select.
 * @param {RegisterFilter} f
 * @returns {Promise<RegisterRow[]>}
 */
export async function listRegister(f) {
  const data = /** @type {{ meetings: RegisterRow[] | null }} */ (await request('GET', `/api/register?${params(f)}`));
  return data.meetings ?? [];
}

/**
 * One meeting's record.
 * @param {string} id
 * @returns {Promise<MeetingRecord>}
 */
export async function getMeetingRecord(id) {
  return /** @type {MeetingRecord} */ (await request('GET', `/api/register/${seg(id)}`));
}

/**
 * The address of an export of the meetings the filters select.
 * @param {'csv' | 'xlsx'} format
 * @param {'meetings' | 'attendance'} table Which table a CSV file holds (a workbook holds both).
 * @param {RegisterFilter} f
 * @returns {string}
 */
export function exportURL(format, table, f) {
  const q = params(f);
  q.set('format', format);
  if (format === 'csv') q.set('table', table);
  return `/api/register/export?${q}`;
}
