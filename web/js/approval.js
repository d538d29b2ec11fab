// A meeting's approval, shown to its host and to approvers: a badge, a sentence
// with the approver's note, and the approver's Approve / Decline controls.

import { errorMessage } from './api.js';
import { approveMeeting, declineMeeting } from './api-meetings.js';
import { el, button, setStatus, formatDateTime } from './dom.js';

/** @typedef {import('./api-meetings.js').Meeting} Meeting */

/**
 * A short badge for the approval state, or null when no approval is needed.
 * @param {Meeting} m
 * @returns {HTMLSpanElement | null}
 */
export function approvalBadge(m) {
  switch (m.approval) {
    case 'pending': return el('span', { className: 'badge pending', text: 'Waiting for approval' });
    case 'approved': return el('span', { className: 'badge active', text: 'Approved' });
    case 'declined': return el('span', { className: 'badge revoked', text: 'Declined' });
    default: return null;
  }
}

/**
 * "on 3 Mar 2025, 14:00" when at is a time, else "".
 * @param {string} at
 * @returns {string}
 */
function onDate(at) {
  return at ? ` on ${formatDateTime(at)}` : '';
}

/**
 * The approval state in words, with the approver's note; null when no approval
 * is needed.
 * @param {Meeting} m
 * @param {'host' | 'approver'} viewer Who reads it: the host is told what to do next.
 * @returns {HTMLElement | null}
 */
export function approvalSummary(m, viewer) {
  const by = m.approval_by || 'an approver';
  /** @type {string} */
  let text;
  switch (m.approval) {
    case 'pending':
      text = viewer === 'host'
        ? 'Waiting for an approver. Invitations go out, and the meeting can start, once it is approved.'
        : 'Waiting for approval.';
      break;
    case 'approved':
      text = `Approved by ${by}${onDate(m.approval_at)}.`;
      break;
    case 'declined':
      text = `Declined by ${by}${onDate(m.approval_at)}.` +
        (viewer === 'host' ? ' Change the meeting and save it to ask for approval again.' : '');
      break;
    default:
      return null;
  }
  return el('div', { className: `approval-state ${m.approval}`, attrs: { 'data-approval': m.approval }, children: [
    el('p', { className: 'approval-text', text }),
    m.approval_note ? el('blockquote', { className: 'approval-note', children: [
      el('p', { className: 'approval-note-by', text: `Note from ${by}:` }),
      el('p', { className: 'approval-note-text', text: m.approval_note }),
    ] }) : null,
  ] });
}

let made = 0;

/**
 * The approver's controls for one pending meeting: a note, Approve and Decline
 * (a note is required to decline).
 * @param {Meeting} m
 * @param {(decided: Meeting, message: string) => void} onDecided Called after the server took
 *   the decision, with a sentence saying so. If it takes these controls off the page, it
 *   shows the sentence itself.
 * @returns {HTMLElement}
 */
export function decisionControls(m, onDecided) {
  const id = `decision-${made++}`;
  const note = el('textarea', { attrs: { id: `${id}-note`, name: 'note', rows: '2', maxlength: '2000' } });
  const hintId = `${id}-note-hint`;
  note.setAttribute('aria-describedby', hintId);
  const approve = button('Approve', { className: 'primary', label: `Approve \u201c${m.title}\u201d` });
  const decline = button('Decline', { className: 'danger', label: `Decline \u201c${m.title}\u201d` });
  const status = el('p', { className: 'status', attrs: { role: 'status', 'aria-live': 'polite', tabindex: '-1' } });
  status.hidden = true;
  const box = el('div', { className: 'decision', children: [
    el('div', { className: 'field', children: [
      el('label', { text: 'Note for the host', attrs: { for: note.id } }),
      note,
      el('p', { className: 'hint', text: 'Optional when approving. Needed when declining: say what must change.', attrs: { id: hintId } }),
    ] }),
    el('div', { className: 'actions', children: [approve, decline] }),
    status,
  ] });

  /**
   * @param {'approve' | 'decline'} what
   */
  const decide = async (what) => {
    const text = note.value.trim();
    note.removeAttribute('aria-invalid');
    if (what === 'decline' && !text) {
      note.setAttribute('aria-invalid', 'true');
      setStatus(status, 'Please write a note for the host saying why, so they can change the meeting.', 'error');
      note.focus();
      return;
    }
    approve.disabled = true;
    decline.disabled = true;
    setStatus(status, what === 'approve' ? 'Approving\u2026' : 'Declining\u2026');
    try {
      const seen = m.approval_fingerprint || '';
      const decided = what === 'approve' ? await approveMeeting(m.id, text, seen) : await declineMeeting(m.id, text, seen);
      const message = decided.approval === 'approved'
        ? `Approved. ${decided.host_name || 'The host'} has been told, and invitations can go out.`
        : `Declined. ${decided.host_name || 'The host'} has been told, with your note.`;
      onDecided(decided, message);
      if (!box.isConnected) return; // the page shows the outcome its own way
      box.replaceChildren(status);
      setStatus(status, message, 'ok');
      status.focus();
    } catch (err) {
      setStatus(status, errorMessage(err), 'error');
      approve.disabled = false;
      decline.disabled = false;
    }
  };
  approve.addEventListener('click', () => decide('approve'));
  decline.addEventListener('click', () => decide('decline'));
  return box;
}
