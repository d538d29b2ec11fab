// The scheduling part of a profile form (admin page): whether its meetings need
// an approver, when invitations go out, when invitation links open and close,
// and the participation contract invitees agree to in the waiting room.

import { el, field, input } from './dom.js';

/** @typedef {import('./api-admin.js').Profile} Profile */
/** @typedef {import('./api-admin.js').Scheduling} Scheduling */

/** What a new profile starts from. @type {Scheduling} */
const defaults = { requires_approval: true, invite_timing: 'now', link_opens_minutes_before: 15, link_closes_minutes_after: 30 };

/** The contract's limit (the server counts bytes; this counts characters). */
const contractMax = 20000;

/** Labels by field name, for naming a field the server says is wrong. @type {Record<string, string>} */
const labels = {
  requires_approval: 'Meetings need approval',
  invite_timing: 'When invitations are sent',
  link_opens_minutes_before: 'Invitation links open this many minutes before the start',
  link_closes_minutes_after: 'Invitation links close this many minutes after the end',
  contract: 'Participation contract',
};

/** Names the server may give these fields in an error, by field. @type {Record<string, string[]>} */
const errorNames = {
  requires_approval: ['requires approval', 'approval'],
  invite_timing: ['invite timing', 'invitation timing'],
  link_opens_minutes_before: ['link opens minutes before', 'link opens'],
  link_closes_minutes_after: ['link closes minutes after', 'link closes'],
  contract: ['participation contract'],
};

/**
 * @typedef {Object} SchedulingFields
 * @property {HTMLFieldSetElement} fieldset The scheduling controls.
 * @property {HTMLElement} contractField The contract's label and textarea.
 * @property {Map<string, HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement>} controls By field name.
 * @property {() => { scheduling: Scheduling, contract: string }} read
 */

/**
 * Builds the scheduling controls and the contract field, set to profile's values.
 * @param {string} prefix Makes element IDs unique on the page.
 * @param {Profile} [profile]
 * @returns {SchedulingFields}
 */
export function schedulingFields(prefix, profile) {
  const s = profile?.scheduling ?? defaults;
  const approval = input(`${prefix}-requires-approval`, 'checkbox');
  approval.checked = s.requires_approval === true;
  const timing = el('select', { attrs: { id: `${prefix}-invite-timing`, name: 'invite_timing', required: '' }, children: [
    el('option', { text: 'As soon as the meeting is approved (or at once, without approval)', attrs: { value: 'now' } }),
    el('option', { text: 'The day before the meeting', attrs: { value: 'day_before' } }),
  ] });
  timing.value = s.invite_timing === 'day_before' ? 'day_before' : 'now';
  const opens = minutes(`${prefix}-link-opens`, s.link_opens_minutes_before);
  const closes = minutes(`${prefix}-link-closes`, s.link_closes_minutes_after);
  const contract = el('textarea', { className: 'contract-input', attrs: {
    id: `${prefix}-contract`, name: 'contract', rows: '8', maxlength: String(contractMax), spellcheck: 'true',
  } });
  contract.value = profile?.contract ?? '';
  const fieldset = el('fieldset', { className: 'rules scheduling', children: [
    el('legend', { text: 'Scheduling' }),
    el('div', { className: 'field checkbox', children: [
      approval, el('label', { text: 'Meetings need an approver\u2019s approval before invitations go out', attrs: { for: approval.id } }),
    ] }),
    field(labels['invite_timing'] ?? '', timing, 'Invitations are emailed when email is set up; otherwise hosts pass the links on.'),
    el('div', { className: 'row', children: [
      field(labels['link_opens_minutes_before'] ?? '', opens, '0 to 1440. Before then, the link says when it opens.'),
      field(labels['link_closes_minutes_after'] ?? '', closes, '0 to 1440, counted from the meeting\u2019s planned end.'),
    ] }),
  ] });
  const contractField = field(labels['contract'] ?? '', contract,
    'The rules every invitee must agree to in the waiting room before a host can let them in. ' +
    'Parents and carers see it when asked for consent. Leave empty for none.');
  /** @type {Array<[string, HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement]>} */
  const entries = [
    ['requires_approval', approval], ['invite_timing', timing],
    ['link_opens_minutes_before', opens], ['link_closes_minutes_after', closes], ['contract', contract],
  ];
  const controls = new Map(entries);
  return {
    fieldset,
    contractField,
    controls,
    read: () => ({
      scheduling: {
        requires_approval: approval.checked,
        invite_timing: timing.value === 'day_before' ? 'day_before' : 'now',
        link_opens_minutes_before: number(opens),
        link_closes_minutes_after: number(closes),
      },
      contract: contract.value.replaceAll('\r\n', '\n').trim(),
    }),
  };
}

/**
 * @param {string} id
 * @param {number} value
 * @returns {HTMLInputElement}
 */
function minutes(id, value) {
  const n = input(id, 'number', { required: '', min: '0', max: '1440', step: '1', inputmode: 'numeric' });
  n.value = String(value);
  return n;
}

/**
 * A number input's value; empty or wrong is sent as -1 for the server to name.
 * @param {HTMLInputElement} n
 * @returns {number}
 */
function number(n) {
  const v = Number(n.value);
  return n.value.trim() === '' || !Number.isFinite(v) ? -1 : Math.round(v);
}

/**
 * The scheduling field a server error's field name refers to, if any.
 * @param {string} fieldName
 * @returns {string | undefined} The field's JSON name.
 */
export function schedulingKey(fieldName) {
  const wanted = fieldName.toLowerCase();
  const key = wanted.replaceAll(' ', '_').replace(/^scheduling\./, '');
  if (key in labels) return key;
  return Object.keys(errorNames).find((k) => errorNames[k]?.includes(wanted));
}

/**
 * @param {string} key A scheduling field's JSON name.
 * @returns {string} Its label.
 */
export function schedulingLabel(key) {
  return labels[key] ?? key;
}
