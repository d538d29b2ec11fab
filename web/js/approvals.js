// The approver's "Waiting for your approval" list on the dashboard: each pending
// meeting with its host, time, purpose and category, profile and invitees, and
// Approve / Decline.

import { errorMessage } from './api.js';
import { listApprovals } from './api-meetings.js';
import { el, clear, formatDateTime } from './dom.js';
import { decisionControls } from './approval.js';
import { ageGroupText } from './invitee-text.js';

/** @typedef {import('./api-meetings.js').PendingMeeting} PendingMeeting */
/** @typedef {import('./api-meetings.js').Invitation} Invitation */

/**
 * A term and its description for a <dl>.
 * @param {string} term
 * @param {string | Node} value
 * @returns {Node[]}
 */
function fact(term, value) {
  return [el('dt', { text: term }), el('dd', { children: [value] })];
}

/**
 * One invitee, as the approver needs to know them.
 * @param {Invitation} inv
 * @returns {HTMLLIElement}
 */
function invitee(inv) {
  const guardian = inv.ageGroup === 'under16' && inv.guardianName
    ? `Invited through their parent or carer ${inv.guardianName}${inv.guardianEmail ? ` (${inv.guardianEmail})` : ''}`
    : '';
  return el('li', { className: inv.revoked ? 'invitee revoked' : 'invitee', children: [
    el('span', { className: 'person-who', children: [
      el('span', { className: 'person-name', text: inv.name }),
      el('span', { className: 'person-label', text: `${inv.roleLabel} \u00b7 ${ageGroupText(inv.ageGroup)}` }),
      guardian ? el('span', { className: 'person-label', text: guardian }) : null,
    ] }),
    inv.revoked ? el('span', { className: 'badge revoked', text: 'Revoked' }) : null,
  ] });
}

/**
 * @param {PendingMeeting} p
 * @param {() => void} onDecided
 * @returns {HTMLLIElement}
 */
function pendingItem(p, onDecided) {
  const m = p.meeting;
  const titleId = `approval-${m.id}-title`;
  const invitees = p.invitations.length === 0
    ? el('p', { text: 'No one is invited yet.' })
    : el('ul', { className: 'invitee-list', children: p.invitations.map(invitee) });
  return el('li', { className: 'approval', attrs: { 'data-meeting': m.id, 'aria-labelledby': titleId }, children: [
    el('h3', { attrs: { id: titleId }, children: [
      el('a', { text: m.title, attrs: { href: `/meetings/${encodeURIComponent(m.id)}` } }),
    ] }),
    el('dl', { className: 'facts', children: [
      ...fact('Host', m.host_name || 'Unknown'),
      ...fact('When', `${formatDateTime(m.startsAt)} \u00b7 ${m.durationMinutes} minutes`),
      ...fact('Category', m.category || 'None'),
      ...fact('Purpose', el('span', { className: 'meeting-purpose', text: m.purpose })),
      ...fact('Safeguarding profile', m.profile_name || m.profile),
    ] }),
    el('h4', { text: `Invitees (${p.invitations.length})` }),
    invitees,
    decisionControls(m, onDecided),
  ] });
}

/**
 * The "Waiting for your approval" section; it loads itself.
 * @returns {HTMLElement}
 */
export function approvalsSection() {
  const heading = el('h2', { text: 'Waiting for your approval', attrs: { id: 'approvals-title' } });
  const body = el('div', { attrs: { id: 'approvals' }, children: [el('p', { text: 'Loading meetings waiting for approval\u2026' })] });
  const section = el('section', { className: 'card', attrs: { 'aria-labelledby': 'approvals-title' }, children: [heading, body] });
  let left = 0;
  const count = () => { heading.textContent = `Waiting for your approval (${left})`; };
  (async () => {
    let pending;
    try {
      pending = await listApprovals();
    } catch (err) {
      body.replaceChildren(el('p', { className: 'status', text: errorMessage(err), attrs: { 'data-kind': 'error' } }));
      return;
    }
    clear(body);
    left = pending.length;
    count();
    if (pending.length === 0) {
      body.append(el('p', { text: 'No meetings are waiting for approval.' }));
      return;
    }
    body.append(el('ul', { className: 'approval-list', children: pending.map((p) => pendingItem(p, () => {
      left = Math.max(0, left - 1);
      count();
    })) }));
  })();
  return section;
}
