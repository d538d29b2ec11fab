// Plain-English words for an invitation's age group, email delivery and
// parent's or carer's consent, shared by the meeting page, the approvals list
// and the host's waiting-room panel.

import { formatDateTime } from './dom.js';

/** @typedef {import('./api.js').Consent} Consent */
/** @typedef {import('./api-meetings.js').Invitation} Invitation */

/**
 * @param {string | undefined} ageGroup
 * @returns {string}
 */
export function ageGroupText(ageGroup) {
  return ageGroup === 'under16' ? 'Under 16' : 'Adult';
}

/**
 * " at <time>" when at is a time, else "".
 * @param {string} at
 * @returns {string}
 */
function atTime(at) {
  return at ? ` at ${formatDateTime(at)}` : '';
}

/**
 * The consent state of an invitee under 16.
 * @param {Consent | undefined} consent
 * @returns {{ text: string, kind: 'ok' | 'waiting' | 'refused' }}
 */
export function consentText(consent) {
  const by = consent?.by || 'their parent or carer';
  switch (consent?.state) {
    case 'given': return { text: `Consent given by ${by}${atTime(consent.at)}`, kind: 'ok' };
    case 'refused': return { text: `Consent refused by ${by}${atTime(consent.at)}`, kind: 'refused' };
    case 'withdrawn': return { text: `Consent withdrawn by ${by}${atTime(consent.at)}`, kind: 'refused' };
    default: return { text: 'Awaiting consent from their parent or carer', kind: 'waiting' };
  }
}

/**
 * How the invitation reaches its invitee.
 * @param {Invitation} inv
 * @returns {{ text: string, kind: 'ok' | 'waiting' | 'refused' | 'manual' }}
 */
export function deliveryText(inv) {
  switch (inv.delivery) {
    case 'sent':
      return { text: `Email sent${atTime(inv.sentAt)}`, kind: 'ok' };
    case 'queued':
      if (inv.deliveryError) {
        const retry = inv.nextAttemptAt ? ` (next try${atTime(inv.nextAttemptAt)})` : '';
        return { text: `Email failed: ${inv.deliveryError} \u2014 will retry${retry}`, kind: 'refused' };
      }
      return { text: inv.nextAttemptAt ? `Email queued, to be sent${atTime(inv.nextAttemptAt)}` : 'Email queued', kind: 'waiting' };
    default:
      return { text: 'Link to pass on yourself', kind: 'manual' };
  }
}

/**
 * Where the invitation's mail goes: the adult's address, or for someone under
 * 16, their parent or carer.
 * @param {Invitation} inv
 * @returns {string}
 */
export function recipientText(inv) {
  if (inv.ageGroup === 'under16') {
    const who = inv.guardianName || 'their parent or carer';
    return inv.guardianEmail ? `Through ${who} (${inv.guardianEmail})` : `Through ${who}`;
  }
  return inv.email;
}
