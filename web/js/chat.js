// The room's chat panel, reactions bar and raised hands. Message text is shown
// only with text nodes: never parsed as HTML, and a link is made only where the
// server marked one (chat.Links) and the meeting's rules make links clickable,
// after checking it is http(s) and that its text is where it goes. The server
// decides who sees what and who may post; this module shows and asks.

import { el, button, clear, setStatus, formatTime } from './dom.js';
import { roleName, isHostRole } from './roles.js';

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
 * @typedef {Object} ChatRules The chat part of the meeting's rules (policy.Rules).
 * @property {string} [direct_messages] "off" | "observed"
 * @property {string} [chat_links] "text" | "clickable"
 * @property {string} [chat_history] "since_start" | "from_join"
 */

/** @typedef {{ id: string, name: string, role: string }} ChatPerson */
/** @typedef {Record<string, unknown> & { type: string }} WireMessage */

/**
 * @typedef {Object} ChatOptions
 * @property {HTMLElement} root Where the chat panel is drawn (its content is replaced).
 * @property {(msg: WireMessage) => boolean | void} send Sends a message; false if it could not be sent.
 * @property {string} [me] Our participant ID.
 * @property {boolean} [isHost] Host or co-host.
 * @property {ChatRules} [rules]
 * @property {ChatPerson[]} [participants] Everyone admitted (ourselves included).
 * @property {(participant: string, reaction: string) => void} [onReaction] E.g. flashReaction on their tile.
 * @property {(text: string) => void} [announce] Says something to screen reader users.
 */

/**
 * @typedef {Object} Chat
 * @property {HTMLButtonElement} chatButton Opens and closes the panel; shows the unread count.
 * @property {HTMLElement} reactionBar The reaction buttons and the raise-hand toggle.
 * @property {HTMLButtonElement} handButton The raise-hand toggle (inside reactionBar).
 * @property {HTMLElement} handsPanel The queue of raised hands.
 * @property {(msg: { type: string } & Record<string, unknown>) => boolean} handle True if it consumed msg.
 * @property {(rules: ChatRules) => void} setRules
 * @property {(list: ChatPerson[]) => void} setParticipants
 * @property {(host: boolean) => void} setIsHost
 * @property {(id: string) => void} setMe
 * @property {() => void} open
 * @property {() => void} close
 * @property {() => boolean} isOpen
 * @property {() => void} reset Forgets every message, hand and block (e.g. when sent back to the waiting room).
 */

export const maxLength = 2000;
const counterFrom = 1800;
const maxShown = 1000;
const notConnected = 'Not connected to the meeting. Please try again in a moment.';

/** The reactions, in the order the server knows them (chat.Reactions). */
export const reactions = Object.freeze([
  { id: 'applause', emoji: '\u{1F44F}', label: 'Applause' },
  { id: 'thumbs_up', emoji: '\u{1F44D}', label: 'Thumbs up' },
  { id: 'heart', emoji: '\u2764\uFE0F', label: 'Heart' },
  { id: 'laugh', emoji: '\u{1F602}', label: 'Laugh' },
  { id: 'surprise', emoji: '\u{1F62E}', label: 'Surprise' },
]);

/**
 * The reaction with id, if it is one.
 * @param {string} id
 */
export function reactionInfo(id) {
  return reactions.find((r) => r.id === id);
}

/**
 * Shows a reaction briefly over target (for example a participant's tile, which
 * should be position: relative). Safe for any string: unknown reactions show nothing.
 * @param {HTMLElement} target
 * @param {string} reaction
 * @param {number} [ms]
 */
export function flashReaction(target, reaction, ms = 4000) {
  const info = reactionInfo(reaction);
  if (!info) return;
  const badge = el('span', { className: 'reaction-flash', text: info.emoji, attrs: { role: 'img', 'aria-label': info.label } });
  target.append(badge);
  setTimeout(() => badge.remove(), ms);
}

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
function parseMessage(raw) {
  if (typeof raw !== 'object' || raw === null) return null;
  const m = /** @type {Record<string, unknown>} */ (raw);
  const { id, from, text, at, to } = { id: m['id'], from: m['from'], text: m['text'], at: m['at'], to: m['to'] };
  if (typeof id !== 'number' || typeof from !== 'string' || typeof text !== 'string' || typeof at !== 'string' ||
      (to !== 'everyone' && to !== 'hosts' && to !== 'direct')) return null;
  /** @type {ChatMessage} */
  const msg = { id, from, from_name: str(m['from_name']), to, text, at };
  if (typeof m['from_role'] === 'string') msg.from_role = m['from_role'];
  if (typeof m['to_participant'] === 'string') msg.to_participant = m['to_participant'];
  if (typeof m['to_name'] === 'string') msg.to_name = m['to_name'];
  if (Array.isArray(m['links'])) msg.links = /** @type {ChatLink[]} */ (m['links']);
  return msg;
}

/** @param {unknown} v */
function str(v) {
  return typeof v === 'string' ? v : '';
}

/**
 * Counts what the server counts: code points, without the space it trims.
 * @param {string} text
 */
function length(text) {
  return [...text.trim()].length;
}

/**
 * Builds the chat, reactions bar and hand queue.
 * @param {ChatOptions} options
 * @returns {Chat}
 */
export function createChat(options) {
  const { root, send } = options;
  let me = options.me ?? '';
  let isHost = options.isHost ?? false;
  /** @type {ChatRules} */
  let rules = options.rules ?? {};
  /** @type {Map<string, ChatPerson>} */
  let people = new Map((options.participants ?? []).map((p) => [p.id, p]));
  /** @type {ChatMessage[]} */
  let messages = [];
  /** @type {Set<string>} Participants stopped from posting, as the server said. */
  let blocked = new Set();
  /** @type {string[]} */
  let hands = [];
  let unread = 0;
  let opened = false;
  let lastDraft = '';
  let lastReaction = 0;
  let handsKnown = false;

  // The panel.
  const heading = el('h2', { text: 'Chat', attrs: { id: 'chat-heading', tabindex: '-1' } });
  const clearButton = button('Clear chat', { className: 'chat-clear danger', label: 'Clear the chat for everyone' });
  const list = el('ol', {
    className: 'chat-list',
    attrs: { id: 'chat-list', role: 'log', 'aria-live': 'polite', 'aria-relevant': 'additions', 'aria-labelledby': 'chat-heading', tabindex: '0' },
  });
  const empty = el('p', { className: 'empty', text: 'No messages yet.' });
  const blockedNotice = el('p', { className: 'chat-blocked', text: 'The host has stopped you from sending chat messages.' });
  const to = el('select', { attrs: { id: 'chat-to', name: 'chat-to' } });
  const toHint = el('p', { className: 'hint chat-to-hint', attrs: { id: 'chat-to-hint' } });
  to.setAttribute('aria-describedby', 'chat-to-hint');
  const input = el('textarea', { attrs: { id: 'chat-input', name: 'chat-input', rows: '2', 'aria-describedby': 'chat-input-hint chat-count' } });
  const inputHint = el('p', { className: 'visually-hidden', text: 'Enter sends. Shift and Enter starts a new line.', attrs: { id: 'chat-input-hint' } });
  const counter = el('p', { className: 'chat-count', attrs: { id: 'chat-count' } });
  const status = el('p', { className: 'status chat-status', attrs: { role: 'status', 'aria-live': 'polite' } });
  const sendButton = button('Send', { type: 'submit', className: 'primary' });
  const form = el('form', {
    className: 'chat-form',
    attrs: { 'aria-label': 'Send a chat message' },
    children: [
      el('div', { className: 'chat-to-row', children: [el('label', { text: 'To', attrs: { for: 'chat-to' } }), to] }),
      toHint,
      el('label', { className: 'visually-hidden', text: 'Message', attrs: { for: 'chat-input' } }),
      input, inputHint,
      el('div', { className: 'chat-send-row', children: [counter, sendButton] }),
    ],
  });
  const panel = el('section', {
    className: 'panel chat',
    attrs: { id: 'chat-panel', 'aria-labelledby': 'chat-heading' },
    children: [el('div', { className: 'chat-head', children: [heading, clearButton] }), list, empty, blockedNotice, status, form],
  });
  root.replaceChildren(panel);

  // The chat button, reactions bar and hands panel, for the page to place.
  const unreadBadge = el('span', { className: 'chat-unread', attrs: { 'aria-hidden': 'true' } });
  const chatButton = button('Chat', { className: 'control chat-button' });
  chatButton.append(unreadBadge);
  chatButton.setAttribute('aria-controls', 'chat-panel');
  const handButton = button('Raise hand', { className: 'control hand-button' });
  handButton.setAttribute('aria-pressed', 'false');
  const fallbackAnnouncer = el('span', { className: 'visually-hidden', attrs: { 'aria-live': 'polite' } });
  const reactionBar = el('div', {
    className: 'reactions',
    attrs: { role: 'group', 'aria-label': 'Reactions and raise hand' },
    children: [
      ...reactions.map((r) => {
        const b = button(r.emoji, { className: 'reaction', label: `React: ${r.label}`, onClick: () => react(r.id) });
        b.title = r.label;
        return b;
      }),
      handButton, fallbackAnnouncer,
    ],
  });
  const handsHeading = el('h2', { text: 'Raised hands (0)', attrs: { id: 'hands-heading', tabindex: '-1' } });
  const handsList = el('ol', { className: 'panel-list hands-list', attrs: { 'data-empty': 'true' } });
  const handsPanel = el('section', {
    className: 'panel hands',
    attrs: { id: 'hands-panel', 'aria-labelledby': 'hands-heading' },
    children: [handsHeading, handsList, el('p', { className: 'empty', text: 'No hands raised.' })],
  });

  /** @param {string} text */
  const announce = (text) => {
    if (options.announce) { options.announce(text); return; }
    fallbackAnnouncer.textContent = '';
    setTimeout(() => { fallbackAnnouncer.textContent = text; }, 50);
  };

  /**
   * Sends msg, or says it could not be sent.
   * @param {WireMessage} msg
   * @returns {boolean}
   */
  const trySend = (msg) => {
    if (send(msg) === false) {
      setStatus(status, notConnected, 'error');
      if (!opened) announce(notConnected);
      return false;
    }
    return true;
  };

  /** @param {string} id */
  const nameOf = (id) => people.get(id)?.name ?? 'Someone';

  // ---- Messages ----

  /**
   * @param {ChatMessage} m
   * @returns {HTMLLIElement}
   */
  const messageItem = (m) => {
    const mine = m.from === me;
    const name = m.from_name || nameOf(m.from);
    const meta = el('p', { className: 'chat-meta', children: [
      el('span', { className: 'chat-from', text: mine ? `${name} (you)` : name }),
      m.from_role && isHostRole(m.from_role) ? el('span', { className: 'badge', text: roleName(m.from_role), attrs: { 'data-role': m.from_role } }) : null,
      audienceLabel(m) ? el('span', { className: 'chat-to', text: audienceLabel(m) }) : null,
      el('time', { className: 'chat-time', text: formatTime(m.at), attrs: { datetime: m.at } }),
    ] });
    const body = el('p', { className: 'chat-text', children: renderText(m.text, m.links, rules.chat_links === 'clickable') });
    const li = el('li', {
      className: 'chat-message',
      attrs: { 'data-message': String(m.id), 'data-audience': m.to, 'data-mine': String(mine) },
      children: [meta, body],
    });
    if (isHost) li.append(hostControls(m));
    return li;
  };

  /**
   * "to hosts", "direct to Sam — visible to hosts", or '' for everyone.
   * @param {ChatMessage} m
   */
  const audienceLabel = (m) => {
    if (m.to === 'hosts') return 'to hosts';
    if (m.to !== 'direct') return '';
    const who = m.to_participant === me ? 'you' : (m.to_name || 'someone');
    return `direct to ${who} \u2014 visible to hosts`;
  };

  /** @param {ChatMessage} m */
  const hostControls = (m) => {
    const del = button('Delete', { label: `Delete message from ${m.from_name}` });
    del.dataset['action'] = 'delete';
    del.addEventListener('click', () => {
      if (trySend({ type: 'chat_delete', message: m.id })) del.disabled = true;
    });
    const buttons = [del];
    if (m.from !== me && m.from_role !== 'host') {
      const stopped = blocked.has(m.from);
      const text = stopped ? 'Allow posting' : 'Stop posting';
      const b = button(text, { label: `${text}: ${m.from_name}` });
      b.dataset['action'] = 'block';
      b.addEventListener('click', () => {
        if (trySend({ type: 'chat_block', participant: m.from, blocked: !stopped })) b.disabled = true;
      });
      buttons.push(b);
    }
    return el('div', { className: 'chat-actions', attrs: { role: 'group', 'aria-label': `Host controls for this message from ${m.from_name}` }, children: buttons });
  };

  const nearBottom = () => list.scrollHeight - list.scrollTop - list.clientHeight < 48;
  const scrollDown = () => { list.scrollTop = list.scrollHeight; };

  /** Redraws every message, keeping keyboard focus on the same control. */
  const renderAll = () => {
    const active = document.activeElement;
    const key = active instanceof HTMLElement && list.contains(active)
      ? [active.closest('[data-message]')?.getAttribute('data-message') ?? '', active.dataset['action'] ?? '']
      : null;
    const atBottom = nearBottom();
    clear(list);
    for (const m of messages) list.append(messageItem(m));
    renderEmpty();
    if (atBottom) scrollDown();
    if (key) {
      const row = list.querySelector(`[data-message="${CSS.escape(key[0] ?? '')}"]`);
      const target = row?.querySelector(`button[data-action="${CSS.escape(key[1] ?? '')}"]`) ?? row?.querySelector('button');
      if (target instanceof HTMLElement) target.focus(); else list.focus();
    }
  };

  const renderEmpty = () => {
    list.dataset['empty'] = String(messages.length === 0);
    empty.hidden = messages.length > 0;
  };

  /** @param {ChatMessage} m */
  const addMessage = (m) => {
    const i = messages.findIndex((x) => x.id === m.id);
    if (i >= 0) { messages[i] = m; renderAll(); return; }
    const atBottom = nearBottom();
    messages.push(m);
    list.append(messageItem(m));
    while (messages.length > maxShown) {
      messages.shift();
      list.firstElementChild?.remove();
    }
    renderEmpty();
    if (atBottom || m.from === me) scrollDown();
    if (!opened && m.from !== me) {
      unread++;
      renderButton();
    }
  };

  /** @param {number} id */
  const removeMessage = (id) => {
    messages = messages.filter((m) => m.id !== id);
    const focusWasIn = document.activeElement instanceof Node && list.contains(document.activeElement);
    list.querySelector(`[data-message="${id}"]`)?.remove();
    if (focusWasIn && !list.contains(document.activeElement)) list.focus();
    renderEmpty();
  };

  const renderButton = () => {
    chatButton.setAttribute('aria-expanded', String(opened));
    unreadBadge.textContent = unread > 0 ? String(unread) : '';
    unreadBadge.hidden = unread === 0;
    const label = opened ? 'Close chat' : 'Open chat';
    chatButton.setAttribute('aria-label', unread > 0 ? `${label}, ${unread} unread ${unread === 1 ? 'message' : 'messages'}` : label);
  };

  // ---- Composer ----

  const directAllowed = () => rules.direct_messages === 'observed';

  /** Rebuilds the "To" choices, keeping the choice if it is still allowed. */
  const renderRecipients = () => {
    const before = to.value || 'everyone';
    clear(to);
    to.append(new Option('Everyone', 'everyone'), new Option('Hosts and co-hosts', 'hosts'));
    if (directAllowed()) {
      const others = [...people.values()].filter((p) => p.id !== me).sort((a, b) => a.name.localeCompare(b.name));
      for (const p of others) to.append(new Option(`${p.name} (hosts can see)`, p.id));
    }
    const still = [...to.options].some((o) => o.value === before);
    // A direct recipient who left, or direct messages turned off: fall back to the
    // hosts, who could see the message anyway, never to everyone.
    to.value = still ? before : 'hosts';
    if (!still) setStatus(status, 'That person can no longer get direct messages. Your next message will go to the hosts.', 'info');
    renderToHint();
  };

  const renderToHint = () => {
    const v = to.value;
    toHint.textContent = v === 'everyone' ? 'Everyone in the meeting will see it.'
      : v === 'hosts' ? 'Only the hosts and co-hosts will see it.'
        : `Only ${nameOf(v)} and the hosts and co-hosts will see it.`;
  };

  const renderCounter = () => {
    const n = length(input.value);
    const left = maxLength - n;
    counter.hidden = n < counterFrom;
    const count = (/** @type {number} */ k) => `${k} ${k === 1 ? 'character' : 'characters'}`;
    counter.textContent = counter.hidden ? '' : left >= 0 ? `${count(left)} left` : `${count(-left)} too many`;
    counter.dataset['kind'] = left >= 0 ? 'info' : 'error';
  };

  const renderBlocked = () => {
    const stopped = blocked.has(me);
    blockedNotice.hidden = !stopped;
    input.disabled = stopped;
    sendButton.disabled = stopped;
    to.disabled = stopped;
  };

  const submit = () => {
    const text = input.value;
    const n = length(text);
    if (n === 0) return;
    if (n > maxLength) {
      setStatus(status, `That message is too long. Messages can be up to ${maxLength.toLocaleString()} characters.`, 'error');
      return;
    }
    if (!trySend({ type: 'chat_send', to: to.value || 'everyone', text })) return;
    lastDraft = text;
    input.value = '';
    setStatus(status, '');
    renderCounter();
  };

  form.addEventListener('submit', (event) => { event.preventDefault(); submit(); });
  input.addEventListener('keydown', (event) => {
    if (event.key !== 'Enter' || event.shiftKey || event.isComposing || event.altKey || event.ctrlKey || event.metaKey) return;
    event.preventDefault();
    submit();
  });
  input.addEventListener('input', renderCounter);
  to.addEventListener('change', renderToHint);
  clearButton.addEventListener('click', () => {
    if (!window.confirm('Clear the chat for everyone? The messages cannot be brought back.')) return;
    if (trySend({ type: 'chat_clear' })) clearButton.disabled = true;
  });
  panel.addEventListener('keydown', (event) => {
    if (event.key === 'Escape' && opened) { event.preventDefault(); close(); chatButton.focus(); }
  });
  chatButton.addEventListener('click', () => { if (opened) close(); else open(); });

  // ---- Reactions and hands ----

  /** @param {string} id */
  function react(id) {
    const now = Date.now();
    if (now - lastReaction < 1000) return; // one a second is plenty; the server limits too
    if (trySend({ type: 'react', reaction: id })) lastReaction = now;
  }

  handButton.addEventListener('click', () => {
    if (!trySend({ type: 'hand', raised: !hands.includes(me) })) return;
    // Until the server's hands message (or error); in case neither comes, not for long.
    handButton.disabled = true;
    setTimeout(() => { handButton.disabled = false; }, 3000);
  });

  /** @param {string[]} queue */
  const setHands = (queue) => {
    const before = hands;
    hands = queue;
    const first = !handsKnown;
    handsKnown = true;
    if (first) { renderHands(); return; } // the queue as we entered: nothing to announce
    if (isHost) {
      for (const id of queue) if (!before.includes(id) && id !== me) announce(`${nameOf(id)} raised their hand.`);
    }
    if (before.includes(me) && !queue.includes(me)) announce('Your hand is lowered.');
    renderHands();
  };

  const renderHands = () => {
    const raised = hands.includes(me);
    handButton.disabled = false;
    handButton.textContent = raised ? 'Lower hand' : 'Raise hand';
    handButton.setAttribute('aria-pressed', String(raised));
    const focused = document.activeElement instanceof HTMLElement && handsList.contains(document.activeElement);
    clear(handsList);
    for (const id of hands) {
      const self = id === me;
      const name = nameOf(id);
      const li = el('li', { className: 'hand', attrs: { 'data-participant': id }, children: [
        el('span', { className: 'person-name', text: self ? `${name} (you)` : name }),
      ] });
      if (isHost || self) {
        const lower = button('Lower', { label: `Lower hand: ${name}` });
        lower.addEventListener('click', () => {
          const ok = self ? trySend({ type: 'hand', raised: false }) : trySend({ type: 'lower_hand', participant: id });
          if (ok) lower.disabled = true;
        });
        li.append(lower);
      }
      handsList.append(li);
    }
    handsHeading.textContent = `Raised hands (${hands.length})`;
    handsList.dataset['empty'] = String(hands.length === 0);
    handsPanel.dataset['count'] = String(hands.length);
    if (focused && !handsList.contains(document.activeElement)) handsHeading.focus();
  };

  // ---- Server messages ----

  /** @type {ReadonlySet<string>} */
  const chatRefs = new Set(['chat_send', 'chat_delete', 'chat_block', 'chat_clear']);
  /** @type {ReadonlySet<string>} */
  const handRefs = new Set(['react', 'hand', 'lower_hand']);

  /**
   * @param {{ type: string } & Record<string, unknown>} msg
   * @returns {boolean}
   */
  function handle(msg) {
    switch (msg.type) {
      case 'chat': {
        const m = parseMessage(msg['message']);
        if (m) addMessage(m);
        return true;
      }
      case 'chat_history': {
        const raw = Array.isArray(msg['messages']) ? msg['messages'] : [];
        messages = raw.map(parseMessage).filter((m) => m !== null).slice(-maxShown);
        if (Array.isArray(msg['blocked'])) {
          blocked = new Set(msg['blocked'].filter((id) => typeof id === 'string'));
          renderBlocked();
        }
        renderAll();
        scrollDown();
        return true;
      }
      case 'chat_deleted':
        if (typeof msg['message'] === 'number') removeMessage(msg['message']);
        return true;
      case 'chat_cleared':
        messages = [];
        renderAll();
        clearButton.disabled = false;
        setStatus(status, 'The host cleared the chat.', 'info');
        return true;
      case 'chat_blocked': {
        const id = str(msg['participant']);
        const on = msg['blocked'] === true;
        if (on) blocked.add(id); else blocked.delete(id);
        if (id === me) {
          renderBlocked();
          announce(on ? 'The host has stopped you from sending chat messages.' : 'The host allows you to send chat messages again.');
        }
        if (isHost) renderAll();
        return true;
      }
      case 'reaction': {
        const who = str(msg['participant']);
        const r = str(msg['reaction']);
        if (reactionInfo(r)) options.onReaction?.(who, r);
        return true;
      }
      case 'hands':
        setHands(Array.isArray(msg['queue']) ? msg['queue'].filter((id) => typeof id === 'string') : []);
        return true;
      case 'room': {
        const r = msg['rules'];
        if (typeof r === 'object' && r !== null) setRules(/** @type {ChatRules} */ (r));
        return false; // the room reads it too
      }
      case 'error':
        return error(str(msg['ref']), str(msg['code']), str(msg['message']));
      default:
        return false;
    }
  }

  /**
   * @param {string} ref
   * @param {string} code
   * @param {string} text The server's sentence.
   * @returns {boolean}
   */
  function error(ref, code, text) {
    if (handRefs.has(ref)) {
      renderHands(); // enables the buttons again; the room shows the sentence
      return false;
    }
    if (!chatRefs.has(ref)) return false;
    setStatus(status, text || 'That message was not sent.', 'error');
    if (ref === 'chat_send') {
      if (code === 'chat_blocked' && !blocked.has(me)) { blocked.add(me); renderBlocked(); }
      if (input.value === '' && lastDraft) { input.value = lastDraft; renderCounter(); }
    } else {
      clearButton.disabled = false;
      renderAll(); // enables the message controls again
    }
    if (!opened) announce(text);
    return true;
  }

  // ---- Settings ----

  /** @param {ChatRules} next */
  function setRules(next) {
    const linksChanged = next.chat_links !== rules.chat_links;
    const directChanged = next.direct_messages !== rules.direct_messages;
    rules = { ...next };
    if (linksChanged) renderAll();
    if (directChanged) renderRecipients();
  }

  function open() {
    opened = true;
    panel.hidden = false;
    unread = 0;
    renderButton();
    scrollDown();
    if (!input.disabled) input.focus(); else heading.focus();
  }

  function close() {
    opened = false;
    panel.hidden = true;
    renderButton();
  }

  panel.hidden = true;
  renderButton();
  renderRecipients();
  setStatus(status, '');
  renderCounter();
  renderBlocked();
  renderAll();
  renderHands();
  clearButton.hidden = !isHost;

  return {
    chatButton, reactionBar, handButton, handsPanel, handle, setRules, open, close,
    isOpen: () => opened,
    setParticipants(list) {
      people = new Map(list.map((p) => [p.id, p]));
      renderRecipients();
      renderHands();
    },
    setIsHost(host) {
      if (host === isHost) return;
      isHost = host;
      clearButton.hidden = !host;
      renderAll();
      renderHands();
    },
    setMe(id) {
      if (id === me) return;
      me = id;
      renderRecipients();
      renderBlocked();
      renderAll();
      renderHands();
    },
    reset() {
      messages = [];
      blocked = new Set();
      hands = [];
      handsKnown = false;
      unread = 0;
      lastDraft = '';
      setStatus(status, '');
      renderAll();
      renderBlocked();
      renderHands();
      renderButton();
    },
  };
}
