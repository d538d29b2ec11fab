// One chat message: read from the server's wire form, and its text shown only
// with text nodes, never parsed as HTML. A link is made only where the server
// marked one (chat.Links) and the meeting's rules make links clickable, after
// checking it is http(s) and that its text is where it goes. Hosts and co-hosts
// see a message's delete and stop-posting controls with it.

import { el, button, formatTime } from './dom.js';
import { roleName, isHostRole } from './roles.js';

/** @typedef {import('./chat.js').WireMessage} WireMessage */

/** @typedef {'everyone' | 'hosts' | 'direct'} ChatAudience */
/** @typedef {{ start: number, end: number, href: string }} ChatLink UTF-16 offsets into the text. */

/**
 * @typedef {Object} ChatMessage A message as the server sends it.
 * @property {number} id
 * @property {string} from
 * @property {string} from_name
 * @property {string} [from_role] The sender's role when they sent it.
 * @property {ChatAudience} to
 * @property {string} [to_participant] Direct messages: the recipient.
 * @property {string} [to_name]
 * @property {string} text
 * @property {ChatLink[]} [links] Only when the rules make links clickable.
 * @property {string} at RFC 3339.
 */

/**
 * The nodes showing a message's text: text nodes, and links where the server
 * marked them and clickable is true. A link is made only if its offsets are in
 * order and in range, its href is http: or https:, and its text is its href (or
 * its href without "https://", for www. addresses); anything else stays text.
 * @param {string} text
 * @param {ChatLink[] | undefined} links
 * @param {boolean} clickable
 * @returns {Node[]}
 */
export function renderText(text, links, clickable) {
  /** @type {Node[]} */
  const nodes = [];
  let at = 0;
  for (const link of clickable && Array.isArray(links) ? links : []) {
    const href = safeHref(text, link, at);
    if (!href) continue;
    if (link.start > at) nodes.push(document.createTextNode(text.slice(at, link.start)));
    nodes.push(el('a', {
      text: text.slice(link.start, link.end),
      attrs: { href, rel: 'noopener noreferrer', target: '_blank', referrerpolicy: 'no-referrer' },
      children: [el('span', { className: 'visually-hidden', text: ' (opens in a new tab)' })],
    }));
    at = link.end;
  }
  if (at < text.length) nodes.push(document.createTextNode(text.slice(at)));
  return nodes;
}

/**
 * The href to use for link, or '' if it must stay text.
 * @param {string} text
 * @param {unknown} link
 * @param {number} from The end of the previous link.
 * @returns {string}
 */
function safeHref(text, link, from) {
  if (typeof link !== 'object' || link === null) return '';
  const { start, end, href } = /** @type {Partial<ChatLink>} */ (link);
  if (!Number.isInteger(start) || !Number.isInteger(end) || typeof href !== 'string') return '';
  const s = /** @type {number} */ (start);
  const e = /** @type {number} */ (end);
  if (s < from || e <= s || e > text.length) return '';
  const shown = text.slice(s, e);
  if (href !== shown && href !== `https://${shown}`) return '';
  try {
    const url = new URL(href);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : '';
  } catch {
    return '';
  }
}

/**
 * Reads a chat message from the server, or null if it is not one.
 * @param {unknown} raw
 * @returns {ChatMessage | null}
 */
export function parseMessage(raw) {
  if (typeof raw !== 'object' || raw === null) return null;
  const m = /** @type {Record<string, unknown>} */ (raw);
  const { id, from, text, at, to } = { id: m['id'], from: m['from'], text: m['text'], at: m['at'], to: m['to'] };
  if (typeof id !== 'number' || typeof from !== 'string' || typeof text !== 'string' || typeof at !== 'string' ||
      (to !== 'everyone' && to !== 'hosts' && to !== 'direct')) return null;
  /** @type {ChatMessage} */
  const msg = { id, from, from_name: typeof m['from_name'] === 'string' ? m['from_name'] : '', to, text, at };
  if (typeof m['from_role'] === 'string') msg.from_role = m['from_role'];
  if (typeof m['to_participant'] === 'string') msg.to_participant = m['to_participant'];
  if (typeof m['to_name'] === 'string') msg.to_name = m['to_name'];
  if (Array.isArray(m['links'])) msg.links = /** @type {ChatLink[]} */ (m['links']);
  return msg;
}

/**
 * @typedef {Object} MessageViewer Who is looking at a message, and how to ask the server.
 * @property {string} me Our participant ID.
 * @property {boolean} isHost Host or co-host: shows the message's host controls.
 * @property {boolean} clickable The rules make links clickable.
 * @property {ReadonlySet<string>} blocked Participants stopped from posting, as the server said.
 * @property {(id: string) => string} nameOf A participant's name.
 * @property {(msg: WireMessage) => boolean} trySend Sends msg, or says it could not be sent.
 */

/**
 * The list item showing message m to viewer.
 * @param {ChatMessage} m
 * @param {MessageViewer} viewer
 * @returns {HTMLLIElement}
 */
export function messageView(m, viewer) {
  const mine = m.from === viewer.me;
  const name = m.from_name || viewer.nameOf(m.from);
  const audience = audienceLabel(m, viewer.me);
  const meta = el('p', { className: 'chat-meta', children: [
    el('span', { className: 'chat-from', text: mine ? `${name} (you)` : name }),
    m.from_role && isHostRole(m.from_role) ? el('span', { className: 'badge', text: roleName(m.from_role), attrs: { 'data-role': m.from_role } }) : null,
    audience ? el('span', { className: 'chat-to', text: audience }) : null,
    el('time', { className: 'chat-time', text: formatTime(m.at), attrs: { datetime: m.at } }),
  ] });
  const body = el('p', { className: 'chat-text', children: renderText(m.text, m.links, viewer.clickable) });
  const li = el('li', {
    className: 'chat-message',
    attrs: { 'data-message': String(m.id), 'data-audience': m.to, 'data-mine': String(mine) },
    children: [meta, body],
  });
  if (viewer.isHost) li.append(hostControls(m, viewer));
  return li;
}

/**
 * "to hosts", "direct to Sam — visible to hosts", or '' for everyone.
 * @param {ChatMessage} m
 * @param {string} me
 */
function audienceLabel(m, me) {
  if (m.to === 'hosts') return 'to hosts';
  if (m.to !== 'direct') return '';
  const who = m.to_participant === me ? 'you' : (m.to_name || 'someone');
  return `direct to ${who} \u2014 visible to hosts`;
}

/**
 * A message's delete and stop-posting buttons, for hosts and co-hosts.
 * @param {ChatMessage} m
 * @param {MessageViewer} viewer
 */
function hostControls(m, viewer) {
  const { trySend } = viewer;
  const del = button('Delete', { label: `Delete message from ${m.from_name}` });
  del.dataset['action'] = 'delete';
  del.addEventListener('click', () => {
    if (trySend({ type: 'chat_delete', message: m.id })) del.disabled = true;
  });
  const buttons = [del];
  if (m.from !== viewer.me && m.from_role !== 'host') {
    const stopped = viewer.blocked.has(m.from);
    const text = stopped ? 'Allow posting' : 'Stop posting';
    const b = button(text, { label: `${text}: ${m.from_name}` });
    b.dataset['action'] = 'block';
    b.addEventListener('click', () => {
      if (trySend({ type: 'chat_block', participant: m.from, blocked: !stopped })) b.disabled = true;
    });
    buttons.push(b);
  }
  return el('div', { className: 'chat-actions', attrs: { role: 'group', 'aria-label': `Host controls for this message from ${m.from_name}` }, children: buttons });
}
