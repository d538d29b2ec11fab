// The HTTP JSON API for staff accounts, safeguarding profiles and the
// organisation's settings (docs/api.md). Profiles are readable by all
// staff; everything else here is for administrators.

import { request, seg } from './api.js';

/** @typedef {import('./api.js').Roles} Roles */

/**
 * @typedef {Object} Staff
 * @property {string} id
 * @property {string} email
 * @property {string} name
 * @property {boolean} admin
 * @property {Roles} roles
 * @property {boolean} disabled
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
 * @typedef {Object} Scheduling A profile's rules for scheduling its meetings.
 * @property {boolean} requires_approval An approver must approve before invitations go out.
 * @property {'now' | 'day_before'} invite_timing When invitations are sent.
 * @property {number} link_opens_minutes_before 0..1440.
 * @property {number} link_closes_minutes_after After the meeting's end; 0..1440.
 */

/**
 * @typedef {Object} Profile A safeguarding profile: a named set of rules.
 * @property {string} id
 * @property {string} name
 * @property {Rules} rules
 * @property {Scheduling} scheduling
 * @property {string} contract The participation contract ("" for none).
 */

/** @typedef {{ name: string, rules: Rules, scheduling: Scheduling, contract: string }} ProfileInput */

/** @typedef {'none' | 'starttls' | 'tls'} MailSecurity */

/**
 * @typedef {Object} MailSettings
 * @property {string} host "" means email is off.
 * @property {number} port
 * @property {MailSecurity} security
 * @property {string} username
 * @property {boolean} password_set
 * @property {string} from
 * @property {string} from_name
 * @property {boolean} configured
 */

/**
 * @typedef {Object} MailInput
 * @property {string} host
 * @property {number} port
 * @property {MailSecurity} security
 * @property {string} username
 * @property {string} password "" keeps the stored one.
 * @property {string} from
 * @property {string} from_name
 */

/**
 * @typedef {Object} SSOSettings
 * @property {string} issuer "" means single sign-on is off.
 * @property {string} client_id
 * @property {boolean} client_secret_set
 * @property {boolean} auto_provision
 * @property {string} auto_provision_domains The organisation's email domains, e.g. "school.example, trust.example".
 * @property {string} redirect_url To register with the identity provider.
 * @property {boolean} configured
 */

/**
 * @typedef {Object} SSOInput
 * @property {string} issuer
 * @property {string} client_id
 * @property {string} client_secret "" keeps the stored one.
 * @property {boolean} auto_provision
 * @property {string} auto_provision_domains Required with auto_provision: only these domains' addresses get accounts.
 */

/** @typedef {{ mail: MailSettings, sso: SSOSettings, categories: string[] }} Settings */

/** @returns {Promise<Staff[]>} */
export async function listStaff() {
  const data = /** @type {{ staff: Staff[] | null }} */ (await request('GET', '/api/staff'));
  return data.staff ?? [];
}

/**
 * @param {{ email: string, name: string, password: string, roles: Roles }} staff
 * @returns {Promise<Staff>}
 */
export async function addStaff(staff) {
  return /** @type {Staff} */ (await request('POST', '/api/staff', staff));
}

/**
 * @param {string} id
 * @param {Roles} roles
 * @returns {Promise<Staff>}
 */
export async function setStaffRoles(id, roles) {
  return /** @type {Staff} */ (await request('PUT', `/api/staff/${seg(id)}/roles`, roles));
}

/**
 * Signs the person out everywhere and takes them out of meetings they host.
 * @param {string} id
 * @returns {Promise<Staff>}
 */
export async function disableStaff(id) {
  return /** @type {Staff} */ (await request('POST', `/api/staff/${seg(id)}/disable`));
}

/**
 * @param {string} id
 * @returns {Promise<Staff>}
 */
export async function enableStaff(id) {
  return /** @type {Staff} */ (await request('POST', `/api/staff/${seg(id)}/enable`));
}

/** @returns {Promise<Profile[]>} Every safeguarding profile, the shipped ones first. */
export async function listProfiles() {
  const data = /** @type {{ profiles: Profile[] | null }} */ (await request('GET', '/api/profiles'));
  return data.profiles ?? [];
}

/**
 * Creates a profile (administrators only).
 * @param {ProfileInput} profile
 * @returns {Promise<Profile>}
 */
export async function createProfile(profile) {
  return /** @type {Profile} */ (await request('POST', '/api/profiles', profile));
}

/**
 * Replaces a profile (administrators only). Running meetings take only the
 * rules that got stricter.
 * @param {string} id
 * @param {ProfileInput} profile
 * @returns {Promise<Profile>}
 */
export async function updateProfile(id, profile) {
  return /** @type {Profile} */ (await request('PUT', `/api/profiles/${seg(id)}`, profile));
}

/**
 * @param {unknown} data
 * @returns {Settings}
 */
function settings(data) {
  const s = /** @type {Settings} */ (data);
  return { ...s, categories: s.categories ?? [] };
}

/** @returns {Promise<Settings>} */
export async function getSettings() {
  return settings(await request('GET', '/api/settings'));
}

/**
 * @param {MailInput} mail
 * @returns {Promise<Settings>}
 */
export async function putMailSettings(mail) {
  return settings(await request('PUT', '/api/settings/mail', mail));
}

/**
 * @param {SSOInput} sso
 * @returns {Promise<Settings>}
 */
export async function putSSOSettings(sso) {
  return settings(await request('PUT', '/api/settings/sso', sso));
}

/**
 * @param {string[]} categories 1..50 names, each 1..100 characters, no duplicates.
 * @returns {Promise<Settings>}
 */
export async function putCategories(categories) {
  return settings(await request('PUT', '/api/settings/categories', { categories }));
}
