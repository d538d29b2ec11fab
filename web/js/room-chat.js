// The room's chat, reactions and raised hands, wired to the signalling
// connection: what they send goes out through the Connection's own methods, and
// the chat's server messages come in to them.

import { chatServerTypes } from './protocol.js';
import { createChat } from './chat.js';
import { flashReaction } from './reactions.js';
import { announce } from './room-view.js';

/** @typedef {import('./protocol.js').Connection} Connection */
/** @typedef {import('./room-view.js').RoomView} RoomView */
/** @typedef {import('./chat.js').WireMessage} WireMessage */
/** @typedef {import('./chat.js').Chat} Chat */

/**
 * How the chat's messages go out: each through the Connection's own method, so
 * protocol.js stays the one place that builds wire messages.
 * @type {Record<string, (conn: Connection, msg: WireMessage) => boolean>}
 */
const chatSenders = {
  chat_send: (c, m) => c.chatSend(String(m['to'] ?? 'everyone'), String(m['text'] ?? '')),
  chat_delete: (c, m) => c.chatDelete(Number(m['message'])),
  chat_clear: (c) => c.chatClear(),
  chat_block: (c, m) => c.chatBlock(String(m['participant'] ?? ''), m['blocked'] === true),
  react: (c, m) => c.react(String(m['reaction'] ?? '')),
  hand: (c, m) => c.hand(m['raised'] === true),
  lower_hand: (c, m) => c.lowerHand(String(m['participant'] ?? '')),
};

/**
 * Builds the room's chat: the panel in view.chatRoot, the chat button and the
 * reactions bar before the leave button, the hands panel before the chat. It
 * hears the chat's server messages from conn; the room passes it the room and
 * error messages, and tells it who is in the meeting.
 * @param {Connection} conn
 * @param {RoomView} view
 * @param {(participant: string) => HTMLElement | undefined} tile A participant's tile, where their reactions show.
 * @returns {Chat}
 */
export function createRoomChat(conn, view, tile) {
  const chat = createChat({
    root: view.chatRoot,
    send: (msg) => {
      const sender = chatSenders[msg.type];
      return sender ? sender(conn, msg) : false;
    },
    onReaction: (participant, reaction) => {
      const target = tile(participant);
      if (target) flashReaction(target, reaction);
    },
    announce: (text) => announce(view, text),
  });
  view.leave.before(chat.chatButton, chat.reactionBar);
  view.chatRoot.before(chat.handsPanel);
  for (const type of chatServerTypes) conn.on(type, (msg) => { chat.handle(msg); });
  return chat;
}
