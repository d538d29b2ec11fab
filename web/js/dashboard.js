// The staff dashboard: for approvers, the meetings waiting for their approval;
// for hosts, their meetings and "New meeting"; for hosts, approvers and
// auditors, a link to the meeting register; for everyone, "Set password" and
// sign out.

import { logout, setPassword, hasRole, errorMessage } from './api.js';
import { listMeetings, createMeeting, getSchedulingOptions } from './api-meetings.js';
import { el, clear, field, input, button, setStatus, onSubmit, formatDateTime } from './dom.js';
import { approvalBadge, approvalSummary } from './approval.js';
import { approvalsSection } from './approvals.js';
import { meetingFields } from './meeting-form.js';

/** @typedef {import('./api.js').Me} Me */
/** @typedef {import('./api-meetings.js').Meeting} Meeting */

/**
 * Shows the dashboard for me in main.
 * @param {HTMLElement} main
 * @param {Me} me
 * @param {() => void} onSignedOut Called after signing out.
 * @returns {Promise<void>}
 */
export async function renderDashboard(main, me, onSignedOut) {
  const host = hasRole(me, 'host');
  const approver = hasRole(me, 'approver');
  const admin = hasRole(me, 'admin');
  const auditor = hasRole(me, 'auditor');
  const heading = host ? 'Your meetings' : approver ? 'Meetings to approve' : 'Your account';
  document.title = `${heading} \u2013 safemeet`;
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
  /** @type {Array<HTMLElement | null>} */
  const parts = [
    el('div', { className: 'page-head', children: [
      el('h1', { text: heading }),
      el('p', { className: 'who', text: `Signed in as ${me.name} (${me.email})` }),
      el('div', { className: 'actions', children: [
        host || approver || auditor ? el('a', { className: 'button', text: 'Register', attrs: { href: '/register', id: 'register-link' } }) : null,
        admin ? el('a', { className: 'button', text: 'Staff, settings and profiles', attrs: { href: '/admin' } }) : null,
        signOut,
      ] }),
    ] }),
    approver ? approvalsSection() : null,
    host ? el('section', { className: 'card', attrs: { 'aria-labelledby': 'meetings-title' }, children: [
      el('h2', { text: 'Meetings', attrs: { id: 'meetings-title' } }), list,
    ] }) : null,
    host ? newMeetingForm() : null,
    !host && !approver ? el('p', { className: 'card', text: admin
      ? 'Your account can manage staff, settings and profiles. To schedule meetings, give yourself the host role on the admin page.'
      : auditor ? 'Your account reads the meeting register: open it with \u201cRegister\u201d above.'
        : 'Your account has no role that uses meetings yet. An admin can give you the host or approver role.' }) : null,
    passwordForm(me),
  ];
  main.replaceChildren(...parts.filter((p) => p !== null));
  main.focus();
  if (host) await showMeetings(list);
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
  return el('li', { className: m.ended ? 'meeting ended' : 'meeting', attrs: { 'data-approval': m.approval ?? '' }, children: [
    el('a', { className: 'meeting-title', text: m.title, attrs: { href: `/meetings/${encodeURIComponent(m.id)}` } }),
    el('p', { className: 'meeting-when', children: [
      `${formatDateTime(m.startsAt)} \u00b7 ${m.durationMinutes} minutes`,
      m.profile_name ? ` \u00b7 ${m.profile_name}` : '',
      m.ended ? el('span', { className: 'badge', text: 'Ended' }) : null,
      m.running && !m.ended ? el('span', { className: 'badge active', text: 'In progress' }) : null,
      m.ended ? null : approvalBadge(m),
    ] }),
    m.category ? el('p', { className: 'meeting-category', text: m.category }) : null,
    el('p', { className: 'meeting-purpose', text: m.purpose }),
    !m.ended && m.approval === 'declined' ? approvalSummary(m, 'host') : null,
  ] });
}

/** @returns {HTMLFormElement} */
function newMeetingForm() {
  const fields = meetingFields('meeting');
  const status = el('p', { className: 'status', attrs: { role: 'status', 'aria-live': 'polite' } });
  status.hidden = true;
  const form = el('form', {
    className: 'card',
    attrs: { id: 'new-meeting-form', 'aria-labelledby': 'new-meeting-title' },
    children: [
      el('h2', { text: 'New meeting', attrs: { id: 'new-meeting-title' } }),
      ...fields.elements,
      status,
      button('Create meeting', { type: 'submit', className: 'primary' }),
    ],
  });
  getSchedulingOptions().then((o) => fields.setCategories(o.categories), (err) => setStatus(status, errorMessage(err), 'error'));
  onSubmit(form, async () => {
    const meeting = fields.read();
    if (typeof meeting === 'string') {
      setStatus(status, meeting, 'error');
      return;
    }
    setStatus(status, 'Creating the meeting\u2026');
    try {
      const created = await createMeeting(meeting);
      location.assign(`/meetings/${encodeURIComponent(created.id)}`);
    } catch (err) {
      setStatus(status, errorMessage(err), 'error');
    }
  });
  return form;
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
