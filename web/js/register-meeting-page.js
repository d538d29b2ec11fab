// Page "/register/<id>": one meeting's record in the register: a summary,
// who attended and for how long, concerns, consents, contract acceptances, and
// the timeline of everything the audit log recorded for it.

import { errorMessage, ApiError } from './api.js';
import { getMeetingRecord } from './register-api.js';
import { el, byId, formatDateTime } from './dom.js';
import { dataTable, when, nothing } from './register-table.js';

/** @typedef {import('./register-api.js').MeetingRecord} MeetingRecord */
/** @typedef {import('./register-api.js').RegisterRow} RegisterRow */
/** @typedef {import('./register-api.js').Attendance} Attendance */
/** @typedef {import('./register-api.js').TimelineEntry} TimelineEntry */

const main = byId('main', HTMLElement);
const meetingId = decodeURIComponent(location.pathname.split('/')[2] ?? '');

/**
 * A section of the page with a heading.
 * @param {string} id
 * @param {string} title
 * @param {Array<Node | null>} children
 * @returns {HTMLElement}
 */
function section(id, title, children) {
  return el('section', { className: 'card', attrs: { 'aria-labelledby': `${id}-title` }, children: [
    el('h2', { text: title, attrs: { id: `${id}-title` } }), ...children,
  ] });
}

/**
 * The meeting's summary as a description list.
 * @param {RegisterRow} m
 * @returns {HTMLDListElement}
 */
function summary(m) {
  /** @type {Array<[string, string | Node]>} */
  const items = [
    ['Purpose', m.purpose],
    ['Category', m.category || 'None'],
    ['Safeguarding profile', m.profileName],
    ['Host', m.host],
    ['Approved by', m.approver ? `${m.approver}, ${formatDateTime(m.approvedAt)}` : 'Not approved (or no approval needed)'],
    ['Scheduled', `${formatDateTime(m.scheduledStart)} to ${formatDateTime(m.scheduledEnd)}`],
    ['Started', m.actualStart ? formatDateTime(m.actualStart) : 'Did not run'],
    ['Ended', m.running ? 'Running now' : m.actualEnd ? formatDateTime(m.actualEnd) : 'Not ended'],
    ['Attendees', String(m.attendees)],
    ['Admitted by a host', String(m.admissions)],
    ['Denied', String(m.denials)],
    ['Removed', String(m.removals)],
    ['Concerns', String(m.concerns)],
    ['Server restarts', String(m.interruptions)],
  ];
  return el('dl', { className: 'record-summary', attrs: { id: 'record-summary' }, children: items.flatMap(([term, value]) => [
    el('dt', { text: term }), el('dd', { children: [value] }),
  ]) });
}

/**
 * Minutes present, with the exact seconds for screen readers and on hover.
 * @param {Attendance} a
 * @returns {HTMLSpanElement}
 */
function minutesPresent(a) {
  const seconds = `${Math.round(a.presentSeconds)} seconds`;
  return el('span', { text: a.presentMinutes.toFixed(1), attrs: { title: seconds, 'data-seconds': String(a.presentSeconds) } });
}

/**
 * @param {Attendance[]} rows
 * @returns {HTMLElement}
 */
function attendanceTable(rows) {
  return dataTable('record-attendance', 'Attendance: one row per stay, in order of arrival',
    ['Name', 'Role label', 'Name used', 'Role', 'Under 16', 'Consent by', 'Contract accepted', 'Joined', 'Admitted by', 'Left', 'Minutes present', 'Outcome'],
    rows.map((a) => [
      a.name, a.roleLabel, a.displayName || nothing('same name'), a.role, a.under16 ? 'Yes' : 'No',
      a.consentBy || nothing('none'), when(a.contractAcceptedAt), when(a.joined),
      a.admittedBy || (a.admittedAt ? 'On arrival' : nothing('not admitted')), when(a.left, 'still there'),
      minutesPresent(a), a.outcome,
    ]),
    'Nobody joined this meeting, or its attendance has been deleted under the retention policy.');
}

/** Timeline times, to the second, in the reader's own time zone. */
const secondFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' });

/**
 * The timeline as an ordered list.
 * @param {TimelineEntry[]} entries
 * @param {boolean} truncated
 * @returns {Array<HTMLElement | null>}
 */
function timeline(entries, truncated) {
  if (entries.length === 0) return [el('p', { className: 'empty-item', text: 'Nothing was recorded.' })];
  return [
    el('ol', { className: 'timeline', attrs: { id: 'record-timeline' }, children: entries.map((e) => el('li', {
      className: e.outcome === 'refused' ? 'refused' : '', attrs: { 'data-action': e.action }, children: [
        el('time', { text: secondFormat.format(new Date(e.at)), attrs: { datetime: e.at } }), ' ',
        el('span', { text: e.text }),
        e.outcome === 'refused' ? el('span', { className: 'badge revoked', text: 'Refused' }) : null,
      ],
    })) }),
    truncated ? el('p', { className: 'hint', text: 'Only the first part of the timeline is shown. The whole audit log can be read with "safemeet audit".' }) : null,
  ];
}

/**
 * Draws the record.
 * @param {MeetingRecord} rec
 */
function render(rec) {
  const m = rec.meeting;
  document.title = `${m.title} \u2013 Register \u2013 safemeet`;
  main.replaceChildren(
    el('div', { className: 'page-head', children: [
      el('h1', { text: m.title }),
      el('p', { className: 'who', text: 'Meeting register' }),
      el('div', { className: 'actions', children: [el('a', { className: 'button', text: 'Back to the register', attrs: { href: '/register' } })] }),
    ] }),
    section('summary', 'Summary', [summary(m)]),
    section('attendance', 'Attendance', [attendanceTable(rec.attendance)]),
    section('concerns', 'Safeguarding concerns', [dataTable('record-concerns', 'Concerns flagged in the meeting',
      ['Raised', 'Raised by', 'About', 'Note'],
      rec.concerns.map((c) => [when(c.at), c.raisedBy, c.about || 'The meeting', c.note]), 'No concerns were flagged.')]),
    section('consents', 'Parent and carer consent', [dataTable('record-consents', 'Consent for invitees under 16',
      ['Child', 'Answer', 'Given by', 'When'],
      rec.consents.map((c) => [c.child, c.state || 'Not answered', c.by || nothing('nobody'), when(c.at)]), 'No invitee needed consent.')]),
    section('contract', 'Participation contract', [dataTable('record-contract', 'Who accepted the participation contract',
      ['Name', 'Accepted', 'Contract version'],
      rec.contractAcceptances.map((a) => [a.name, when(a.at), a.hash.slice(0, 12)]), 'Nobody accepted a contract (the profile may have none).')]),
    section('timeline', 'Timeline', timeline(rec.timeline, rec.timelineTruncated)),
  );
}

/** Loads the record and draws the page. */
async function start() {
  if (!meetingId) {
    main.replaceChildren(el('p', { text: 'No meeting was named in the address.' }));
    return;
  }
  try {
    render(await getMeetingRecord(meetingId));
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) {
      location.assign('/');
      return;
    }
    main.replaceChildren(el('p', { className: 'status', text: errorMessage(err), attrs: { role: 'alert', 'data-kind': 'error' } }));
  }
}

start();
