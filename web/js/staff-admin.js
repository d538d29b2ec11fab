// The admin page's staff accounts: each person's roles (saved per person),
// disabling and enabling an account, and the "Add staff" form.

import { errorMessage } from './api.js';
import { listStaff, addStaff, setStaffRoles, disableStaff, enableStaff } from './api-admin.js';
import { el, clear, field, input, button, setStatus, onSubmit } from './dom.js';

/** @typedef {import('./api.js').Me} Me */
/** @typedef {import('./api.js').Roles} Roles */
/** @typedef {import('./api.js').RoleName} RoleName */
/** @typedef {import('./api-admin.js').Staff} Staff */

/** The roles, in the order shown, with what each lets someone do. @type {Array<[RoleName, string, string]>} */
const roleInfo = [
  ['admin', 'Admin', 'accounts, profiles and settings'],
  ['approver', 'Approver', 'approves meetings'],
  ['host', 'Host', 'schedules and runs meetings'],
  ['auditor', 'Auditor', 'reads meeting registers'],
];

/**
 * A staff member's roles, with an old admin flag counted.
 * @param {Staff} s
 * @returns {Roles}
 */
function rolesOf(s) {
  const r = s.roles ?? { admin: false, approver: false, host: false, auditor: false };
  return { ...r, admin: r.admin || s.admin === true };
}

/**
 * Checkboxes for the four roles.
 * @param {string} prefix Makes IDs unique.
 * @param {string} legend
 * @param {Roles} roles
 * @param {boolean} lockAdmin Keep the admin box as it is (our own account).
 * @returns {{ fieldset: HTMLFieldSetElement, read: () => Roles, set: (r: Roles) => void }}
 */
function roleBoxes(prefix, legend, roles, lockAdmin) {
  /** @type {Map<RoleName, HTMLInputElement>} */
  const boxes = new Map();
  const fieldset = el('fieldset', { className: 'staff-roles', children: [el('legend', { text: legend })] });
  for (const [role, name, what] of roleInfo) {
    const box = input(`${prefix}-role-${role}`, 'checkbox', { 'data-role': role });
    box.checked = roles[role];
    box.defaultChecked = roles[role];
    boxes.set(role, box);
    const wrap = el('div', { className: 'field checkbox', children: [
      box, el('label', { attrs: { for: box.id }, children: [el('span', { className: 'role-name', text: name }), ` (${what})`] }),
    ] });
    if (role === 'admin' && lockAdmin) {
      box.disabled = true;
      const hintId = `${box.id}-hint`;
      box.setAttribute('aria-describedby', hintId);
      wrap.append(el('span', { className: 'hint', text: 'You cannot remove your own admin role.', attrs: { id: hintId } }));
    }
    fieldset.append(wrap);
  }
  const read = () => /** @type {Roles} */ (Object.fromEntries(roleInfo.map(([r]) => [r, boxes.get(r)?.checked === true])));
  /** @param {Roles} r */
  const set = (r) => { for (const [role, box] of boxes) box.checked = r[role]; };
  return { fieldset, read, set };
}

export class StaffAdmin {
  /** @param {Me} me */
  constructor(me) {
    /** @private @readonly */
    this.me = me;
    /** @readonly */
    this.list = el('ul', { className: 'staff-list', attrs: { id: 'staff' } });
    /** @private */
    this.count = 0;
  }

  /**
   * Shows staff, sorted by name.
   * @param {Staff[]} staff
   */
  render(staff) {
    clear(this.list);
    staff.sort((a, b) => a.name.localeCompare(b.name));
    for (const s of staff) this.list.append(this.row(s));
  }

  /** Loads the list again. @returns {Promise<void>} */
  async reload() {
    this.render(await listStaff());
  }

  /**
   * @private
   * @param {Staff} s
   * @returns {HTMLLIElement}
   */
  row(s) {
    const prefix = `staff-${this.count++}`;
    const self = s.id === this.me.id;
    const boxes = roleBoxes(prefix, `Roles for ${s.name}`, rolesOf(s), self);
    const status = el('p', { className: 'status', attrs: { role: 'status', 'aria-live': 'polite' } });
    status.hidden = true;
    const save = button('Save roles', { label: `Save ${s.name}\u2019s roles` });
    const item = el('li', { className: s.disabled ? 'staff disabled' : 'staff', attrs: { 'data-staff': s.id }, children: [
      el('span', { className: 'person-who', children: [
        el('span', { className: 'person-name', text: s.name }),
        el('span', { className: 'person-label', text: s.email }),
      ] }),
      self ? el('span', { className: 'badge', text: 'You' }) : null,
      s.disabled ? el('span', { className: 'badge revoked', text: 'Disabled' }) : null,
      boxes.fieldset,
    ] });
    save.addEventListener('click', async () => {
      save.disabled = true;
      setStatus(status, 'Saving\u2026');
      try {
        const saved = await setStaffRoles(s.id, boxes.read());
        boxes.set(rolesOf(saved));
        setStatus(status, `${saved.name}\u2019s roles are saved.`, 'ok');
      } catch (err) {
        setStatus(status, errorMessage(err), 'error');
      } finally {
        save.disabled = false;
      }
    });
    const actions = el('span', { className: 'actions', children: [save] });
    if (!self) actions.append(this.disableButton(s, item, status));
    item.append(actions, status);
    return item;
  }

  /**
   * Disable (or Enable, for a disabled account), with a confirmation.
   * @private
   * @param {Staff} s
   * @param {HTMLLIElement} item The row, replaced after the change.
   * @param {HTMLElement} status
   * @returns {HTMLButtonElement}
   */
  disableButton(s, item, status) {
    const b = s.disabled
      ? button('Enable', { label: `Enable ${s.name}\u2019s account` })
      : button('Disable', { className: 'danger', label: `Disable ${s.name}\u2019s account` });
    b.addEventListener('click', async () => {
      const question = s.disabled
        ? `Enable ${s.name}\u2019s account? They will be able to sign in again.`
        : `Disable ${s.name}\u2019s account? They will be signed out everywhere at once, and taken out of any meeting they are hosting now.`;
      if (!window.confirm(question)) return;
      b.disabled = true;
      try {
        const changed = s.disabled ? await enableStaff(s.id) : await disableStaff(s.id);
        const fresh = this.row(changed);
        item.replaceWith(fresh);
        const freshStatus = fresh.querySelector('.status');
        if (freshStatus instanceof HTMLElement) {
          setStatus(freshStatus, changed.disabled ? `${changed.name}\u2019s account is disabled.` : `${changed.name}\u2019s account is enabled.`, 'ok');
        }
        const next = fresh.querySelector('.actions button:last-child');
        if (next instanceof HTMLElement) next.focus();
      } catch (err) {
        setStatus(status, errorMessage(err), 'error');
        b.disabled = false;
      }
    });
    return b;
  }

  /** @returns {HTMLFormElement} The "Add staff" form. */
  addForm() {
    const email = input('staff-email', 'email', { required: '', autocomplete: 'off' });
    const name = input('staff-name', 'text', { required: '', maxlength: '100', autocomplete: 'off' });
    const password = input('staff-password', 'password', { autocomplete: 'new-password' });
    const boxes = roleBoxes('staff-new', 'Roles', { admin: false, approver: false, host: true, auditor: false }, false);
    const status = el('p', { className: 'status', attrs: { role: 'status', 'aria-live': 'polite' } });
    status.hidden = true;
    const form = el('form', {
      className: 'card',
      attrs: { id: 'add-staff-form', 'aria-labelledby': 'add-staff-title' },
      children: [
        el('h2', { text: 'Add staff', attrs: { id: 'add-staff-title' } }),
        field('Email address', email),
        field('Name', name),
        field('Password (optional)', password, 'Leave empty if they will sign in another way, e.g. with a sign-in link or your organisation account.'),
        boxes.fieldset,
        status,
        button('Add staff', { type: 'submit', className: 'primary' }),
      ],
    });
    onSubmit(form, async () => {
      try {
        const added = await addStaff({ email: email.value.trim(), name: name.value.trim(), password: password.value, roles: boxes.read() });
        form.reset();
        setStatus(status, `${added.name || 'The new staff member'} has been added.`, 'ok');
        await this.reload();
      } catch (err) {
        setStatus(status, errorMessage(err), 'error');
      }
    });
    return form;
  }
}
