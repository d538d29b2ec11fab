// The staff dashboard: their meetings, "New meeting", "Set password", sign out.

import { listMeetings, createMeeting, listProfiles, logout, setPassword, errorMessage } from './api.js';
import { el, clear, field, input, button, setStatus, onSubmit, formatDateTime } from './dom.js';

/** @typedef {import('./api.js').Me} Me */
/** @typedef {import('./api.js').Meeting} Meeting */

/** The profile a new meeting gets unless its host picks another: the strictest shipped one. */
const defaultProfile = { id: 'children-families', name: 'Children and families' };

/**
 * Shows the dashboard for me in main.
 * @param {HTMLElement} main
 * @param {Me} me
 * @param {() => void} onSignedOut Called after signing out.
 * @returns {Promise<void>}
 */
export async function renderDashboard(main, me, onSignedOut) {
  document.title = 'Your meetings \u2013 safemeet';
  const signOut = button('Sign out', {
    onClick: async () => {
      try {
        await logout();
      } finally {
        onSignedOut();
      }
    },
  });
  const list = el('div', { attrs: { id: 'meetings' }, children: [el('p', { text: 'Loading your meetings\u2026' })] });
  main.replaceChildren(
    el('div', { className: 'page-head', children: [
      el('h1', { text: 'Your meetings' }),
      el('p', { className: 'who', text: `Signed in as ${me.name} (${me.email})` }),
      el('div', { className: 'actions', children: [
        me.admin ? el('a', { className: 'button', text: 'Staff and profiles', attrs: { href: '/admin' } }) : null,
        signOut,
      ] }),
    ] }),
    el('section', { className: 'card', attrs: { 'aria-labelledby': 'meetings-title' }, children: [
      el('h2', { text: 'Meetings', attrs: { id: 'meetings-title' } }), list,
    ] }),
    newMeetingForm(),
    passwordForm(me),
  );
  main.focus();
  await showMeetings(list);
}

/**
 * Fills list with the staff member's meetings.
 * @param {HTMLElement} list
 */
async function showMeetings(list) {
  let meetings;
  try {
    meetings = await listMeetings();
  } catch (err) {
    list.replaceChildren(el('p', { className: 'status', text: errorMessage(err), attrs: { 'data-kind': 'error' } }));
    return;
  }
  clear(list);
  if (meetings.length === 0) {
    list.append(el('p', { text: 'You have no meetings yet. Create one below.' }));
    return;
  }
  meetings.sort((a, b) => a.startsAt.localeCompare(b.startsAt));
  list.append(el('ul', { className: 'meeting-list', children: meetings.map(meetingItem) }));
}

/**
 * @param {Meeting} m
 * @returns {HTMLLIElement}
 */
function meetingItem(m) {
  return el('li', { className: m.ended ? 'meeting ended' : 'meeting', children: [
    el('a', { className: 'meeting-title', text: m.title, attrs: { href: `/meetings/${encodeURIComponent(m.id)}` } }),
    el('p', { className: 'meeting-when', children: [
      `${formatDateTime(m.startsAt)} \u00b7 ${m.durationMinutes} minutes`,
      m.profile_name ? ` \u00b7 ${m.profile_name}` : '',
      m.ended ? el('span', { className: 'badge', text: 'Ended' }) : null,
      m.running && !m.ended ? el('span', { className: 'badge active', text: 'In progress' }) : null,
    ] }),
    el('p', { className: 'meeting-purpose', text: m.purpose }),
  ] });
}

/**
 * The next quarter hour, as a datetime-local value in the person's time zone.
 * @returns {string}
 */
function nextQuarterHour() {
  const d = new Date(Date.now() + 15 * 60 * 1000);
  d.setMinutes(Math.floor(d.getMinutes() / 15) * 15, 0, 0);
  /** @param {number} n */
  const two = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())}T${two(d.getHours())}:${two(d.getMinutes())}`;
}

/** @returns {HTMLFormElement} */
function newMeetingForm() {
  const title = input('meeting-title', 'text', { required: '', maxlength: '200', autocomplete: 'off' });
  const purpose = el('textarea', { attrs: { id: 'meeting-purpose', name: 'meeting-purpose', required: '', maxlength: '2000', rows: '3' } });
  const start = input('meeting-start', 'datetime-local', { required: '', value: nextQuarterHour() });
  const duration = input('meeting-duration', 'number', { required: '', min: '5', max: '1440', step: '5', value: '30', inputmode: 'numeric' });
  const profile = el('select', { attrs: { id: 'meeting-profile', name: 'meeting-profile', required: '' }, children: [
    el('option', { text: defaultProfile.name, attrs: { value: defaultProfile.id } }),
  ] });
  fillProfiles(profile);
  const status = el('p', { className: 'status', attrs: { role: 'status', 'aria-live': 'polite' } });
  status.hidden = true;
  const form = el('form', {
    className: 'card',
    attrs: { id: 'new-meeting-form', 'aria-labelledby': 'new-meeting-title' },
    children: [
      el('h2', { text: 'New meeting', attrs: { id: 'new-meeting-title' } }),
      field('Title', title),
      field('Purpose', purpose, 'Why this meeting is happening. It is kept in the meeting register.'),
      el('div', { className: 'row', children: [field('Starts at', start), field('Duration (minutes)', duration)] }),
      field('Safeguarding profile', profile, 'The rules the meeting runs under, set by your organisation. Children and families is the strictest.'),
      status,
      button('Create meeting', { type: 'submit', className: 'primary' }),
    ],
  });
  onSubmit(form, async () => {
    const when = new Date(start.value); // datetime-local values are local time
    const minutes = Number(duration.value);
    if (!title.value.trim() || !purpose.value.trim() || Number.isNaN(when.getTime()) || !(minutes > 0) || !profile.value) {
      setStatus(status, 'Please give the meeting a title, a purpose, a start time, a duration and a safeguarding profile.', 'error');
      return;
    }
    setStatus(status, 'Creating the meeting\u2026');
    try {
      const meeting = await createMeeting({
        title: title.value.trim(),
        purpose: purpose.value.trim(),
        startsAt: when.toISOString(),
        durationMinutes: Math.round(minutes),
        profile: profile.value,
      });
      location.assign(`/meetings/${encodeURIComponent(meeting.id)}`);
    } catch (err) {
      setStatus(status, errorMessage(err), 'error');
    }
  });
  return form;
}

/**
 * Offers every profile in select, keeping the strictest one chosen. If the
 * list cannot be loaded, the strictest one stays the only choice.
 * @param {HTMLSelectElement} select
 */
async function fillProfiles(select) {
  let profiles;
  try {
    profiles = await listProfiles();
  } catch {
    return;
  }
  if (profiles.length === 0) return;
  const chosen = select.value;
  select.replaceChildren(...profiles.map((p) => el('option', { text: p.name, attrs: { value: p.id } })));
  select.value = profiles.some((p) => p.id === chosen) ? chosen : defaultProfile.id;
}

/**
 * @param {Me} me
 * @returns {HTMLFormElement}
 */
function passwordForm(me) {
  // Password managers need to know whose password this is.
  const username = input('password-username', 'email', { autocomplete: 'username', readonly: '', hidden: '' });
  username.value = me.email;
  const password = input('new-password', 'password', { required: '', autocomplete: 'new-password' });
  const confirm = input('confirm-password', 'password', { required: '', autocomplete: 'new-password' });
  const status = el('p', { className: 'status', attrs: { role: 'status', 'aria-live': 'polite' } });
  status.hidden = true;
  const form = el('form', {
    className: 'card',
    attrs: { id: 'password-form', 'aria-labelledby': 'password-title' },
    children: [
      el('h2', { text: 'Set password', attrs: { id: 'password-title' } }),
      username,
      field('New password', password),
      field('New password again', confirm),
      status,
      button('Set password', { type: 'submit' }),
    ],
  });
  onSubmit(form, async () => {
    if (password.value !== confirm.value) {
      setStatus(status, 'The two passwords are different. Please type them again.', 'error');
      return;
    }
    try {
      await setPassword(password.value);
      password.value = '';
      confirm.value = '';
      setStatus(status, 'Your password has been set.', 'ok');
    } catch (err) {
      setStatus(status, errorMessage(err), 'error');
    }
  });
  return form;
}
