// Page "/admin": staff accounts and their roles, the organisation's settings
// (email, single sign-on, purpose categories), and the safeguarding profiles
// with "New profile" (admins only).

import { getMe, hasRole, errorMessage } from './api.js';
import { listStaff, listProfiles, createProfile, updateProfile, getSettings } from './api-admin.js';
import { el, byId, clear, setStatus } from './dom.js';
import { profileForm } from './profile-form.js';
import { StaffAdmin } from './staff-admin.js';
import { mailForm, ssoForm } from './settings-admin.js';
import { categoriesForm } from './categories-admin.js';

/** @typedef {import('./api-admin.js').Profile} Profile */
/** @typedef {import('./api-admin.js').Settings} Settings */

const main = byId('main', HTMLElement);
const profileList = el('div', { className: 'profile-list', attrs: { id: 'profiles' } });

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

/**
 * The settings sections.
 * @param {Settings} settings
 * @returns {HTMLElement}
 */
function settingsSection(settings) {
  const noop = () => {};
  return el('section', { className: 'settings', attrs: { 'aria-labelledby': 'settings-title' }, children: [
    el('h2', { className: 'section-title', text: 'Settings', attrs: { id: 'settings-title' } }),
    mailForm(settings, noop),
    ssoForm(settings, noop),
    categoriesForm(settings.categories),
  ] });
}

/** Loads the page: admins see the staff, the settings and the profiles. */
async function start() {
  try {
    const me = await getMe();
    if (!me) {
      location.assign('/');
      return;
    }
    if (!hasRole(me, 'admin')) {
      main.replaceChildren(el('p', { className: 'status', text: 'Only administrators can manage staff and safeguarding profiles.', attrs: { role: 'alert', 'data-kind': 'error' } }));
      return;
    }
    const [staff, profiles, settings] = await Promise.all([listStaff(), listProfiles(), getSettings()]);
    const staffAdmin = new StaffAdmin(me);
    staffAdmin.render(staff);
    renderProfiles(profiles);
    main.replaceChildren(
      el('div', { className: 'page-head', children: [
        el('p', { children: [el('a', { text: '\u2190 Your meetings', attrs: { href: '/' } })] }),
        el('h1', { text: 'Staff, settings and safeguarding' }),
      ] }),
      el('section', { className: 'card', attrs: { 'aria-labelledby': 'staff-title' }, children: [
        el('h2', { text: 'Staff accounts', attrs: { id: 'staff-title' } }),
        el('p', { text: 'Roles: admins manage accounts, profiles and settings; approvers approve meetings; ' +
          'hosts schedule and run meetings; auditors read the meeting registers. Save each person\u2019s roles on their row.' }),
        staffAdmin.list,
      ] }),
      staffAdmin.addForm(),
      settingsSection(settings),
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
