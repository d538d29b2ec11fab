// The meeting-wide buttons: end the meeting and suspend all activities (host
// only), lock or unlock it and mute everyone (host or co-host), and the "Meeting
// locked" sign everyone sees. The server decides; these buttons ask and show
// what it says.

import { button, setStatus } from './dom.js';
import { isHostRole } from './roles.js';
import { announce } from './room-view.js';
import { askConcern } from './concern-dialog.js';

/** @typedef {import('./protocol.js').Connection} Connection */
/** @typedef {import('./room-view.js').RoomView} RoomView */

const notConnected = 'Not connected to the meeting. Please try again in a moment.';

export class MeetingControls {
  /**
   * @param {RoomView} view
   * @param {Connection} conn
   */
  constructor(view, conn) {
    /** @private @readonly */
    this.view = view;
    /** @private @readonly */
    this.conn = conn;
    /** @private Whether the meeting is locked, as the server last said. */
    this.locked = false;
    /** @private @readonly Host or co-host: a safeguarding concern about the meeting as a whole. */
    this.concern = button('Flag concern', { className: 'control host-only', label: 'Flag a safeguarding concern about the meeting' });
    this.concern.hidden = true;
    view.suspend.after(this.concern);
    this.bind();
  }

  /** @private */
  bind() {
    const v = this.view;
    v.end.addEventListener('click', () => {
      if (!window.confirm('End the meeting for everyone? Everyone, including you, will leave the room.')) return;
      if (!this.conn.end()) setStatus(v.status, notConnected, 'error');
    });
    v.lock.addEventListener('click', () => {
      if (!this.conn.lock(!this.locked)) {
        setStatus(v.status, notConnected, 'error');
        return;
      }
      v.lock.disabled = true; // until the server says the new state (or refuses)
    });
    v.muteAll.addEventListener('click', () => {
      if (!this.conn.mute('audio', true)) {
        setStatus(v.status, notConnected, 'error');
      }
    });
    this.concern.addEventListener('click', async () => {
      const note = await askConcern('the meeting');
      if (note !== null && !this.conn.concern('', note)) setStatus(v.status, notConnected, 'error');
    });
    v.suspend.addEventListener('click', () => {
      if (!window.confirm('Suspend all activities? Everyone else\u2019s microphone and camera stop and the meeting locks. You can then allow people one by one.')) return;
      if (!this.conn.suspend()) setStatus(v.status, notConnected, 'error');
    });
  }

  /**
   * Shows the buttons our role may use.
   * @param {string} role
   */
  setRole(role) {
    const v = this.view;
    const host = isHostRole(role);
    v.lock.hidden = !host;
    v.muteAll.hidden = !host;
    this.concern.hidden = !host;
    // Only the host ends or suspends the meeting for everyone; co-hosts manage it.
    v.end.hidden = role !== 'host';
    v.suspend.hidden = role !== 'host';
  }

  /** The server refused to lock or unlock: the button works again. */
  lockRefused() {
    this.view.lock.disabled = false;
  }

  /**
   * Shows whether the meeting is locked.
   * @param {boolean} locked
   * @param {boolean} [quiet] Do not announce the change.
   */
  setLocked(locked, quiet = false) {
    const changed = locked !== this.locked;
    this.locked = locked;
    const v = this.view;
    v.locked.hidden = !locked;
    v.lock.disabled = false;
    v.lock.setAttribute('aria-pressed', String(locked));
    v.lock.textContent = locked ? 'Unlock meeting' : 'Lock meeting';
    v.lock.setAttribute('aria-label', v.lock.textContent);
    if (changed && !quiet) {
      announce(v, locked ? 'The meeting is locked. No one new can join.' : 'The meeting is unlocked.');
    }
  }
}
