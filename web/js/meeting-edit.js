// The meeting page's "Change the meeting" form (its host only, before it runs):
// title, purpose, category, start, duration and profile. Changing an approved
// meeting sends it back for approval, and the form says so first.

import { errorMessage } from './api.js';
import { updateMeeting } from './api-meetings.js';
import { el, button, setStatus, onSubmit } from './dom.js';
import { meetingFields } from './meeting-form.js';

/** @typedef {import('./api-meetings.js').Meeting} Meeting */
/** @typedef {import('./invitee-item.js').MeetingContext} MeetingContext */

/**
 * The warning for the meeting's approval state, or "".
 * @param {Meeting} m
 * @returns {string}
 */
function warning(m) {
  if (m.approval === 'approved') {
    return 'This meeting is approved. Changing its time, purpose, category or profile sends it back for approval: ' +
      'invitations wait, and it cannot start, until an approver approves it again.';
  }
  if (m.approval === 'declined') return 'Saving your changes asks for approval again.';
  return '';
}

/**
 * The "Change the meeting" card, folded away under its heading.
 * @param {MeetingContext} ctx
 * @param {string[]} categories The organisation's purpose categories.
 * @param {(saved: Meeting) => void} onSaved
 * @returns {HTMLDetailsElement}
 */
export function editMeetingCard(ctx, categories, onSaved) {
  const fields = meetingFields('edit', ctx.meeting());
  fields.setCategories(categories);
  const warn = el('p', { className: 'warning', attrs: { id: 'edit-warning' } });
  const status = el('p', { className: 'status', attrs: { role: 'status', 'aria-live': 'polite' } });
  status.hidden = true;
  const showWarning = () => {
    warn.textContent = warning(ctx.meeting());
    warn.hidden = warn.textContent === '';
  };
  showWarning();
  const form = el('form', {
    attrs: { id: 'edit-meeting-form', 'aria-describedby': warn.id },
    children: [warn, ...fields.elements, status, button('Save changes', { type: 'submit', className: 'primary' })],
  });
  const card = el('details', { className: 'card edit-meeting', attrs: { id: 'edit-meeting' }, children: [
    el('summary', { className: 'summary-heading', text: 'Change the meeting' }),
    form,
  ] });
  card.addEventListener('toggle', showWarning);
  onSubmit(form, async () => {
    const changed = fields.read();
    if (typeof changed === 'string') {
      setStatus(status, changed, 'error');
      return;
    }
    const before = ctx.meeting().approval;
    setStatus(status, 'Saving\u2026');
    try {
      const saved = await updateMeeting(ctx.meetingId, changed);
      onSaved(saved);
      showWarning();
      const back = saved.approval === 'pending' && before !== 'pending';
      setStatus(status, back ? 'Saved. The meeting is waiting for approval again.' : 'Saved.', 'ok');
    } catch (err) {
      setStatus(status, errorMessage(err), 'error');
    }
  });
  return card;
}
