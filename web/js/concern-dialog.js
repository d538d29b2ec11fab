// Asks a host or co-host what their safeguarding concern is, in a modal
// dialog: the note is kept with the meeting's record (not in the chat, and not
// shown to participants) and the safeguarding leads are told.

import { el, button } from './dom.js';

/**
 * Asks for the concern's note.
 * @param {string} about Who or what it is about ("Jo Smith", "the meeting").
 * @returns {Promise<string | null>} The note, or null if cancelled.
 */
export function askConcern(about) {
  return new Promise((resolve) => {
    const note = el('textarea', { attrs: { id: 'concern-note', rows: '5', maxlength: '2000', required: '' } });
    const problem = el('p', { className: 'field-error', attrs: { id: 'concern-note-error', role: 'alert' } });
    problem.hidden = true;
    const record = button('Record concern', { type: 'submit', className: 'primary' });
    const cancel = button('Cancel');
    const form = el('form', { attrs: { method: 'dialog' }, children: [
      el('h2', { text: `Flag a safeguarding concern about ${about}`, attrs: { id: 'concern-title' } }),
      el('p', { text: 'Say what you saw or heard. This is kept with the meeting\u2019s record, the safeguarding leads are told, and the meeting\u2019s records are kept from deletion. Participants do not see it.' }),
      el('label', { text: 'What happened', attrs: { for: 'concern-note' } }),
      note, problem,
      el('div', { className: 'actions', children: [record, cancel] }),
    ] });
    const dialog = /** @type {HTMLDialogElement} */ (el('dialog', { className: 'concern-dialog', attrs: { 'aria-labelledby': 'concern-title' }, children: [form] }));
    /** @param {string | null} value */
    const done = (value) => {
      dialog.close();
      dialog.remove();
      resolve(value);
    };
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      const text = note.value.trim();
      if (!text) {
        problem.textContent = 'Please describe the concern.';
        problem.hidden = false;
        note.focus();
        return;
      }
      done(text);
    });
    cancel.addEventListener('click', () => done(null));
    dialog.addEventListener('cancel', (e) => {
      e.preventDefault();
      done(null);
    });
    document.body.append(dialog);
    dialog.showModal();
    note.focus();
  });
}
