// Page "/join#<token>": a guest's way in. The invitation token leaves the address bar
// at once and is kept in sessionStorage, so a reload or reconnect in this tab
// still works, and nowhere else.

import { checkInvitation, errorMessage, ApiError } from './api.js';
import { byId, el } from './dom.js';
import { takeFragment, reloadOnNewFragment } from './fragment.js';
import { showPrejoin } from './prejoin.js';
import { Room } from './room.js';

const main = byId('main', HTMLElement);
const storageKey = 'safemeet.invitation';

/** @returns {string} The invitation token from the link, or from earlier in this tab. */
function invitationToken() {
  const fromLink = takeFragment();
  try {
    if (fromLink) sessionStorage.setItem(storageKey, fromLink);
    return fromLink || sessionStorage.getItem(storageKey) || '';
  } catch {
    return fromLink; // storage may be off; the link still works once
  }
}

/** Forgets the stored token (it is not valid). */
function forgetToken() {
  try {
    sessionStorage.removeItem(storageKey);
  } catch {
    // nothing to forget
  }
}

/**
 * @param {string} title
 * @param {string} message
 */
function showProblem(title, message) {
  main.replaceChildren(el('section', { className: 'card narrow', attrs: { 'aria-labelledby': 'problem-title' }, children: [
    el('h1', { text: title, attrs: { id: 'problem-title', tabindex: '-1' } }),
    el('p', { className: 'status', text: message, attrs: { role: 'alert', 'data-kind': 'error' } }),
  ] }));
}

/** Checks the invitation, shows the pre-join screen, then the room. */
async function start() {
  const token = invitationToken();
  reloadOnNewFragment();
  if (!token) {
    showProblem('Invitation link needed', 'Please open the personal link from your invitation to join the meeting.');
    return;
  }
  let invitation;
  try {
    invitation = await checkInvitation(token);
  } catch (err) {
    if (err instanceof ApiError && err.status === 404) forgetToken();
    showProblem('This invitation cannot be used', errorMessage(err));
    return;
  }
  document.title = `${invitation.meeting} \u2013 safemeet`;
  const stream = await showPrejoin(main, invitation);
  const room = new Room({ root: main, hello: { invite: token }, stream, rejoinHref: '/join' });
  room.start();
}

start();
