// Page "/signin#<token>": a one-time sign-in link. The token is taken out of the
// address bar at once, exchanged for a login, and the person goes on to "/".

import { signInWithLink, errorMessage } from './api.js';
import { el, byId } from './dom.js';
import { takeFragment, reloadOnNewFragment } from './fragment.js';

const main = byId('main', HTMLElement);

/**
 * Shows a message, with a way on.
 * @param {string} title
 * @param {string} message
 */
function show(title, message) {
  main.replaceChildren(el('section', { className: 'card narrow', children: [
    el('h1', { text: title }),
    el('p', { className: 'status', text: message, attrs: { role: 'alert', 'data-kind': 'error' } }),
    el('a', { className: 'button', text: 'Go to sign in', attrs: { href: '/' } }),
  ] }));
}

/** Exchanges the link's token for a login, then goes to "/". */
async function start() {
  const token = takeFragment();
  reloadOnNewFragment();
  if (!token) {
    show('Sign-in link incomplete', 'This sign-in link is missing its code. Please open the whole link from your message.');
    return;
  }
  main.replaceChildren(el('p', { className: 'loading', text: 'Signing you in\u2026', attrs: { role: 'status' } }));
  try {
    await signInWithLink(token);
    location.replace('/');
  } catch (err) {
    show('Could not sign in', errorMessage(err));
  }
}

start();
