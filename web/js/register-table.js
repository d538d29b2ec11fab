// Accessible data tables for the register pages: a caption, column headers
// with scope="col", and the first cell of each row a header with scope="row".
// Cells hold text or nodes, never markup.

import { el, formatDateTime } from './dom.js';

/** @typedef {string | number | Node} CellValue */

/**
 * A table in a scrolling wrapper (keyboard-reachable, labelled by its caption).
 * @param {string} id The table's id; its caption gets `${id}-caption`.
 * @param {string} caption What the table shows.
 * @param {string[]} headers Column headers.
 * @param {CellValue[][]} rows One array of cells per row, as many as headers.
 * @param {string} [empty] The sentence shown instead of a table with no rows.
 * @returns {HTMLElement}
 */
export function dataTable(id, caption, headers, rows, empty = 'None.') {
  if (rows.length === 0) return el('p', { className: 'empty-item', text: empty, attrs: { id } });
  const captionId = `${id}-caption`;
  const table = el('table', { className: 'data-table', attrs: { id }, children: [
    el('caption', { text: caption, attrs: { id: captionId } }),
    el('thead', { children: [el('tr', { children: headers.map((h) => el('th', { text: h, attrs: { scope: 'col' } })) })] }),
    el('tbody', { children: rows.map((cells) => el('tr', { children: cells.map((c, i) => cell(c, i === 0)) })) }),
  ] });
  return el('div', { className: 'table-wrap', attrs: { role: 'region', 'aria-labelledby': captionId, tabindex: '0' }, children: [table] });
}

/**
 * One cell: the row's header when first.
 * @param {CellValue} value
 * @param {boolean} first
 * @returns {HTMLTableCellElement}
 */
function cell(value, first) {
  const node = first ? el('th', { attrs: { scope: 'row' } }) : el('td');
  if (typeof value === 'number') {
    node.className = 'number';
    node.textContent = String(value);
  } else if (typeof value === 'string') {
    node.textContent = value;
  } else {
    node.append(value);
  }
  return node;
}

/**
 * A time for a table, or a dash (read out as none) when there is none.
 * @param {string} iso RFC 3339, or "".
 * @param {string} [none] What no time means, e.g. "not yet".
 * @returns {CellValue}
 */
export function when(iso, none = 'none') {
  if (!iso) return nothing(none);
  return el('time', { text: formatDateTime(iso), attrs: { datetime: iso } });
}

/**
 * A dash that screen readers read as words.
 * @param {string} words
 * @returns {HTMLSpanElement}
 */
export function nothing(words) {
  return el('span', { children: [
    el('span', { text: '\u2014', attrs: { 'aria-hidden': 'true' } }),
    el('span', { className: 'visually-hidden', text: words }),
  ] });
}
