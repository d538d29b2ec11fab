// Page "/signin#<token>": a one-time sign-in link. The token is taken out of the
// address bar at once, exchanged for a login, and the person goes on to "/".
// Single sign-on that did not let someone in comes back here as "/signin?sso=refused".

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

/** Says that single sign-on refused the person, with the ways on. */
function showSSORefused() {
  document.title = 'Could not sign in \u2013 safemeet';
  main.replaceChildren(el('section', { className: 'card narrow', attrs: { 'aria-labelledby': 'refused-title' }, children: [
    el('h1', { text: 'Could not sign in', attrs: { id: 'refused-title', tabindex: '-1' } }),
    el('p', { className: 'status', attrs: { role: 'alert', 'data-kind': 'error' },
      text: 'Your organisation\u2019s sign-in did not let you into safemeet. You may not have a staff account here yet, ' +
        'or the sign-in was cancelled. Please ask an administrator, or sign in with your email address and password.' }),
    el('div', { className: 'actions', children: [
      el('a', { className: 'button primary', text: 'Go to sign in', attrs: { href: '/' } }),
      el('a', { className: 'button', text: 'Try your organisation account again', attrs: { href: '/auth/oidc/start' } }),
    ] }),
  ] }));
  const heading = main.querySelector('h1');
  if (heading instanceof HTMLElement) heading.focus();
}

/** Exchanges the link's token for a login, then goes to "/". */
async function start() {
  const token = takeFragment();
  reloadOnNewFragment();
  if (!token && new URLSearchParams(location.search).get('sso') === 'refused') {
    showSSORefused();
    return;
  }
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
