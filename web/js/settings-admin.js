// The admin page's organisation settings: the mail server invitations go
// through, and single sign-on with the organisation's accounts. Secrets are
// never shown: a blank password or client secret keeps the stored one.

import { errorMessage } from './api.js';
import { putMailSettings, putSSOSettings } from './api-admin.js';
import { el, field, input, button, setStatus, onSubmit } from './dom.js';

/** @typedef {import('./api-admin.js').Settings} Settings */
/** @typedef {import('./api-admin.js').MailSecurity} MailSecurity */

/**
 * A "Set up" / "Off" badge.
 * @param {boolean} on
 * @returns {HTMLSpanElement}
 */
function stateBadge(on) {
  return el('span', { className: on ? 'badge active' : 'badge', text: on ? 'Set up' : 'Off' });
}

/**
 * @returns {HTMLParagraphElement} An empty polite status line.
 */
function statusLine() {
  const status = el('p', { className: 'status', attrs: { role: 'status', 'aria-live': 'polite' } });
  status.hidden = true;
  return status;
}

/**
 * The "Email" settings form.
 * @param {Settings} initial
 * @param {(s: Settings) => void} onSaved Called with the whole settings after a save.
 * @returns {HTMLFormElement}
 */
export function mailForm(initial, onSaved) {
  const m = initial.mail;
  const host = input('mail-host', 'text', { autocomplete: 'off', spellcheck: 'false', maxlength: '253' });
  host.value = m.host;
  const port = input('mail-port', 'number', { min: '1', max: '65535', step: '1', inputmode: 'numeric' });
  port.value = m.port ? String(m.port) : '587';
  const security = el('select', { attrs: { id: 'mail-security', name: 'mail-security' }, children: [
    el('option', { text: 'STARTTLS (usually port 587)', attrs: { value: 'starttls' } }),
    el('option', { text: 'TLS from the start (usually port 465)', attrs: { value: 'tls' } }),
    el('option', { text: 'None: not encrypted (only inside a trusted network)', attrs: { value: 'none' } }),
  ] });
  security.value = m.security || 'starttls';
  const username = input('mail-username', 'text', { autocomplete: 'off', spellcheck: 'false' });
  username.value = m.username;
  const password = input('mail-password', 'password', { autocomplete: 'new-password' });
  const passwordHint = el('p', { className: 'hint', attrs: { id: 'mail-password-hint' } });
  password.setAttribute('aria-describedby', passwordHint.id);
  const from = input('mail-from', 'email', { autocomplete: 'off' });
  from.value = m.from;
  const fromName = input('mail-from-name', 'text', { autocomplete: 'off', maxlength: '100' });
  fromName.value = m.from_name;
  const badge = el('span', { className: 'settings-state' });
  const status = statusLine();

  /** @param {Settings} s */
  const show = (s) => {
    badge.replaceChildren(stateBadge(s.mail.configured));
    passwordHint.textContent = s.mail.password_set
      ? 'A password is set. Leave this empty to keep it.'
      : 'No password is set. Leave empty if the mail server needs none.';
  };
  show(initial);

  const form = el('form', {
    className: 'card settings-form',
    attrs: { id: 'mail-settings-form', 'aria-labelledby': 'mail-settings-title', novalidate: '' },
    children: [
      el('h3', { attrs: { id: 'mail-settings-title' }, children: ['Email ', badge] }),
      el('p', { text: 'Invitations, consent requests and approval notices go out through your organisation\u2019s mail server. ' +
        'Leave the server empty to turn email off: hosts then pass invitation links on themselves, and people under 16 cannot be invited.' }),
      el('div', { className: 'row', children: [field('Mail server', host, 'e.g. smtp.example.org'), field('Port', port)] }),
      field('Security', security),
      el('div', { className: 'row', children: [
        field('Username', username),
        el('div', { className: 'field', children: [el('label', { text: 'Password', attrs: { for: password.id } }), password, passwordHint] }),
      ] }),
      el('div', { className: 'row', children: [
        field('From address', from, 'The address invitations come from.'),
        field('From name', fromName, 'e.g. the name of your school or service.'),
      ] }),
      status,
      button('Save email settings', { type: 'submit', className: 'primary' }),
    ],
  });
  onSubmit(form, async () => {
    setStatus(status, 'Saving\u2026');
    try {
      const saved = await putMailSettings({
        host: host.value.trim(),
        port: port.value.trim() === '' ? 0 : Math.round(Number(port.value)),
        security: /** @type {MailSecurity} */ (security.value),
        username: username.value.trim(),
        password: password.value,
        from: from.value.trim(),
        from_name: fromName.value.trim(),
      });
      password.value = '';
      show(saved);
      onSaved(saved);
      setStatus(status, saved.mail.configured ? 'Saved. Invitations will be emailed.' : 'Saved. Email is off.', 'ok');
    } catch (err) {
      setStatus(status, errorMessage(err), 'error');
    }
  });
  return form;
}

/**
 * The "Single sign-on" settings form.
 * @param {Settings} initial
 * @param {(s: Settings) => void} onSaved
 * @returns {HTMLFormElement}
 */
export function ssoForm(initial, onSaved) {
  const o = initial.sso;
  const redirect = input('sso-redirect', 'text', { readonly: '', spellcheck: 'false', autocomplete: 'off' });
  redirect.value = o.redirect_url;
  redirect.addEventListener('focus', () => redirect.select());
  const issuer = input('sso-issuer', 'url', { autocomplete: 'off', spellcheck: 'false', placeholder: 'https://' });
  issuer.value = o.issuer;
  const clientId = input('sso-client-id', 'text', { autocomplete: 'off', spellcheck: 'false' });
  clientId.value = o.client_id;
  const secret = input('sso-client-secret', 'password', { autocomplete: 'new-password' });
  const secretHint = el('p', { className: 'hint', attrs: { id: 'sso-client-secret-hint' } });
  secret.setAttribute('aria-describedby', secretHint.id);
  const auto = input('sso-auto-provision', 'checkbox');
  auto.checked = o.auto_provision;
  const domains = input('sso-domains', 'text', { autocomplete: 'off', spellcheck: 'false', placeholder: 'school.example' });
  domains.value = o.auto_provision_domains;
  const badge = el('span', { className: 'settings-state' });
  const status = statusLine();

  /** @param {Settings} s */
  const show = (s) => {
    badge.replaceChildren(stateBadge(s.sso.configured));
    secretHint.textContent = s.sso.client_secret_set ? 'A client secret is set. Leave this empty to keep it.' : 'No client secret is set.';
    if (s.sso.redirect_url) redirect.value = s.sso.redirect_url;
  };
  show(initial);

  const form = el('form', {
    className: 'card settings-form',
    attrs: { id: 'sso-settings-form', 'aria-labelledby': 'sso-settings-title', novalidate: '' },
    children: [
      el('h3', { attrs: { id: 'sso-settings-title' }, children: ['Single sign-on ', badge] }),
      el('p', { text: 'Staff can sign in with their organisation account (OpenID Connect, e.g. Microsoft Entra ID or Google Workspace). ' +
        'Leave the issuer empty to turn single sign-on off.' }),
      field('Redirect URL to register with your provider', redirect,
        'Give this address to your identity provider as the sign-in redirect (callback) URL of the safemeet app.'),
      field('Issuer', issuer, 'Your provider\u2019s issuer URL, e.g. https://login.microsoftonline.com/<tenant>/v2.0'),
      field('Client ID', clientId),
      el('div', { className: 'field', children: [el('label', { text: 'Client secret', attrs: { for: secret.id } }), secret, secretHint] }),
      el('div', { className: 'field checkbox', children: [
        auto, el('label', { text: 'Make a staff account the first time someone from the organisation signs in', attrs: { for: auto.id } }),
      ] }),
      el('p', { className: 'hint', text: 'Without this, only people who already have a staff account here, with the same email address, can sign in. ' +
        'Check the roles of new accounts on this page.' }),
      field('Your organisation’s email domains', domains,
        'Needed to make accounts: only addresses in these domains get one (separate them with commas), so that a provider other organisations also use cannot add strangers.'),
      status,
      button('Save single sign-on settings', { type: 'submit', className: 'primary' }),
    ],
  });
  onSubmit(form, async () => {
    setStatus(status, 'Saving\u2026');
    try {
      const saved = await putSSOSettings({
        issuer: issuer.value.trim(), client_id: clientId.value.trim(), client_secret: secret.value, auto_provision: auto.checked,
        auto_provision_domains: domains.value.trim(),
      });
      secret.value = '';
      show(saved);
      onSaved(saved);
      setStatus(status, saved.sso.configured ? 'Saved. Staff can sign in with their organisation account.' : 'Saved. Single sign-on is off.', 'ok');
    } catch (err) {
      setStatus(status, errorMessage(err), 'error');
    }
  });
  return form;
}
