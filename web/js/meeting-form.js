// A meeting's fields: title, purpose, purpose category, start, duration and
// safeguarding profile, with a note of what the chosen profile means for
// scheduling (approval, when invitations go out). Used by "New meeting" on the
// dashboard and "Change the meeting" on the meeting page.

import { listProfiles } from './api-admin.js';
import { el, field, input, localInputValue } from './dom.js';

/** @typedef {import('./api-meetings.js').Meeting} Meeting */
/** @typedef {import('./api-meetings.js').MeetingInput} MeetingInput */
/** @typedef {import('./api-admin.js').Profile} Profile */

/** The profile a new meeting gets unless its host picks another: the strictest shipped one. */
const defaultProfile = { id: 'children-families', name: 'Children and families' };

/**
 * @typedef {Object} MeetingFields
 * @property {HTMLElement[]} elements The fields, in order, for a form.
 * @property {() => MeetingInput | string} read The values, or a sentence saying what is missing.
 * @property {(categories: string[]) => void} setCategories Offers the organisation's categories.
 */

/**
 * The next quarter hour.
 * @returns {Date}
 */
function nextQuarterHour() {
  const d = new Date(Date.now() + 15 * 60 * 1000);
  d.setMinutes(Math.floor(d.getMinutes() / 15) * 15, 0, 0);
  return d;
}

/**
 * Builds the fields, set to meeting's values (or a new meeting's).
 * @param {string} prefix IDs are `${prefix}-title`, `${prefix}-purpose`, `${prefix}-category`,
 *   `${prefix}-start`, `${prefix}-duration`, `${prefix}-profile`.
 * @param {Meeting} [meeting]
 * @returns {MeetingFields}
 */
export function meetingFields(prefix, meeting) {
  const title = input(`${prefix}-title`, 'text', { required: '', maxlength: '200', autocomplete: 'off' });
  title.value = meeting?.title ?? '';
  const purpose = el('textarea', { attrs: { id: `${prefix}-purpose`, name: `${prefix}-purpose`, required: '', maxlength: '2000', rows: '3' } });
  purpose.value = meeting?.purpose ?? '';
  const category = el('select', { attrs: { id: `${prefix}-category`, name: `${prefix}-category`, required: '' } });
  const start = input(`${prefix}-start`, 'datetime-local', { required: '' });
  start.value = localInputValue(meeting ? new Date(meeting.startsAt) : nextQuarterHour());
  const duration = input(`${prefix}-duration`, 'number', { required: '', min: '5', max: '1440', step: '5', inputmode: 'numeric' });
  duration.value = String(meeting?.durationMinutes ?? 30);
  const current = meeting ? { id: meeting.profile, name: meeting.profile_name || meeting.profile } : defaultProfile;
  const profile = el('select', { attrs: { id: `${prefix}-profile`, name: `${prefix}-profile`, required: '' }, children: [
    el('option', { text: current.name, attrs: { value: current.id } }),
  ] });
  const note = el('p', { className: 'hint profile-note', attrs: { id: `${prefix}-profile-note` } });
  note.hidden = true;
  /** @type {Map<string, Profile>} */
  const profiles = new Map();
  const explain = () => {
    const p = profiles.get(profile.value);
    const parts = [];
    if (p?.scheduling?.requires_approval) parts.push('Meetings under this profile need an approver\u2019s approval before invitations go out and before they can start.');
    if (p?.scheduling?.invite_timing === 'day_before') parts.push('Invitations go out the day before the meeting.');
    if (p?.contract) parts.push('Invitees agree to its participation contract in the waiting room.');
    note.textContent = parts.join(' ');
    note.hidden = parts.length === 0;
  };
  profile.addEventListener('change', explain);
  fillProfiles(profile, profiles, current.id).then(() => {
    explain();
    note.setAttribute('aria-live', 'polite'); // later changes are read out, not the first
  });

  /** @param {string[]} list */
  const setCategories = (list) => {
    const chosen = category.value || meeting?.category || '';
    const names = chosen && !list.includes(chosen) ? [chosen, ...list] : list;
    category.replaceChildren(
      el('option', { text: names.length ? 'Choose a category' : 'No categories yet: ask an admin', attrs: { value: '' } }),
      ...names.map((c) => el('option', { text: c, attrs: { value: c } })),
    );
    category.value = chosen;
  };
  setCategories([]);

  const profileField = field('Safeguarding profile', profile,
    'The rules the meeting runs under, set by your organisation. Children and families is the strictest.');
  profileField.append(note);
  return {
    elements: [
      field('Title', title),
      field('Purpose', purpose, 'Why this meeting is happening. It is kept in the meeting register.'),
      field('Purpose category', category, 'The kind of meeting, from your organisation\u2019s list. Kept in the register too.'),
      el('div', { className: 'row', children: [field('Starts at', start), field('Duration (minutes)', duration)] }),
      profileField,
    ],
    setCategories,
    read: () => {
      const when = new Date(start.value); // datetime-local values are local time
      const minutes = Number(duration.value);
      if (!title.value.trim() || !purpose.value.trim() || Number.isNaN(when.getTime()) || !(minutes > 0) || !profile.value) {
        return 'Please give the meeting a title, a purpose, a start time, a duration and a safeguarding profile.';
      }
      if (!category.value) return 'Please choose a purpose category.';
      return {
        title: title.value.trim(),
        purpose: purpose.value.trim(),
        category: category.value,
        startsAt: when.toISOString(),
        durationMinutes: Math.round(minutes),
        profile: profile.value,
      };
    },
  };
}

/**
 * Offers every profile in select, keeping chosen. If the list cannot be loaded,
 * chosen stays the only choice.
 * @param {HTMLSelectElement} select
 * @param {Map<string, Profile>} byId Filled with the profiles.
 * @param {string} chosen
 * @returns {Promise<void>}
 */
async function fillProfiles(select, byId, chosen) {
  let profiles;
  try {
    profiles = await listProfiles();
  } catch {
    return;
  }
  if (profiles.length === 0) return;
  for (const p of profiles) byId.set(p.id, p);
  const keep = select.value || chosen;
  const options = profiles.map((p) => el('option', { text: p.name, attrs: { value: p.id } }));
  // A meeting's profile that is no longer listed stays its choice.
  if (!byId.has(keep)) options.unshift(el('option', { text: select.selectedOptions[0]?.text ?? keep, attrs: { value: keep } }));
  select.replaceChildren(...options);
  select.value = keep;
}
