// Page "/": the sign-in form for staff, or their dashboard once signed in.

import { getMe, getSSO, login, errorMessage } from './api.js';
import { el, byId, field, input, button, setStatus, onSubmit } from './dom.js';
import { renderDashboard } from './dashboard.js';

const main = byId('main', HTMLElement);

/**
 * Adds "Sign in with your organisation account" to form when single sign-on is
 * set up. Without it (or if the server cannot say), the password form stays alone.
 * @param {HTMLFormElement} form
 */
async function offerSSO(form) {
  let enabled = false;
  try {
    ({ enabled } = await getSSO());
  } catch {
    return;
  }
  if (!enabled || !form.isConnected) return;
  form.append(el('div', { className: 'sso', attrs: { id: 'sso' }, children: [
    el('p', { className: 'sso-or', text: 'or' }),
    el('a', { className: 'button sso-link', text: 'Sign in with your organisation account', attrs: { href: '/auth/oidc/start', id: 'sso-link' } }),
  ] }));
}

/** Shows the sign-in form. */
function renderSignIn() {
  document.title = 'Sign in \u2013 safemeet';
  const email = input('signin-email', 'email', { autocomplete: 'username', required: '' });
  const password = input('signin-password', 'password', { autocomplete: 'current-password', required: '' });
  const status = el('p', { className: 'status', attrs: { role: 'status', 'aria-live': 'polite' } });
  status.hidden = true;
  const form = el('form', {
    className: 'card narrow',
    attrs: { id: 'signin-form', 'aria-labelledby': 'signin-title', novalidate: '' },
    children: [
      el('h1', { text: 'Sign in', attrs: { id: 'signin-title' } }),
      el('p', { text: 'For staff. If you were invited to a meeting, use the link in your invitation instead.' }),
      field('Email address', email),
      field('Password', password),
      status,
      button('Sign in', { type: 'submit', className: 'primary' }),
    ],
  });
  onSubmit(form, async () => {
    if (!email.value.trim() || !password.value) {
      setStatus(status, 'Please enter your email address and password.', 'error');
      return;
    }
    setStatus(status, 'Signing in\u2026');
    try {
      const me = await login(email.value.trim(), password.value);
      password.value = '';
      await renderDashboard(main, me, renderSignIn);
    } catch (err) {
      setStatus(status, errorMessage(err), 'error');
      password.focus();
    }
  });
  main.replaceChildren(form);
  email.focus();
  offerSSO(form);
}

/** Decides what to show. */
async function start() {
  try {
    const me = await getMe();
    if (me) await renderDashboard(main, me, renderSignIn);
    else renderSignIn();
  } catch (err) {
    main.replaceChildren(el('p', { className: 'status', text: errorMessage(err), attrs: { role: 'alert', 'data-kind': 'error' } }));
  }
}

start();
