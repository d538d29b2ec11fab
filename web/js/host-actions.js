// The host's per-person controls in the participants panel: stop a person's
// microphone (letting them unmute themselves, or not), stop their camera, allow
// either again or ask them to turn it back on, stop their screen share, send them
// back to the waiting room, remove them, and (host only) make or unmake them a
// co-host, and flag a safeguarding concern about them. The server decides what
// is allowed; these buttons only ask.

import { el, button } from './dom.js';
import { isHostRole } from './roles.js';
import { askConcern } from './concern-dialog.js';

/** @typedef {import('./protocol-types.js').Person} Person */
/** @typedef {import('./protocol-types.js').Role} Role */
/** @typedef {import('./protocol-types.js').MediaKind} MediaKind */

/**
 * @typedef {Object} HostActions What the buttons ask for; each returns false if it
 * could not be sent.
 * @property {(id: string, kind: MediaKind, muted: boolean, hold: boolean) => boolean} mute
 *   hold: "mute and don't allow unmuting".
 * @property {(id: string, kind: MediaKind) => boolean} askUnmute
 * @property {(id: string) => boolean} stopShare
 * @property {(id: string) => boolean} sendBack
 * @property {(id: string) => boolean} remove
 * @property {(id: string, on: boolean) => boolean} cohost
 * @property {(id: string, note: string) => boolean} concern Flags a safeguarding concern about them.
 * @property {(text: string) => void} notSent Says that a request could not be sent.
 */

/**
 * Whether someone with role viewer gets controls for person.
 * @param {Role | ''} viewer Our own role ('' before we know it).
 * @param {Person} person
 * @param {boolean} self Whether person is us.
 * @returns {boolean}
 */
export function hasHostActions(viewer, person, self) {
  return !self && isHostRole(viewer) && person.role !== 'host';
}

/**
 * Builds one person's host controls. Each button carries data-action, so the panel
 * can put keyboard focus back on it after redrawing.
 * @param {Role} viewer
 * @param {Person} person
 * @param {HostActions} actions
 * @returns {HTMLElement}
 */
export function buildHostActions(viewer, person, actions) {
  const name = person.name;
  /** @type {HTMLButtonElement[]} */
  const buttons = [];
  /**
   * @param {string} action data-action, stable across redraws.
   * @param {string} text
   * @param {string} label Accessible name; starts with the visible text.
   * @param {() => boolean} send
   * @param {string} [className]
   * @param {string} [confirmText] Asked before sending.
   */
  const add = (action, text, label, send, className = '', confirmText = '') => {
    const b = button(text, { className: `host-action ${className}`.trim(), label });
    b.dataset['action'] = action;
    b.addEventListener('click', () => {
      if (confirmText && !window.confirm(confirmText)) return;
      if (!send()) {
        actions.notSent('Not connected to the meeting. Please try again in a moment.');
        return;
      }
      // Redrawn (enabled again) when the server answers with an update or an error.
      b.disabled = true;
    });
    buttons.push(b);
  };

  const audioBlocked = person.audioBlocked === true;
  const videoBlocked = person.videoBlocked === true;
  if (audioBlocked) {
    add('audio', 'Allow mic', `Allow mic: ${name}`, () => actions.mute(person.id, 'audio', false, false));
    add('ask-audio', 'Ask to unmute', `Ask to unmute: ${name}`, () => actions.askUnmute(person.id, 'audio'));
  } else {
    add('audio', 'Mute mic', `Mute mic: ${name}`, () => actions.mute(person.id, 'audio', true, false));
    add('audio-hold', 'Mute and don\u2019t allow unmuting', `Mute and don\u2019t allow unmuting: ${name}`,
      () => actions.mute(person.id, 'audio', true, true));
    if (!person.audio) add('ask-audio', 'Ask to unmute', `Ask to unmute: ${name}`, () => actions.askUnmute(person.id, 'audio'));
  }
  if (videoBlocked) {
    add('video', 'Allow camera', `Allow camera: ${name}`, () => actions.mute(person.id, 'video', false, false));
    add('ask-video', 'Ask to turn camera on', `Ask to turn camera on: ${name}`, () => actions.askUnmute(person.id, 'video'));
  } else {
    add('video', 'Stop camera', `Stop camera: ${name}`, () => actions.mute(person.id, 'video', true, false));
  }
  if (person.screen === true) {
    add('stop-share', 'Stop screen share', `Stop screen share: ${name}`, () => actions.stopShare(person.id));
  }
  if (viewer === 'host') {
    const cohost = person.role === 'co-host';
    const text = cohost ? 'Remove co-host' : 'Make co-host';
    add('cohost', text, `${text}: ${name}`, () => actions.cohost(person.id, !cohost));
  }
  add('send-back', 'Send to waiting room', `Send to waiting room: ${name}`, () => actions.sendBack(person.id));
  add('remove', 'Remove', `Remove ${name}`, () => actions.remove(person.id), 'danger',
    `Remove ${name}? They will not be able to rejoin with their link.`);
  const concern = button('Flag concern', { className: 'host-action', label: `Flag a safeguarding concern about ${name}` });
  concern.dataset['action'] = 'concern';
  concern.addEventListener('click', async () => {
    const note = await askConcern(name);
    if (note !== null && !actions.concern(person.id, note)) actions.notSent('Not connected to the meeting. Please try again in a moment.');
  });
  buttons.push(concern);

  return el('div', {
    className: 'host-actions',
    attrs: { role: 'group', 'aria-label': `Host controls for ${name}` },
    children: buttons,
  });
}
