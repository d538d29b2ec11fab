// Page "/admin": the staff list and "Add staff" (admins only).

import { getMe, listStaff, addStaff, errorMessage } from './api.js';
import { el, byId, clear, field, input, button, setStatus, onSubmit } from './dom.js';

/** @typedef {import('./api.js').Staff} Staff */

const main = byId('main', HTMLElement);
const staffList = el('ul', { className: 'staff-list', attrs: { id: 'staff' } });

/**
 * @param {Staff[]} staff
 */
function renderStaff(staff) {
  clear(staffList);
  staff.sort((a, b) => a.name.localeCompare(b.name));
  for (const s of staff) {
    staffList.append(el('li', { className: s.disabled ? 'staff disabled' : 'staff', children: [
      el('span', { className: 'person-who', children: [
        el('span', { className: 'person-name', text: s.name }),
        el('span', { className: 'person-label', text: s.email }),
      ] }),
      s.admin ? el('span', { className: 'badge', text: 'Admin' }) : null,
      s.disabled ? el('span', { className: 'badge revoked', text: 'Disabled' }) : null,
    ] }));
  }
}

/** @returns {HTMLFormElement} */
function addForm() {
  const email = input('staff-email', 'email', { required: '', autocomplete: 'off' });
  const name = input('staff-name', 'text', { required: '', maxlength: '100', autocomplete: 'off' });
  const password = input('staff-password', 'password', { autocomplete: 'new-password' });
  const admin = input('staff-admin', 'checkbox');
  const status = el('p', { className: 'status', attrs: { role: 'status', 'aria-live': 'polite' } });
  status.hidden = true;
  const form = el('form', {
    className: 'card',
    attrs: { id: 'add-staff-form', 'aria-labelledby': 'add-staff-title' },
    children: [
      el('h2', { text: 'Add staff', attrs: { id: 'add-staff-title' } }),
      field('Email address', email),
      field('Name', name),
      field('Password (optional)', password, 'Leave empty if they will sign in another way, e.g. with a sign-in link.'),
      el('div', { className: 'field checkbox', children: [
        admin, el('label', { text: 'Administrator (can manage staff)', attrs: { for: 'staff-admin' } }),
      ] }),
      status,
      button('Add staff', { type: 'submit', className: 'primary' }),
    ],
  });
  onSubmit(form, async () => {
    try {
      const added = await addStaff({ email: email.value.trim(), name: name.value.trim(), password: password.value, admin: admin.checked });
      form.reset();
      setStatus(status, `${added.name || 'The new staff member'} has been added.`, 'ok');
      renderStaff(await listStaff());
    } catch (err) {
      setStatus(status, errorMessage(err), 'error');
    }
  });
  return form;
}

/** Loads the page: admins see the staff list and form. */
async function start() {
  try {
    const me = await getMe();
    if (!me) {
      location.assign('/');
      return;
    }
    if (!me.admin) {
      main.replaceChildren(el('p', { className: 'status', text: 'Only administrators can manage staff.', attrs: { role: 'alert', 'data-kind': 'error' } }));
      return;
    }
    renderStaff(await listStaff());
    main.replaceChildren(
      el('div', { className: 'page-head', children: [
        el('p', { children: [el('a', { text: '\u2190 Your meetings', attrs: { href: '/' } })] }),
        el('h1', { text: 'Staff' }),
      ] }),
      el('section', { className: 'card', attrs: { 'aria-labelledby': 'staff-title' }, children: [
        el('h2', { text: 'Staff accounts', attrs: { id: 'staff-title' } }), staffList,
      ] }),
      addForm(),
    );
  } catch (err) {
    main.replaceChildren(el('p', { className: 'status', text: errorMessage(err), attrs: { role: 'alert', 'data-kind': 'error' } }));
  }
}

start();
