// The room: wires the signalling connection, the peer connections and the UI
// pieces together. Used by the host's room page and the guest's join page.

import { Connection } from './protocol.js';
import { MediaSession } from './media.js';
import { stopStream } from './devices.js';
import { setStatus } from './dom.js';
import { isHostRole, roleName, extraLabel } from './roles.js';
import { SpeakingMeter } from './speaking.js';
import { TileGrid, playVideo } from './tiles.js';
import { ParticipantsPanel } from './participants.js';
import { WaitingPanel } from './waiting.js';
import { MediaToggles } from './controls.js';
import { exposeDebugHook } from './debug.js';
import { buildRoomView, showScreen, announce, addNotice } from './room-view.js';

/** @typedef {import('./protocol.js').HelloInit} HelloInit */
/** @typedef {import('./protocol.js').WelcomeMessage} WelcomeMessage */
/** @typedef {import('./protocol.js').Person} Person */
/** @typedef {import('./room-view.js').RoomView} RoomView */

/**
 * @typedef {Object} RoomOptions
 * @property {HTMLElement} root Where the room is drawn.
 * @property {HelloInit} hello Who we are: an invitation token, or a meeting ID for staff.
 * @property {MediaStream} stream Our camera and microphone (possibly without tracks).
 * @property {string} rejoinHref Where "Rejoin" goes after leaving.
 */

export class Room {
  /** @param {RoomOptions} options */
  constructor(options) {
    /** @private @readonly */
    this.options = options;
    /** @private @readonly */
    this.stream = options.stream;
    /** @private @readonly @type {RoomView} */
    this.view = buildRoomView(options.root);
    /** @private @readonly */
    this.conn = new Connection(options.hello);
    /** @private @readonly */
    this.meter = new SpeakingMeter();
    /** @private @readonly */
    this.tiles = new TileGrid(this.view.tiles, this.meter, () => { this.view.sound.hidden = false; });
    /** @private @readonly */
    this.people = new ParticipantsPanel(this.view.participantsList, this.view.participantsHeading, {
      mute: (id, kind, muted) => this.conn.mute(kind, muted, id),
      sendBack: (id) => this.conn.sendBack(id),
      remove: (id) => this.conn.remove(id),
      cohost: (id, on) => this.conn.cohost(id, on),
      notSent: (text) => setStatus(this.view.status, text, 'error'),
    });
    /** @private @readonly */
    this.waiting = new WaitingPanel(this.view.waitingPanel, this.view.waitingList, this.view.waitingHeading, this.view.admitAll, {
      admit: (id) => this.conn.admit(id),
      deny: (id) => this.conn.deny(id),
      admitAll: () => this.conn.admitAll(),
      announce: (text) => announce(this.view, text),
    });
    /** @private @readonly */
    this.toggles = new MediaToggles(this.view.mic, this.view.camera, this.stream, (state) => {
      this.conn.media(state.audio, state.video);
      this.updateSelf({ audio: state.audio, video: state.video });
    });
    /** @private @readonly */
    this.media = new MediaSession(this.conn, {
      onTrack: (participant, stream, track) => this.tiles.attach(participant, stream, track),
      onConnectionState: (target, state) => this.connectionState(target, state),
      onError: (message) => setStatus(this.view.status, message, 'error'),
    });
    this.media.setLocalStream(this.stream);
    /** @private @type {Person | null} */
    this.me = null;
    /** @private */
    this.admitted = false;
    /** @private */
    this.finished = false;
    /** @private */
    this.reconnecting = false;
    /** @private Whether the meeting is locked, as the server last said. */
    this.locked = false;
    exposeDebugHook(this.media);
    this.bindControls();
    this.bindConnection();
  }

  /** Connects to the meeting. */
  start() {
    showScreen(this.view, 'connecting');
    setStatus(this.view.status, 'Connecting to the meeting\u2026');
    this.conn.connect();
  }

  /**
   * Shows a message in the room's status area.
   * @param {string} message
   */
  say(message) {
    setStatus(this.view.status, message, 'error');
  }

  /** @private */
  bindControls() {
    const v = this.view;
    v.leave.addEventListener('click', () => this.leave());
    v.waitingLeave.addEventListener('click', () => this.leave());
    v.end.addEventListener('click', () => {
      if (!window.confirm('End the meeting for everyone? Everyone, including you, will leave the room.')) return;
      if (!this.conn.end()) setStatus(v.status, 'Not connected to the meeting. Please try again in a moment.', 'error');
    });
    v.lock.addEventListener('click', () => {
      if (!this.conn.lock(!this.locked)) {
        setStatus(v.status, 'Not connected to the meeting. Please try again in a moment.', 'error');
        return;
      }
      v.lock.disabled = true; // until the server says the new state (or refuses)
    });
    v.muteAll.addEventListener('click', () => {
      if (!this.conn.mute('audio', true)) {
        setStatus(v.status, 'Not connected to the meeting. Please try again in a moment.', 'error');
      }
    });
    v.suspend.addEventListener('click', () => {
      if (!window.confirm('Suspend all activities? Everyone else\u2019s microphone and camera stop and the meeting locks. You can then allow people one by one.')) return;
      if (!this.conn.suspend()) setStatus(v.status, 'Not connected to the meeting. Please try again in a moment.', 'error');
    });
    v.sound.addEventListener('click', () => {
      this.tiles.unblockSound();
      this.meter.resume();
      v.sound.hidden = true;
    });
    // Browsers start audio processing only after a click or key press.
    const resume = () => this.meter.resume();
    document.addEventListener('pointerdown', resume);
    document.addEventListener('keydown', resume);
  }

  /** @private */
  bindConnection() {
    const c = this.conn;
    c.on('welcome', (msg) => this.welcome(msg));
    c.on('admission', (msg) => {
      if (msg.admission === 'admitted') this.enter();
      else if (msg.admission === 'waiting' && msg.code === 'sent_back') this.sentBack(msg.message ?? '');
      else if (msg.admission === 'waiting') this.wait();
      else this.finish(msg.admission === 'denied' ? 'You were not let in' : 'You were removed from the meeting',
        msg.message || (msg.admission === 'denied' ? 'The host did not let you into the meeting.' : ''), false);
    });
    c.on('roster', (msg) => this.roster(msg.participants ?? []));
    c.on('participant', (msg) => this.person(msg.participant));
    c.on('gone', (msg) => {
      const who = this.people.get(msg.participant);
      this.people.remove(msg.participant);
      this.tiles.remove(msg.participant);
      if (who) announce(this.view, `${who.name} left the meeting.`);
    });
    c.on('waiting', (msg) => this.waiting.set(msg.participants ?? []));
    c.on('offer', (msg) => { this.media.handleOffer(msg.sdp); });
    c.on('answer', (msg) => { this.media.handleAnswer(msg.sdp); });
    c.on('candidate', (msg) => { this.media.handleCandidate(msg.target, msg.candidate); });
    c.on('notice', (msg) => addNotice(this.view, msg.message));
    c.on('room', (msg) => this.setLocked(msg.locked === true));
    c.on('ended', (msg) => {
      if (msg.code === 'server_shutting_down') setStatus(this.view.status, msg.message, 'error');
      else this.finish('The meeting has ended', msg.message, false);
    });
    c.on('error', (msg) => {
      if (msg.ref === 'admit' || msg.ref === 'deny' || msg.ref === 'admit_all') this.waiting.enableAll();
      if (msg.ref === 'lock') this.view.lock.disabled = false;
      if (msg.ref === 'remove' || msg.ref === 'send_back' || msg.ref === 'mute' || msg.ref === 'cohost') this.people.refresh();
      setStatus(this.view.status, msg.message, 'error');
    });
    c.on('state', (ev) => {
      if (ev.state === 'reconnecting' && !this.finished) {
        this.reconnecting = true;
        setStatus(this.view.status, 'The connection was lost. Reconnecting\u2026', 'error');
      } else if (ev.state === 'open' && this.reconnecting) {
        this.reconnecting = false;
        setStatus(this.view.status, 'Reconnected.', 'ok');
      } else if (ev.state === 'closed' && !this.finished) {
        const reason = this.view.status.dataset['kind'] === 'error' ? this.view.status.textContent ?? '' : '';
        // Refused by the server (busy or invalid invitation, another window...):
        // rejoining would be refused too. Lost connection: offer it.
        const refused = Boolean(ev.code);
        const title = !this.me ? 'You could not join the meeting' : 'You are no longer connected';
        this.finish(title, reason || 'The connection to the meeting was closed.', !refused);
      }
    });
  }

  /**
   * The server said who we are. After a reconnection the server has forgotten our
   * peer connections, so they are recreated.
   * @private
   * @param {WelcomeMessage} msg
   */
  welcome(msg) {
    this.media.reset();
    this.tiles.clearRemote();
    this.admitted = false;
    this.me = {
      id: msg.participant, name: msg.name, roleLabel: msg.roleLabel, role: msg.role, ...this.toggles.state,
      audioBlocked: this.toggles.isBlocked('audio'), videoBlocked: this.toggles.isBlocked('video'),
    };
    this.view.title.textContent = msg.meeting;
    document.title = `${msg.meeting} \u2013 safemeet`;
    this.people.setLocalId(msg.participant);
    this.tiles.setLocal(this.me, this.stream);
    this.renderSelf();
    if (this.view.status.dataset['kind'] === 'info') setStatus(this.view.status, ''); // "Connecting…"
    if (msg.admission === 'admitted') this.enter();
    else if (msg.admission === 'waiting') this.wait();
  }

  /** @private Shows the waiting screen with our own preview only. */
  wait() {
    this.admitted = false;
    if (this.view.waitingPreview.srcObject !== this.stream) {
      this.view.waitingPreview.srcObject = this.stream;
      playVideo(this.view.waitingPreview, () => {});
    }
    showScreen(this.view, 'waiting');
  }

  /**
   * A host sent us back to the waiting room: drop both peer connections and
   * everyone else, keep the signalling connection. If we are let in again, enter()
   * starts media afresh, as the first time.
   * @private
   * @param {string} message The server's explanation.
   */
  sentBack(message) {
    this.media.reset();
    this.tiles.clearRemote();
    this.people.setAll([]);
    this.waiting.reset();
    this.setLocked(false, true);
    this.wait();
    setStatus(this.view.status, message || 'The host sent you back to the waiting room.', 'info');
  }

  /** @private We are in: show the room and start sending our camera and microphone. */
  enter() {
    if (this.admitted) return;
    const wasWaiting = this.view.root.dataset['screen'] === 'waiting';
    this.admitted = true;
    this.view.waitingPreview.srcObject = null;
    showScreen(this.view, 'room');
    if (wasWaiting && this.view.status.dataset['kind'] === 'info') setStatus(this.view.status, '');
    if (wasWaiting) announce(this.view, 'The host let you in. You are now in the meeting.');
    const { audio, video } = this.toggles.state;
    this.conn.media(audio, video);
    this.media.startPublishing();
  }

  /**
   * @private
   * @param {Person[]} people
   */
  roster(people) {
    // Our own microphone and camera state is known here first.
    const local = this.toggles.state;
    this.people.setAll(people.map((p) => (p.id === this.me?.id ? { ...p, ...local } : p)));
    const ids = new Set(people.map((p) => p.id));
    for (const id of this.tiles.ids()) {
      if (!ids.has(id) && id !== this.me?.id) this.tiles.remove(id);
    }
    for (const p of people) this.person(p, false);
  }

  /**
   * Adds or updates one participant (including ourselves: our role may change).
   * @private
   * @param {Person} p
   * @param {boolean} [single] False when part of a whole roster.
   */
  person(p, single = true) {
    if (p.id === this.me?.id) {
      // The server's view of our role and of what hosts stopped wins; our own mic
      // and camera state is local.
      this.applyBlocks(p);
      const before = this.me.role;
      this.me = { ...p, ...this.toggles.state };
      this.people.upsert(this.me);
      this.renderSelf();
      if (before !== p.role) this.roleChanged(before, p.role);
      return;
    }
    if (single) this.people.upsert(p);
    this.tiles.update(p);
  }

  /**
   * Follows a host stopping or allowing our microphone or camera.
   * @private
   * @param {Person} p Our own entry from the server.
   */
  applyBlocks(p) {
    const before = this.toggles.state;
    /** @type {Array<['audio' | 'video', boolean, string, string]>} */
    const kinds = [
      ['audio', p.audioBlocked === true, 'The host muted your microphone.', 'The host allows you to unmute.'],
      ['video', p.videoBlocked === true, 'The host stopped your camera.', 'The host allows you to turn your camera on.'],
    ];
    const said = [];
    for (const [kind, blocked, stopped, allowed] of kinds) {
      if (this.toggles.isBlocked(kind) === blocked) continue;
      this.toggles.setBlocked(kind, blocked);
      said.push(blocked ? stopped : allowed);
    }
    if (said.length > 0) setStatus(this.view.status, said.join(' '), 'info');
    const after = this.toggles.state;
    if (after.audio !== before.audio || after.video !== before.video) this.conn.media(after.audio, after.video);
  }

  /**
   * Our role changed: say so. renderSelf has already shown or hidden the controls.
   * @private
   * @param {string} before
   * @param {string} after
   */
  roleChanged(before, after) {
    if (after === 'co-host') announce(this.view, 'You are now a co-host. You can let people in and manage the meeting.');
    else if (before === 'co-host' && after === 'participant') {
      announce(this.view, 'You are no longer a co-host.');
      this.waiting.reset();
    }
  }

  /**
   * Shows whether the meeting is locked.
   * @private
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

  /**
   * Applies a local change to our own entry.
   * @private
   * @param {Partial<Person>} change
   */
  updateSelf(change) {
    if (!this.me) return;
    this.me = { ...this.me, ...change };
    this.renderSelf();
    if (this.people.get(this.me.id)) this.people.upsert(this.me);
  }

  /** @private Shows who we are and the host-only parts for hosts. */
  renderSelf() {
    const me = this.me;
    if (!me) return;
    this.tiles.update(me);
    const extra = extraLabel(me.roleLabel, me.role);
    const label = extra ? `, ${extra}` : '';
    this.view.me.textContent = `You are ${me.name}${label} \u00b7 ${roleName(me.role)}`;
    const host = isHostRole(me.role);
    this.view.root.dataset['host'] = String(host);
    this.view.waitingPanel.hidden = !host;
    this.view.noticesPanel.hidden = !host;
    this.view.lock.hidden = !host;
    this.view.muteAll.hidden = !host;
    // Only the host ends or suspends the meeting for everyone; co-hosts manage it.
    this.view.end.hidden = me.role !== 'host';
    this.view.suspend.hidden = me.role !== 'host';
    this.people.setViewer(me.role);
  }

  /**
   * @private
   * @param {'publish' | 'subscribe'} target
   * @param {RTCPeerConnectionState} state
   */
  connectionState(target, state) {
    if (state !== 'failed') return;
    const what = target === 'publish' ? 'Your camera and microphone' : 'Other people\u2019s audio and video';
    setStatus(this.view.status, `${what} could not be connected. Check your network, or leave and rejoin.`, 'error');
  }

  /** @private Leaves on purpose: tells the server, then shows the final screen. */
  leave() {
    this.finish('You have left the meeting', '', true, true);
  }

  /**
   * The end: stops media and shows a final screen.
   * @private
   * @param {string} title
   * @param {string} message
   * @param {boolean} canRejoin
   * @param {boolean} [sayLeave] Tell the server we leave (else just close).
   */
  finish(title, message, canRejoin, sayLeave = false) {
    if (this.finished) return;
    this.finished = true;
    if (sayLeave) this.conn.leave(); else this.conn.close();
    this.media.close();
    this.meter.close();
    this.tiles.clearRemote();
    stopStream(this.stream);
    this.view.waitingPreview.srcObject = null;
    this.view.finalTitle.textContent = title;
    this.view.finalMessage.textContent = message;
    this.view.finalMessage.hidden = message === '';
    this.view.rejoin.hidden = !canRejoin;
    this.view.rejoin.href = this.options.rejoinHref;
    setStatus(this.view.status, '');
    showScreen(this.view, 'final');
  }
}
