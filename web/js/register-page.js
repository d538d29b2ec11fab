// Page "/register": the meeting register. Auditors and approvers see every
// meeting and may pick a host; hosts see their own. The filters are a plain GET
// form, so the address holds them (and can be shared or bookmarked), and the
// export buttons are plain links to the export with the same filters.

import { getMe, hasRole, errorMessage, ApiError } from './api.js';
import { listProfiles } from './api-admin.js';
import { listRegister, filterFrom, exportURL } from './register-api.js';
import { el, byId, field, input, button, formatDateTime } from './dom.js';
import { dataTable, when } from './register-table.js';

/** @typedef {import('./register-api.js').RegisterRow} RegisterRow */
/** @typedef {import('./register-api.js').RegisterFilter} RegisterFilter */

const main = byId('main', HTMLElement);

/**
 * A select of options, the chosen one selected.
 * @param {string} id
 * @param {Array<[string, string]>} options [value, label] pairs.
 * @param {string} chosen
 * @returns {HTMLSelectElement}
 */
function select(id, options, chosen) {
  const s = el('select', { attrs: { id, name: id } });
  for (const [value, label] of options) {
    const o = el('option', { text: label, attrs: { value } });
    o.selected = value === chosen;
    s.append(o);
  }
  return s;
}

/**
 * The filter form. It submits to this page with GET.
 * @param {RegisterFilter} f
 * @param {Array<[string, string]> | null} hosts [ID, name] pairs, or null when the host cannot be chosen.
 * @param {Array<[string, string]>} profiles [ID, name] pairs.
 * @returns {HTMLFormElement}
 */
function filterForm(f, hosts, profiles) {
  const from = input('from', 'date', { value: f.from });
  const to = input('to', 'date', { value: f.to });
  const purpose = input('purpose', 'text', { value: f.purpose, maxlength: '200' });
  return el('form', {
    className: 'card register-filters',
    attrs: { id: 'register-filters', method: 'get', action: '/register', 'aria-labelledby': 'filters-title' },
    children: [
      el('h2', { text: 'Choose meetings', attrs: { id: 'filters-title' } }),
      el('div', { className: 'row', children: [
        field('Scheduled from', from),
        field('Scheduled to (inclusive)', to),
      ] }),
      el('div', { className: 'row', children: [
        hosts ? field('Host', select('host', [['', 'Any host'], ...hosts], f.host)) : null,
        field('Safeguarding profile', select('profile', [['', 'Any profile'], ...profiles], f.profile)),
        field('Purpose', purpose, 'A purpose category, or words from the purpose.'),
      ] }),
      el('div', { className: 'actions', children: [
        button('Show meetings', { type: 'submit', className: 'primary' }),
        el('a', { className: 'button', text: 'Clear', attrs: { href: '/register' } }),
      ] }),
    ],
  });
}

/**
 * The export links for the current filters.
 * @param {RegisterFilter} f
 * @returns {HTMLElement[]}
 */
function exportLinks(f) {
  return [
    el('p', { className: 'hint', text: 'Exports hold the meetings chosen above: the workbook has both tables. Every export is recorded in the audit log.' }),
    el('div', { className: 'actions export-links', children: [
      el('a', { className: 'button', text: 'Export CSV (meetings)', attrs: { href: exportURL('csv', 'meetings', f), id: 'export-csv-meetings' } }),
      el('a', { className: 'button', text: 'Export CSV (attendance)', attrs: { href: exportURL('csv', 'attendance', f), id: 'export-csv-attendance' } }),
      el('a', { className: 'button', text: 'Export XLSX', attrs: { href: exportURL('xlsx', 'meetings', f), id: 'export-xlsx' } }),
    ] }),
  ];
}

/**
 * The table of meetings.
 * @param {RegisterRow[]} rows
 * @returns {HTMLElement}
 */
function meetingsTable(rows) {
  return dataTable('register-meetings', `Meetings (${rows.length})`,
    ['Meeting', 'Scheduled', 'Host', 'Profile', 'Purpose', 'Started', 'Ended', 'Attendees', 'Admitted', 'Denied', 'Removed', 'Concerns'],
    rows.map((m) => [
      el('a', { text: m.title, attrs: { href: `/register/${encodeURIComponent(m.id)}` } }),
      formatDateTime(m.scheduledStart),
      m.host,
      m.profileName,
      m.category || m.purpose,
      when(m.actualStart, 'did not run'),
      m.running ? 'Running now' : when(m.actualEnd, m.actualStart ? 'not ended' : 'did not run'),
      m.attendees, m.admissions, m.denials, m.removals, m.concerns,
    ]),
    'No meetings match.');
}

/**
 * The distinct hosts of rows, by name, with the chosen one even if it hosts none.
 * @param {RegisterRow[]} rows
 * @param {string} chosen
 * @returns {Array<[string, string]>}
 */
function hostsOf(rows, chosen) {
  /** @type {Map<string, string>} */
  const hosts = new Map();
  for (const m of rows) hosts.set(m.hostId, m.host || 'Unknown host');
  if (chosen && !hosts.has(chosen)) hosts.set(chosen, 'The chosen host (no meetings)');
  return [...hosts].sort((a, b) => a[1].localeCompare(b[1]));
}

/** Loads the register and draws the page. */
async function start() {
  const f = filterFrom(location.search);
  try {
    const me = await getMe();
    if (!me) {
      location.assign('/');
      return;
    }
    const all = hasRole(me, 'auditor') || hasRole(me, 'approver');
    // Whoever may choose a host gets the meetings of every host, for the list
    // of hosts, and picks out the chosen one here.
    const [rows, profiles] = await Promise.all([listRegister(all ? { ...f, host: '' } : f), listProfiles()]);
    const shown = all && f.host ? rows.filter((m) => m.hostId === f.host) : rows;
    main.replaceChildren(
      el('div', { className: 'page-head', children: [
        el('h1', { text: 'Meeting register' }),
        el('p', { className: 'who', text: all ? 'Every meeting in the organisation.' : 'The meetings you host.' }),
        el('div', { className: 'actions', children: [el('a', { className: 'button', text: 'Back to meetings', attrs: { href: '/' } })] }),
      ] }),
      filterForm(f, all ? hostsOf(rows, f.host) : null, profiles.map((p) => [p.id, p.name])),
      el('section', { className: 'card', attrs: { 'aria-labelledby': 'results-title' }, children: [
        el('h2', { text: 'Meetings', attrs: { id: 'results-title' } }),
        ...exportLinks(f),
        meetingsTable(shown),
      ] }),
    );
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) {
      location.assign('/');
      return;
    }
    main.replaceChildren(el('p', { className: 'status', text: errorMessage(err), attrs: { role: 'alert', 'data-kind': 'error' } }));
  }
}

start();
