// Page "/meetings/<id>": a meeting's details and invitees, adding invitees, their
// one-time personal links, and the way into the room as host.

import { getMeeting, addInvitation, revokeInvitation, restoreInvitation, renewInvitationLink, errorMessage, ApiError } from './api.js';
import { el, byId, clear, field, input, button, setStatus, onSubmit, formatDateTime } from './dom.js';
import { showLinkOnce } from './invite-link.js';

/** @typedef {import('./api.js').Meeting} Meeting */
/** @typedef {import('./api.js').Invitation} Invitation */

const main = byId('main', HTMLElement);
const meetingId = decodeURIComponent(location.pathname.split('/')[2] ?? '');

/** Where the one-time link is shown (one at a time). */
const linkSlot = el('div', { attrs: { id: 'link-slot' } });
/** Page-wide messages. */
const status = el('p', { className: 'status', attrs: { role: 'status', 'aria-live': 'polite', id: 'meeting-status' } });
status.hidden = true;
const inviteeList = el('ul', { className: 'invitee-list', attrs: { id: 'invitees' } });

/**
 * @param {Meeting} m
 * @returns {HTMLElement}
 */
function details(m) {
  const join = el('a', {
    className: 'button primary',
    text: m.running ? 'Join as host' : 'Start meeting',
    attrs: { id: 'join-as-host', href: `/room/${encodeURIComponent(m.id)}` },
  });
  return el('div', { className: 'page-head', children: [
    el('p', { children: [el('a', { text: '\u2190 Your meetings', attrs: { href: '/' } })] }),
    el('h1', { text: m.title }),
    el('p', { className: 'meeting-when', children: [
      `${formatDateTime(m.startsAt)} \u00b7 ${m.durationMinutes} minutes`,
      m.ended ? el('span', { className: 'badge', text: 'Ended' }) : null,
    ] }),
    el('h2', { className: 'small-heading', text: 'Purpose' }),
    el('p', { className: 'meeting-purpose', text: m.purpose }),
    el('h2', { className: 'small-heading', text: 'Safeguarding profile' }),
    el('p', { className: 'meeting-profile', text: m.profile_name || m.profile, attrs: { id: 'meeting-profile' } }),
    m.ended ? el('p', { text: 'This meeting has ended.' }) : el('div', { className: 'actions', children: [join] }),
  ] });
}

/**
 * Shows the invitees.
 * @param {Invitation[]} invitations
 * @param {boolean} ended
 */
function renderInvitees(invitations, ended) {
  clear(inviteeList);
  if (invitations.length === 0) {
    inviteeList.append(el('li', { className: 'empty-item', text: 'No one is invited yet.' }));
    return;
  }
  for (const inv of invitations) inviteeList.append(inviteeItem(inv, ended));
}

/**
 * @param {Invitation} inv
 * @param {boolean} ended
 * @returns {HTMLLIElement}
 */
function inviteeItem(inv, ended) {
  const item = el('li', { className: inv.revoked ? 'invitee revoked' : 'invitee', attrs: { 'data-invitation': inv.id } });
  const renew = button('New link', { label: `New link for ${inv.name}` });
  const revoke = button('Revoke', { className: 'danger', label: `Revoke ${inv.name}\u2019s invitation` });
  renew.addEventListener('click', async () => {
    if (!window.confirm(`Make a new link for ${inv.name}? Their current link will stop working.`)) return;
    renew.disabled = true;
    try {
      const { invitation, link } = await renewInvitationLink(meetingId, inv.id);
      item.replaceWith(inviteeItem(invitation, ended));
      showLinkOnce(linkSlot, invitation.name, link);
    } catch (err) {
      setStatus(status, errorMessage(err), 'error');
      renew.disabled = false;
    }
  });
  revoke.addEventListener('click', async () => {
    if (!window.confirm(`Revoke ${inv.name}\u2019s invitation? Their link will stop working, and they will not be able to join.`)) return;
    revoke.disabled = true;
    try {
      const invitation = await revokeInvitation(meetingId, inv.id);
      item.replaceWith(inviteeItem(invitation, ended));
      setStatus(status, `${inv.name}\u2019s invitation has been revoked.`, 'ok');
    } catch (err) {
      setStatus(status, errorMessage(err), 'error');
      revoke.disabled = false;
    }
  });
  const restore = button('Restore', { label: `Restore ${inv.name}’s invitation` });
  restore.addEventListener('click', async () => {
    if (!window.confirm(`Restore ${inv.name}’s invitation? Their link will work again; if they were removed from the meeting, they will wait for you to let them in.`)) return;
    restore.disabled = true;
    try {
      const invitation = await restoreInvitation(meetingId, inv.id);
      item.replaceWith(inviteeItem(invitation, ended));
      setStatus(status, `${inv.name}’s invitation works again.`, 'ok');
    } catch (err) {
      setStatus(status, errorMessage(err), 'error');
      restore.disabled = false;
    }
  });
  let actions = /** @type {HTMLElement | string} */ ('');
  if (!ended) actions = el('span', { className: 'actions', children: inv.revoked ? [restore] : [renew, revoke] });
  item.append(
    el('span', { className: 'person-who', children: [
      el('span', { className: 'person-name', text: inv.name }),
      el('span', { className: 'person-label', text: inv.roleLabel }),
    ] }),
    el('span', { className: inv.revoked ? 'badge revoked' : 'badge active', text: inv.revoked ? 'Revoked' : 'Active' }),
    actions,
  );
  return item;
}

/**
 * The "Add invitee" form.
 * @param {boolean} ended
 * @returns {HTMLFormElement}
 */
function addForm(ended) {
  const name = input('invitee-name', 'text', { required: '', maxlength: '100', autocomplete: 'off' });
  const role = input('invitee-role', 'text', { required: '', maxlength: '200', autocomplete: 'off' });
  const formStatus = el('p', { className: 'status', attrs: { role: 'status', 'aria-live': 'polite' } });
  formStatus.hidden = true;
  const form = el('form', {
    className: 'card',
    attrs: { id: 'add-invitee-form', 'aria-labelledby': 'add-invitee-title' },
    children: [
      el('h2', { text: 'Add invitee', attrs: { id: 'add-invitee-title' } }),
      el('p', { text: 'Each invitee gets a personal link that lets one person in at a time. The host sees this name and role label in the waiting room.' }),
      field('Name', name),
      field('Role label', role, 'How the host will know them, e.g. \u201cparent of Sam, 9B\u201d.'),
      formStatus,
      button('Add invitee', { type: 'submit', className: 'primary' }),
    ],
  });
  if (ended) form.querySelectorAll('input, button').forEach((n) => n.setAttribute('disabled', ''));
  onSubmit(form, async () => {
    if (!name.value.trim() || !role.value.trim()) {
      setStatus(formStatus, 'Please give a name and a role label.', 'error');
      return;
    }
    try {
      const { invitation, link } = await addInvitation(meetingId, { name: name.value.trim(), roleLabel: role.value.trim() });
      form.reset();
      setStatus(formStatus, '');
      inviteeList.querySelector('.empty-item')?.remove();
      inviteeList.append(inviteeItem(invitation, ended));
      showLinkOnce(linkSlot, invitation.name, link);
    } catch (err) {
      setStatus(formStatus, errorMessage(err), 'error');
    }
  });
  return form;
}

/** Loads the meeting and draws the page. */
async function start() {
  if (!meetingId) {
    main.replaceChildren(el('p', { text: 'No meeting was named in the address.' }));
    return;
  }
  try {
    const { meeting, invitations } = await getMeeting(meetingId);
    document.title = `${meeting.title} \u2013 safemeet`;
    renderInvitees(invitations, meeting.ended);
    main.replaceChildren(
      details(meeting),
      status,
      linkSlot,
      el('section', { className: 'card', attrs: { 'aria-labelledby': 'invitees-title' }, children: [
        el('h2', { text: 'Invitees', attrs: { id: 'invitees-title' } }), inviteeList,
      ] }),
      addForm(meeting.ended),
    );
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) {
      location.assign('/');
      return;
    }
    main.replaceChildren(el('p', { className: 'status', text: errorMessage(err), attrs: { role: 'alert', 'data-kind': 'error' } }));
  }
}

start();
