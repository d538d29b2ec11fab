// The room's chat panel, composed with the reactions bar (reactions.js) and the
// raised hands (hands.js), which share its connection, names and announcements.
// Message text is shown only with text nodes (chat-message.js). The server
// decides who sees what and who may post; this module shows and asks.

import { el, button, clear, setStatus } from './dom.js';
import { parseMessage, messageView } from './chat-message.js';
import { createReactionBar, reactionInfo } from './reactions.js';
import { createHands } from './hands.js';

export { renderText } from './chat-message.js';
export { reactions, reactionInfo, flashReaction } from './reactions.js';

/** @typedef {import('./chat-message.js').ChatAudience} ChatAudience */
/** @typedef {import('./chat-message.js').ChatLink} ChatLink */
/** @typedef {import('./chat-message.js').ChatMessage} ChatMessage */

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
  let unread = 0;
  let opened = false;
  let lastDraft = '';

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
  const fallbackAnnouncer = el('span', { className: 'visually-hidden', attrs: { 'aria-live': 'polite' } });

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

  const hands = createHands({ trySend, announce, nameOf, me: () => me, isHost: () => isHost });
  const reactionBar = createReactionBar(trySend, hands.button, fallbackAnnouncer);

  // ---- Messages ----

  /** @param {ChatMessage} m */
  const messageItem = (m) => messageView(m, { me, isHost, clickable: rules.chat_links === 'clickable', blocked, nameOf, trySend });

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
        hands.set(Array.isArray(msg['queue']) ? msg['queue'].filter((id) => typeof id === 'string') : []);
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
      hands.render(); // enables the buttons again; the room shows the sentence
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
  hands.render();
  clearButton.hidden = !isHost;

  return {
    chatButton, reactionBar, handButton: hands.button, handsPanel: hands.panel, handle, setRules, open, close,
    isOpen: () => opened,
    setParticipants(list) {
      people = new Map(list.map((p) => [p.id, p]));
      renderRecipients();
      hands.render();
    },
    setIsHost(host) {
      if (host === isHost) return;
      isHost = host;
      clearButton.hidden = !host;
      renderAll();
      hands.render();
    },
    setMe(id) {
      if (id === me) return;
      me = id;
      renderRecipients();
      renderBlocked();
      renderAll();
      hands.render();
    },
    reset() {
      messages = [];
      blocked = new Set();
      hands.reset();
      unread = 0;
      lastDraft = '';
      setStatus(status, '');
      renderAll();
      renderBlocked();
      hands.render();
      renderButton();
    },
  };
}
