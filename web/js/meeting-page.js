// Page "/meetings/<id>": a meeting's details, approval and invitees. Its host
// changes the meeting, adds invitees (emailed, or one-time links to pass on),
// and starts it; an approver looking at someone else's meeting sees it, and
// approves or declines it while it waits.

import { getMe, hasRole, errorMessage, ApiError } from './api.js';
import { getMeeting, getSchedulingOptions } from './api-meetings.js';
import { el, byId, clear, setStatus, formatDateTime } from './dom.js';
import { approvalBadge, approvalSummary, decisionControls } from './approval.js';
import { inviteeItem } from './invitee-item.js';
import { addInviteeForm } from './invitee-form.js';
import { editMeetingCard } from './meeting-edit.js';

/** @typedef {import('./api.js').Me} Me */
/** @typedef {import('./api-meetings.js').Meeting} Meeting */
/** @typedef {import('./api-meetings.js').Invitation} Invitation */
/** @typedef {import('./invitee-item.js').MeetingContext} MeetingContext */

const main = byId('main', HTMLElement);
const meetingId = decodeURIComponent(location.pathname.split('/')[2] ?? '');

/** Where the one-time link is shown (one at a time). */
const linkSlot = el('div', { attrs: { id: 'link-slot' } });
/** Page-wide messages. */
const status = el('p', { className: 'status', attrs: { role: 'status', 'aria-live': 'polite', id: 'meeting-status', tabindex: '-1' } });
status.hidden = true;
/** The meeting's details, drawn again when it changes. */
const head = el('div', { className: 'page-head' });
const inviteeList = el('ul', { className: 'invitee-list', attrs: { id: 'invitees' } });
/** The meeting as last loaded or saved. @type {Meeting | null} */
let current = null;

/**
 * Whether the meeting may start (or invitations go out) as far as approval goes.
 * @param {Meeting} m
 * @returns {boolean}
 */
function cleared(m) {
  return m.approval === 'approved' || m.approval === 'not_needed' || m.approval === undefined;
}

/**
 * Draws the meeting's details.
 * @param {Meeting} m
 * @param {boolean} mine
 * @param {boolean} canDecide We may approve or decline it now.
 */
function renderHead(m, mine, canDecide) {
  document.title = `${m.title} \u2013 safemeet`;
  const join = el('a', {
    className: 'button primary',
    text: m.running ? 'Join as host' : 'Start meeting',
    attrs: { id: 'join-as-host', href: `/room/${encodeURIComponent(m.id)}` },
  });
  let next = /** @type {HTMLElement | null} */ (null);
  if (m.ended) next = el('p', { text: 'This meeting has ended.' });
  else if (mine && cleared(m)) next = el('div', { className: 'actions', children: [join] });
  /** @type {Array<HTMLElement | null>} */
  const parts = [
    el('p', { children: [el('a', { text: mine ? '\u2190 Your meetings' : '\u2190 Back', attrs: { href: '/' } })] }),
    el('h1', { text: m.title }),
    el('p', { className: 'meeting-when', children: [
      `${formatDateTime(m.startsAt)} \u00b7 ${m.durationMinutes} minutes`,
      m.ended ? el('span', { className: 'badge', text: 'Ended' }) : null,
      m.running && !m.ended ? el('span', { className: 'badge active', text: 'In progress' }) : null,
      m.ended ? null : approvalBadge(m),
    ] }),
    mine ? null : el('p', { className: 'meeting-host', text: `Hosted by ${m.host_name || 'another member of staff'}` }),
    el('h2', { className: 'small-heading', text: 'Purpose' }),
    m.category ? el('p', { className: 'meeting-category', text: m.category, attrs: { id: 'meeting-category' } }) : null,
    el('p', { className: 'meeting-purpose', text: m.purpose }),
    el('h2', { className: 'small-heading', text: 'Safeguarding profile' }),
    el('p', { className: 'meeting-profile', text: m.profile_name || m.profile, attrs: { id: 'meeting-profile' } }),
    m.ended ? null : approvalSummary(m, mine ? 'host' : 'approver'),
    canDecide && m.approval === 'pending' && !m.ended ? el('section', {
      className: 'card decision-card', attrs: { 'aria-labelledby': 'decision-title' }, children: [
        el('h2', { text: 'Your decision', attrs: { id: 'decision-title' } }),
        decisionControls(m, (decided, message) => {
          current = decided;
          renderHead(decided, mine, canDecide);
          setStatus(status, message, 'ok');
          status.focus();
        }),
      ],
    }) : null,
    next,
  ];
  head.replaceChildren(...parts.filter((n) => n !== null));
}

/**
 * Shows the invitees.
 * @param {Invitation[]} invitations
 * @param {MeetingContext} ctx
 */
function renderInvitees(invitations, ctx) {
  clear(inviteeList);
  if (invitations.length === 0) {
    inviteeList.append(el('li', { className: 'empty-item', text: 'No one is invited yet.' }));
    return;
  }
  for (const inv of invitations) inviteeList.append(inviteeItem(inv, ctx));
}

/**
 * The participation contract invitees agree to, folded away.
 * @param {string} contract
 * @returns {HTMLElement | null}
 */
function contractCard(contract) {
  if (!contract) return null;
  return el('details', { className: 'card contract-card', attrs: { id: 'meeting-contract' }, children: [
    el('summary', { className: 'summary-heading', text: 'Participation contract' }),
    el('p', { className: 'hint', text: 'Every invitee agrees to these rules in the waiting room before they can be let in. They come from the meeting\u2019s safeguarding profile.' }),
    el('div', { className: 'contract-text', text: contract, attrs: { tabindex: '0', role: 'region', 'aria-label': 'Participation contract' } }),
  ] });
}

/**
 * The note about email for the host.
 * @param {boolean} mail
 * @returns {HTMLElement}
 */
function mailNote(mail) {
  return mail
    ? el('p', { className: 'hint', text: 'Invitations are emailed: the links are never shown here. Under-16s are invited through a parent or carer, who is asked for consent.' })
    : el('p', { className: 'notice-box', attrs: { id: 'mail-off-note' }, text: 'Email is not set up, so each invitee\u2019s personal link is shown here once, for you to pass on yourself. ' +
      'Invitees under 16 can only be invited by email, through a parent or carer: ask an admin to set up email.' });
}

/** Loads the meeting and draws the page. */
async function start() {
  if (!meetingId) {
    main.replaceChildren(el('p', { text: 'No meeting was named in the address.' }));
    return;
  }
  try {
    /** @type {[import('./api-meetings.js').MeetingDetails, import('./api-meetings.js').SchedulingOptions, Me | null]} */
    const [details, options, me] = await Promise.all([getMeeting(meetingId), getSchedulingOptions(), getMe()]);
    const { meeting, invitations, contract, mine } = details;
    current = meeting;
    const canDecide = !mine && me !== null && hasRole(me, 'approver');
    /** @type {MeetingContext} */
    const ctx = {
      meetingId,
      meeting: () => current ?? meeting,
      mine,
      mailConfigured: options.mail_configured,
      linkSlot,
      status,
      refresh: async () => {
        try {
          current = (await getMeeting(meetingId)).meeting;
          renderHead(current, mine, canDecide);
        } catch {
          // The page keeps what it showed; a reload shows the rest.
        }
      },
    };
    renderHead(meeting, mine, canDecide);
    renderInvitees(invitations, ctx);
    const open = mine && !meeting.ended;
    /** @type {Array<HTMLElement | null>} */
    const parts = [
      head,
      status,
      linkSlot,
      el('section', { className: 'card', attrs: { 'aria-labelledby': 'invitees-title' }, children: [
        el('h2', { text: 'Invitees', attrs: { id: 'invitees-title' } }),
        open ? mailNote(options.mail_configured) : null,
        inviteeList,
      ] }),
      open ? addInviteeForm(ctx, inviteeList) : null,
      open && !meeting.running ? editMeetingCard(ctx, options.categories, (saved) => {
        current = saved;
        renderHead(saved, mine, canDecide);
      }) : null,
      contractCard(contract),
    ];
    main.replaceChildren(...parts.filter((n) => n !== null));
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) {
      location.assign('/');
      return;
    }
    main.replaceChildren(el('p', { className: 'status', text: errorMessage(err), attrs: { role: 'alert', 'data-kind': 'error' } }));
  }
}

start();
