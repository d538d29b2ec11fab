// Reactions: the bar of reaction buttons, and a reaction's brief flash over
// someone's tile. The server checks each reaction and limits how often it is sent.

import { el, button } from './dom.js';

/** @typedef {import('./chat.js').WireMessage} WireMessage */

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
 * The reactions bar: a button for each reaction, then extra (for the room, the
 * raise-hand toggle and an announcer). A click sends a react message with
 * trySend, at most one a second.
 * @param {(msg: WireMessage) => boolean} trySend Sends msg, or says it could not be sent.
 * @param {Node[]} extra
 * @returns {HTMLElement}
 */
export function createReactionBar(trySend, ...extra) {
  let lastReaction = 0;

  /** @param {string} id */
  function react(id) {
    const now = Date.now();
    if (now - lastReaction < 1000) return; // one a second is plenty; the server limits too
    if (trySend({ type: 'react', reaction: id })) lastReaction = now;
  }

  return el('div', {
    className: 'reactions',
    attrs: { role: 'group', 'aria-label': 'Reactions and raise hand' },
    children: [
      ...reactions.map((r) => {
        const b = button(r.emoji, { className: 'reaction', label: `React: ${r.label}`, onClick: () => react(r.id) });
        b.title = r.label;
        return b;
      }),
      ...extra,
    ],
  });
}
