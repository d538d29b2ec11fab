// The admin page's purpose categories: the list hosts choose a meeting's
// category from (kept with the meeting in the register). Add, change, remove,
// then save the whole list.

import { errorMessage } from './api.js';
import { putCategories } from './api-admin.js';
import { el, button, setStatus, onSubmit } from './dom.js';

const maxCategories = 50;

/**
 * The "Purpose categories" form.
 * @param {string[]} initial
 * @returns {HTMLFormElement}
 */
export function categoriesForm(initial) {
  const list = el('ol', { className: 'category-list', attrs: { id: 'categories' } });
  const status = el('p', { className: 'status', attrs: { role: 'status', 'aria-live': 'polite' } });
  status.hidden = true;
  const add = button('Add a category');
  let made = 0;

  /** Renumbers the labels so each says which it is. */
  const relabel = () => {
    list.querySelectorAll('li').forEach((li, i) => {
      const label = li.querySelector('label');
      const name = li.querySelector('input');
      const remove = li.querySelector('button');
      if (label) label.textContent = `Category ${i + 1}`;
      if (remove && name) remove.setAttribute('aria-label', `Remove category ${i + 1}${name.value ? `, ${name.value}` : ''}`);
    });
    add.disabled = list.children.length >= maxCategories;
  };

  /**
   * @param {string} value
   * @returns {HTMLInputElement} The row's input.
   */
  const row = (value) => {
    const id = `category-${made++}`;
    const name = el('input', { attrs: { id, name: id, type: 'text', maxlength: '100', autocomplete: 'off', required: '' } });
    name.value = value;
    const remove = button('Remove', { className: 'danger' });
    const li = el('li', { className: 'category', children: [
      el('label', { attrs: { for: id } }), el('div', { className: 'copy-row', children: [name, remove] }),
    ] });
    name.addEventListener('change', relabel);
    remove.addEventListener('click', () => {
      const next = li.nextElementSibling ?? li.previousElementSibling;
      li.remove();
      relabel();
      const target = next?.querySelector('input');
      if (target instanceof HTMLElement) target.focus(); else add.focus();
      setStatus(status, 'Removed. Save the list to keep the change.', 'info');
    });
    list.append(li);
    return name;
  };

  for (const c of initial) row(c);
  relabel();
  add.addEventListener('click', () => {
    const name = row('');
    relabel();
    name.focus();
  });

  const form = el('form', {
    className: 'card',
    attrs: { id: 'categories-form', 'aria-labelledby': 'categories-title', novalidate: '' },
    children: [
      el('h3', { text: 'Purpose categories', attrs: { id: 'categories-title' } }),
      el('p', { text: 'Hosts choose one of these for every meeting, beside its purpose, and it is kept in the meeting register. ' +
        'Removing a category does not change meetings that already have it.' }),
      list,
      el('div', { className: 'actions', children: [add, button('Save categories', { type: 'submit', className: 'primary' })] }),
      status,
    ],
  });
  onSubmit(form, async () => {
    const inputs = [...list.querySelectorAll('input')];
    const names = inputs.map((i) => i.value.trim());
    const empty = inputs.find((i) => i.value.trim() === '');
    if (names.length === 0) {
      setStatus(status, 'Please keep at least one category.', 'error');
      add.focus();
      return;
    }
    if (empty) {
      setStatus(status, 'A category has no name. Please name it or remove it.', 'error');
      empty.focus();
      return;
    }
    const seen = new Set();
    const twice = inputs.find((i) => {
      const key = i.value.trim().toLowerCase();
      if (seen.has(key)) return true;
      seen.add(key);
      return false;
    });
    if (twice) {
      setStatus(status, `\u201c${twice.value.trim()}\u201d is in the list twice. Please remove one.`, 'error');
      twice.focus();
      return;
    }
    setStatus(status, 'Saving\u2026');
    try {
      const saved = await putCategories(names);
      const focused = inputs.indexOf(/** @type {HTMLInputElement} */ (document.activeElement));
      list.replaceChildren();
      for (const c of saved.categories) row(c);
      relabel();
      if (focused >= 0) list.querySelectorAll('input')[focused]?.focus();
      setStatus(status, 'Categories saved.', 'ok');
    } catch (err) {
      setStatus(status, errorMessage(err), 'error');
    }
  });
  return form;
}
