// Raised hands: the raise-hand toggle and the queue of raised hands, first raised
// first. Everyone can lower their own hand; hosts and co-hosts anyone's. The
// server keeps the queue; this module shows it and asks.

import { el, button, clear } from './dom.js';

/** @typedef {import('./chat.js').WireMessage} WireMessage */

/**
 * @typedef {Object} HandsOptions
 * @property {(msg: WireMessage) => boolean} trySend Sends msg, or says it could not be sent.
 * @property {(text: string) => void} announce Says something to screen reader users.
 * @property {(id: string) => string} nameOf A participant's name.
 * @property {() => string} me Our participant ID now.
 * @property {() => boolean} isHost Whether we are a host or co-host now.
 */

/**
 * @typedef {Object} Hands
 * @property {HTMLButtonElement} button The raise-hand toggle.
 * @property {HTMLElement} panel The queue of raised hands.
 * @property {(queue: string[]) => void} set Takes the server's queue and shows it.
 * @property {() => void} render Shows the queue again (and enables the buttons).
 * @property {() => void} reset Forgets the queue; render shows the change.
 */

/**
 * Builds the raise-hand toggle and the hands panel.
 * @param {HandsOptions} options
 * @returns {Hands}
 */
export function createHands(options) {
  const { trySend, announce, nameOf } = options;
  /** @type {string[]} */
  let hands = [];
  let handsKnown = false;

  const handButton = button('Raise hand', { className: 'control hand-button' });
  handButton.setAttribute('aria-pressed', 'false');
  const handsHeading = el('h2', { text: 'Raised hands (0)', attrs: { id: 'hands-heading', tabindex: '-1' } });
  const handsList = el('ol', { className: 'panel-list hands-list', attrs: { 'data-empty': 'true' } });
  const handsPanel = el('section', {
    className: 'panel hands',
    attrs: { id: 'hands-panel', 'aria-labelledby': 'hands-heading' },
    children: [handsHeading, handsList, el('p', { className: 'empty', text: 'No hands raised.' })],
  });

  handButton.addEventListener('click', () => {
    if (!trySend({ type: 'hand', raised: !hands.includes(options.me()) })) return;
    // Until the server's hands message (or error); in case neither comes, not for long.
    handButton.disabled = true;
    setTimeout(() => { handButton.disabled = false; }, 3000);
  });

  /** @param {string[]} queue */
  const setHands = (queue) => {
    const me = options.me();
    const before = hands;
    hands = queue;
    const first = !handsKnown;
    handsKnown = true;
    if (first) { renderHands(); return; } // the queue as we entered: nothing to announce
    if (options.isHost()) {
      for (const id of queue) if (!before.includes(id) && id !== me) announce(`${nameOf(id)} raised their hand.`);
    }
    if (before.includes(me) && !queue.includes(me)) announce('Your hand is lowered.');
    renderHands();
  };

  const renderHands = () => {
    const me = options.me();
    const isHost = options.isHost();
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

  return {
    button: handButton,
    panel: handsPanel,
    set: setHands,
    render: renderHands,
    reset() {
      hands = [];
      handsKnown = false;
    },
  };
}
