// Page "/admin": the staff list and "Add staff", and the organisation's
// safeguarding profiles with "New profile" (admins only).

import { getMe, listStaff, addStaff, listProfiles, createProfile, updateProfile, errorMessage } from './api.js';
import { el, byId, clear, field, input, button, setStatus, onSubmit } from './dom.js';
import { profileForm } from './profile-form.js';

/** @typedef {import('./api.js').Staff} Staff */
/** @typedef {import('./api.js').Profile} Profile */

const main = byId('main', HTMLElement);
const staffList = el('ul', { className: 'staff-list', attrs: { id: 'staff' } });
const profileList = el('div', { className: 'profile-list', attrs: { id: 'profiles' } });

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

/**
 * Shows every profile, each in its own form, folded away under its name.
 * @param {Profile[]} profiles
 */
function renderProfiles(profiles) {
  clear(profileList);
  profiles.forEach((p, i) => {
    const summary = el('summary', { text: p.name });
    const form = profileForm({
      idPrefix: `profile-${i}`,
      title: `Edit “${p.name}”`,
      profile: p,
      submitLabel: 'Save',
      save: (changed) => updateProfile(p.id, changed),
      savedMessage: 'Saved. Meetings already running take only the changes that make them stricter.',
      onSaved: (saved) => { summary.textContent = saved.name; },
    });
    profileList.append(el('details', { className: 'profile', attrs: { 'data-profile': p.id }, children: [summary, form] }));
  });
}

/** @returns {HTMLElement} The "New profile" form in its card. */
function newProfileCard() {
  const card = el('section', { className: 'card', attrs: { id: 'new-profile' } });
  /** Makes a fresh, empty form (after one is saved). */
  const fresh = () => profileForm({
    idPrefix: 'new-profile',
    title: 'New profile',
    heading: 'h2',
    submitLabel: 'Create profile',
    save: createProfile,
    onSaved: async (created) => {
      try {
        renderProfiles(await listProfiles());
      } catch {
        // The list stays as it was; the new profile shows on reload.
      }
      const form = fresh();
      card.replaceChildren(form);
      const status = form.querySelector('.status');
      if (status instanceof HTMLElement) setStatus(status, `“${created.name}” has been created.`, 'ok');
    },
  });
  card.append(fresh());
  return card;
}

/** Loads the page: admins see the staff list and form, and the profiles. */
async function start() {
  try {
    const me = await getMe();
    if (!me) {
      location.assign('/');
      return;
    }
    if (!me.admin) {
      main.replaceChildren(el('p', { className: 'status', text: 'Only administrators can manage staff and safeguarding profiles.', attrs: { role: 'alert', 'data-kind': 'error' } }));
      return;
    }
    const [staff, profiles] = await Promise.all([listStaff(), listProfiles()]);
    renderStaff(staff);
    renderProfiles(profiles);
    main.replaceChildren(
      el('div', { className: 'page-head', children: [
        el('p', { children: [el('a', { text: '\u2190 Your meetings', attrs: { href: '/' } })] }),
        el('h1', { text: 'Staff and safeguarding' }),
      ] }),
      el('section', { className: 'card', attrs: { 'aria-labelledby': 'staff-title' }, children: [
        el('h2', { text: 'Staff accounts', attrs: { id: 'staff-title' } }), staffList,
      ] }),
      addForm(),
      el('section', { className: 'card', attrs: { 'aria-labelledby': 'profiles-title' }, children: [
        el('h2', { text: 'Safeguarding profiles', attrs: { id: 'profiles-title' } }),
        el('p', { text: 'Every meeting runs under one profile, chosen by its host, who cannot weaken it. ' +
          'A change applies to meetings that start later; a meeting already running takes only the changes that make it stricter.' }),
        profileList,
      ] }),
      newProfileCard(),
    );
  } catch (err) {
    main.replaceChildren(el('p', { className: 'status', text: errorMessage(err), attrs: { role: 'alert', 'data-kind': 'error' } }));
  }
}

start();
