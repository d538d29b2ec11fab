// Page "/join#<token>": a guest's way in. The invitation token leaves the address bar
// at once and is kept in sessionStorage, so a reload or reconnect in this tab
// still works, and nowhere else.

import { checkInvitation, errorMessage, ApiError } from './api.js';
import { byId, el, button, formatDateTime } from './dom.js';
import { tabToken, forgetTabToken, reloadOnNewFragment } from './fragment.js';
import { showPrejoin } from './prejoin.js';
import { Room } from './room.js';

const main = byId('main', HTMLElement);
const storageKey = 'safemeet.invitation';

/**
 * @param {string} title
 * @param {string} message
 * @param {{ kind?: 'error' | 'info', retry?: boolean }} [options] retry offers
 *   "Try again" (the link is kept in this tab).
 */
function showProblem(title, message, options = {}) {
  const retry = options.retry ? button('Try again', { className: 'primary', onClick: () => location.reload() }) : null;
  main.replaceChildren(el('section', { className: 'card narrow', attrs: { 'aria-labelledby': 'problem-title' }, children: [
    el('h1', { text: title, attrs: { id: 'problem-title', tabindex: '-1' } }),
    el('p', { className: 'status', text: message, attrs: { role: 'alert', 'data-kind': options.kind ?? 'error' } }),
    retry,
  ] }));
}

/**
 * Explains why the invitation cannot be used now.
 * @param {unknown} err
 */
function showRefusal(err) {
  const code = err instanceof ApiError ? err.code : '';
  switch (code) {
    case 'invitation_not_open': {
      const opensAt = err instanceof ApiError && typeof err.body['opensAt'] === 'string' ? err.body['opensAt'] : '';
      showProblem('This link is not open yet', opensAt
        ? `This link opens at ${formatDateTime(opensAt)} (your time), shortly before the meeting starts. Please come back then, with the same link.`
        : errorMessage(err), { kind: 'info', retry: true });
      return;
    }
    case 'consent_needed':
      showProblem('Waiting for consent', errorMessage(err), { kind: 'info', retry: true });
      return;
    case 'meeting_not_approved':
      showProblem('This meeting is not ready yet', errorMessage(err), { kind: 'info', retry: true });
      return;
    case 'invitation_closed':
      showProblem('This invitation has closed', errorMessage(err));
      return;
    default:
      showProblem('This invitation cannot be used', errorMessage(err));
  }
}

/** Checks the invitation, shows the pre-join screen, then the room. */
async function start() {
  const token = tabToken(storageKey);
  reloadOnNewFragment();
  if (!token) {
    showProblem('Invitation link needed', 'Please open the personal link from your invitation to join the meeting.');
    return;
  }
  let invitation;
  try {
    invitation = await checkInvitation(token);
  } catch (err) {
    if (err instanceof ApiError && err.status === 404) forgetTabToken(storageKey);
    showRefusal(err);
    return;
  }
  document.title = `${invitation.meeting} \u2013 safemeet`;
  const stream = await showPrejoin(main, invitation);
  const room = new Room({ root: main, hello: { invite: token }, stream, rejoinHref: '/join' });
  room.start();
}

start();
