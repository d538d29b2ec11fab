// One invitation on the meeting page: who it is for, where its mail goes, how
// its delivery stands, the parent's or carer's consent for an invitee under 16,
// and the host's buttons (Resend or New link, Revoke, Restore).

import { errorMessage } from './api.js';
import { revokeInvitation, restoreInvitation, renewInvitationLink } from './api-meetings.js';
import { el, button, setStatus } from './dom.js';
import { showLinkOnce } from './invite-link.js';
import { ageGroupText, consentText, deliveryText, recipientText } from './invitee-text.js';

/** @typedef {import('./api-meetings.js').Meeting} Meeting */
/** @typedef {import('./api-meetings.js').Invitation} Invitation */

/**
 * @typedef {Object} MeetingContext What the meeting page's parts share.
 * @property {string} meetingId
 * @property {() => Meeting} meeting The meeting as last loaded.
 * @property {boolean} mine Whether we host it (else we are an approver looking).
 * @property {boolean} mailConfigured Whether invitations are emailed.
 * @property {HTMLElement} linkSlot Where a one-time link is shown.
 * @property {HTMLElement} status Page-wide messages.
 * @property {() => Promise<void>} refresh Loads the meeting's state again (e.g. its approval); never throws.
 */

/**
 * An invitation's row.
 * @param {Invitation} inv
 * @param {MeetingContext} ctx
 * @returns {HTMLLIElement}
 */
export function inviteeItem(inv, ctx) {
  const item = el('li', { className: inv.revoked ? 'invitee revoked' : 'invitee', attrs: { 'data-invitation': inv.id } });
  const delivery = deliveryText(inv);
  const consent = inv.ageGroup === 'under16' ? consentText(inv.consent) : null;
  const recipient = recipientText(inv);
  item.append(
    el('span', { className: 'person-who', children: [
      el('span', { className: 'person-name', text: inv.name }),
      el('span', { className: 'person-label', text: `${inv.roleLabel} \u00b7 ${ageGroupText(inv.ageGroup)}` }),
      recipient ? el('span', { className: 'person-label invitee-recipient', text: recipient }) : null,
    ] }),
    el('span', { className: inv.revoked ? 'badge revoked' : 'badge active', text: inv.revoked ? 'Revoked' : 'Active' }),
    ...(ctx.mine && !ctx.meeting().ended ? [actions(inv, item, ctx)] : []),
    el('ul', { className: 'invitee-states', children: [
      el('li', { className: 'invitee-state', text: delivery.text, attrs: { 'data-kind': delivery.kind, 'data-what': 'delivery' } }),
      consent ? el('li', { className: 'invitee-state', text: consent.text, attrs: { 'data-kind': consent.kind, 'data-what': 'consent' } }) : null,
    ] }),
  );
  return item;
}

/**
 * The host's buttons for one invitation.
 * @param {Invitation} inv
 * @param {HTMLLIElement} item
 * @param {MeetingContext} ctx
 * @returns {HTMLElement}
 */
function actions(inv, item, ctx) {
  /**
   * Runs a change, then replaces the row and says what happened.
   * @param {HTMLButtonElement} b
   * @param {() => Promise<{ invitation: Invitation, link?: string }>} change
   * @param {(fresh: Invitation, link: string) => string} said
   */
  const act = async (b, change, said) => {
    b.disabled = true;
    try {
      const { invitation, link } = await change();
      const fresh = inviteeItem(invitation, ctx);
      item.replaceWith(fresh);
      if (link) showLinkOnce(ctx.linkSlot, invitation.name, link);
      const message = said(invitation, link ?? '');
      if (message) setStatus(ctx.status, message, 'ok');
      const focus = fresh.querySelector('.actions button');
      if (!link && focus instanceof HTMLElement) focus.focus();
    } catch (err) {
      setStatus(ctx.status, errorMessage(err), 'error');
      b.disabled = false;
    }
  };

  if (inv.revoked) {
    const restore = button('Restore', { label: `Restore ${inv.name}\u2019s invitation` });
    restore.addEventListener('click', () => {
      if (!window.confirm(`Restore ${inv.name}\u2019s invitation? Their link will work again; if they were removed from the meeting, they will wait for you to let them in.`)) return;
      act(restore, async () => ({ invitation: await restoreInvitation(ctx.meetingId, inv.id) }), () => `${inv.name}\u2019s invitation works again.`);
    });
    return el('span', { className: 'actions', children: [restore] });
  }

  const emailed = inv.delivery !== 'manual';
  const recipient = inv.ageGroup === 'under16' ? (inv.guardianEmail || 'their parent or carer') : (inv.email || inv.name);
  const renew = emailed
    ? button('Resend', { label: `Resend ${inv.name}\u2019s invitation email` })
    : button('New link', { label: `New link for ${inv.name}` });
  renew.addEventListener('click', () => {
    const question = emailed
      ? `Send a new invitation email for ${inv.name} to ${recipient}? The link in the earlier email will stop working.`
      : `Make a new link for ${inv.name}? Their current link will stop working.`;
    if (!window.confirm(question)) return;
    act(renew, () => renewInvitationLink(ctx.meetingId, inv.id), (fresh, link) => {
      if (link) return '';
      if (fresh.delivery !== 'manual') return `A new invitation email for ${inv.name} is on its way to ${recipient}. The earlier link no longer works.`;
      return `${inv.name}\u2019s earlier link no longer works. A new link can be shown once the meeting has been approved.`;
    });
  });
  const revoke = button('Revoke', { className: 'danger', label: `Revoke ${inv.name}\u2019s invitation` });
  revoke.addEventListener('click', () => {
    if (!window.confirm(`Revoke ${inv.name}\u2019s invitation? Their link will stop working, and they will not be able to join.`)) return;
    act(revoke, async () => ({ invitation: await revokeInvitation(ctx.meetingId, inv.id) }), () => `${inv.name}\u2019s invitation has been revoked.`);
  });
  return el('span', { className: 'actions', children: [renew, revoke] });
}
