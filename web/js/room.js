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
import { buildRoomView, showScreen, announce, addNotice, toast } from './room-view.js';
import { ScreenShare } from './screen-share.js';
import { ScreenStage } from './screen-stage.js';
import { RulesPanel, mayShareScreen } from './rules-panel.js';
import { RenameControl } from './rename.js';
import { UnmutePrompt } from './unmute-prompt.js';
import { Chime } from './chime.js';
import { OwnMedia } from './own-media.js';
import { createRoomChat } from './room-chat.js';
import { MeetingControls } from './meeting-controls.js';
import { ContractPrompt } from './contract-prompt.js';

/** @typedef {import('./protocol-types.js').HelloInit} HelloInit */
/** @typedef {import('./protocol-types.js').WelcomeMessage} WelcomeMessage */
/** @typedef {import('./protocol-types.js').Person} Person */
/** @typedef {import('./room-view.js').RoomView} RoomView */
/** @typedef {import('./chat.js').Chat} Chat */

/** Errors about a host control on someone: the panel's buttons are enabled again. */
const personControlRefs = new Set(['remove', 'send_back', 'mute', 'cohost', 'ask_unmute', 'stop_share']);

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
      mute: (id, kind, muted, hold) => this.conn.mute(kind, muted, id, hold),
      askUnmute: (id, kind) => this.conn.askUnmute(id, kind),
      concern: (id, note) => this.conn.concern(id, note),
      stopShare: (id) => this.conn.stopShare(id),
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
    this.toggles = new MediaToggles(this.view.mic, this.view.camera, this.view.mediaHint, this.stream, {
      onChange: (state) => {
        this.conn.media(state.audio, state.video);
        this.updateSelf({ audio: state.audio, video: state.video });
      },
      onUnmute: (kind) => { this.conn.unmute(kind); },
    });
    /** @private @readonly */
    this.stage = new ScreenStage(this.view.stage, {
      stopOwn: () => this.screen.stop(),
      stopOther: (id) => this.conn.stopShare(id),
      announce: (text) => announce(this.view, text),
    });
    /** @private @readonly */
    this.media = new MediaSession(this.conn, {
      onTrack: (participant, stream, track, source) => {
        if (source === 'screen') this.stage.attach(participant, stream, track);
        else this.tiles.attach(participant, stream, track);
      },
      onConnectionState: (target, state) => this.connectionState(target, state),
      onError: (message) => setStatus(this.view.status, message, 'error'),
    });
    this.media.setLocalStream(this.stream);
    /** @private @readonly */
    this.screen = new ScreenShare(this.view.share, {
      share: (on) => this.conn.share(on),
      publish: (track) => this.media.setScreenTrack(track),
      say: (text, kind) => setStatus(this.view.status, text, kind),
      onChange: () => {},
    });
    /** @private @readonly */
    this.rules = new RulesPanel(this.view.rulesList, this.view.rulesForm, (rules) => this.conn.rules(rules),
      (text, kind) => setStatus(this.view.status, text, kind));
    /** @private @readonly */
    this.rename = new RenameControl(this.view.rename, (name) => this.conn.rename(name),
      (text, kind) => setStatus(this.view.status, text, kind));
    /** @private @readonly */
    this.prompt = new UnmutePrompt(this.view.unmutePrompt, (kind) => this.own.acceptUnmute(kind),
      (text) => announce(this.view, text), this.view.mic);
    /** @private @readonly */
    this.own = new OwnMedia(this.toggles, {
      media: (audio, video) => this.conn.media(audio, video),
      unmute: (kind) => this.conn.unmute(kind),
      say: (text) => setStatus(this.view.status, text, 'info'),
      changed: (state) => this.updateSelf(state),
    });
    /** @private @readonly */
    this.chime = new Chime();
    /** @private @readonly @type {Chat} */
    this.chat = createRoomChat(this.conn, this.view, (participant) => this.tiles.element(participant));
    /** @private @readonly */
    this.controls = new MeetingControls(this.view, this.conn);
    new ContractPrompt(this.view.waitingScreen, this.conn); // invitees: the participation contract while waiting
    /** @private Whether the whole roster has arrived (later arrivals are joins). */
    this.haveRoster = false;
    /** @private @type {Person | null} */
    this.me = null;
    /** @private */
    this.admitted = false;
    /** @private */
    this.finished = false;
    /** @private */
    this.reconnecting = false;
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
    v.sound.addEventListener('click', () => {
      this.tiles.unblockSound();
      this.meter.resume();
      v.sound.hidden = true;
    });
    // Browsers start audio processing only after a click or key press.
    const resume = () => {
      this.meter.resume();
      if (this.rules.current?.chime) this.chime.resume();
    };
    document.addEventListener('pointerdown', resume);
    document.addEventListener('keydown', resume);
  }

  /** @private */
  bindConnection() {
    const c = this.conn;
    c.on('welcome', (msg) => this.welcome(msg));
    c.on('admission', (msg) => {
      if (msg.admission === 'admitted') {
        // Muted on entry: off before anything is sent.
        const muted = msg.muted === true && !this.admitted;
        if (muted) this.own.mutedOnEntry();
        this.enter();
        if (muted) {
          setStatus(this.view.status, 'You joined with your microphone and camera off, as this meeting\u2019s rules ask.', 'info');
        }
      }
      else if (msg.admission === 'waiting' && msg.code === 'sent_back') this.sentBack(msg.message ?? '');
      else if (msg.admission === 'waiting') this.wait();
      else this.finish(msg.admission === 'denied' ? 'You were not let in' : 'You were removed from the meeting',
        msg.message || (msg.admission === 'denied' ? 'The host did not let you into the meeting.' : ''), false);
    });
    c.on('roster', (msg) => {
      this.roster(msg.participants ?? []);
      this.chatPeople();
    });
    c.on('participant', (msg) => {
      this.person(msg.participant);
      this.chatPeople();
    });
    c.on('gone', (msg) => {
      const who = this.people.get(msg.participant);
      this.people.remove(msg.participant);
      this.tiles.remove(msg.participant);
      this.stage.remove(msg.participant);
      this.chatPeople();
      if (who) this.presence(`${who.name} left`, 'leave');
    });
    c.on('waiting', (msg) => this.waiting.set(msg.participants ?? []));
    c.on('offer', (msg) => { this.media.handleOffer(msg.sdp); });
    c.on('answer', (msg) => { this.media.handleAnswer(msg.sdp); });
    c.on('candidate', (msg) => { this.media.handleCandidate(msg.target, msg.candidate); });
    c.on('notice', (msg) => addNotice(this.view, msg.message));
    c.on('room', (msg) => {
      this.chat.handle(msg); // the chat's rules
      this.controls.setLocked(msg.locked === true);
      if (msg.rules) {
        this.rules.set(msg.rules);
        this.renderSelf();
      }
    });
    c.on('unmute_request', (msg) => this.prompt.show(msg.kind, msg.by));
    c.on('ended', (msg) => {
      if (msg.code === 'server_shutting_down') setStatus(this.view.status, msg.message, 'error');
      else this.finish('The meeting has ended', msg.message, false);
    });
    c.on('error', (msg) => {
      if (this.chat.handle(msg)) return; // shown in the chat panel
      if (msg.ref === 'admit' || msg.ref === 'deny' || msg.ref === 'admit_all') this.waiting.enableAll();
      if (msg.ref === 'lock') this.controls.lockRefused();
      if (msg.ref && personControlRefs.has(msg.ref)) this.people.refresh();
      if (msg.ref === 'share') {
        this.screen.refused(msg.message);
        return;
      }
      if (msg.ref === 'unmute') this.own.unmuteRefused();
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
    this.screen.reset();
    this.stage.clear();
    this.haveRoster = false;
    this.admitted = false;
    this.me = {
      id: msg.participant, name: msg.name, roleLabel: msg.roleLabel, role: msg.role, ...this.toggles.state,
      audioBlocked: this.toggles.isBlocked('audio'), videoBlocked: this.toggles.isBlocked('video'),
    };
    this.view.title.textContent = msg.meeting;
    document.title = `${msg.meeting} \u2013 safemeet`;
    this.people.setLocalId(msg.participant);
    this.chat.setMe(msg.participant);
    this.tiles.setLocal(this.me, this.stream);
    this.renderSelf();
    if (this.view.status.dataset['kind'] === 'info') setStatus(this.view.status, ''); // "Connecting…"
    if (msg.admission === 'admitted') this.enter();
    else if (msg.admission === 'waiting') this.wait();
  }

  /** @private Shows the waiting screen with our own preview only. */
  wait() {
    this.admitted = false;
    // Waiting people see no chat: forget it (the room's history comes again on entry).
    this.chat.close();
    this.chat.reset();
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
    this.screen.reset();
    this.stage.clear();
    this.prompt.hide();
    this.haveRoster = false;
    this.people.setAll([]);
    this.waiting.reset();
    this.controls.setLocked(false, true);
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
    this.haveRoster = true;
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
      this.own.applyBlocks(p, !single);
      const before = this.me;
      this.me = { ...p, ...this.toggles.state };
      this.people.upsert(this.me);
      this.screen.serverSays(p.screen === true);
      this.stage.update(p);
      this.renderSelf();
      if (before.role !== p.role) this.roleChanged(before.role, p.role);
      if (before.name !== p.name && single) {
        this.rename.done();
        setStatus(this.view.status, `Your name is now ${p.name}.`, 'ok');
      }
      return;
    }
    const arrived = single && this.haveRoster && !this.people.get(p.id);
    if (single) this.people.upsert(p);
    this.tiles.update(p);
    this.stage.update(p);
    if (arrived) this.presence(`${p.name} joined`, 'join');
  }

  /** @private Tells the chat who is in the meeting (for names and direct messages). */
  chatPeople() {
    this.chat.setParticipants(this.people.all().map((p) => ({ id: p.id, name: p.name, role: p.role })));
  }

  /**
   * Someone joined or left: screen readers always hear it; where the rules say
   * so, a chime sounds and a visible notice shows.
   * @private
   * @param {string} text E.g. "Jo Smith joined".
   * @param {'join' | 'leave'} kind
   */
  presence(text, kind) {
    announce(this.view, `${text} the meeting.`);
    if (!this.rules.current?.chime) return;
    toast(this.view, text);
    this.chime.play(kind);
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
    this.controls.setRole(me.role);
    this.people.setViewer(me.role);
    this.chat.setIsHost(host);
    const rules = this.rules.current;
    this.screen.setAllowed(this.admitted && mayShareScreen(rules, me.role));
    this.stage.setViewer(me.id, me.role);
    this.rules.setHost(me.role === 'host');
    this.rename.set(rules?.display_names === 'renamable', me.name);
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
    this.screen.reset();
    this.stage.clear();
    this.media.close();
    this.meter.close();
    this.chime.close();
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
