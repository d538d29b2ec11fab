// The signalling connection: one WebSocket to /ws speaking the protocol defined in
// internal/signalling (docs/protocol.md). No DOM here.
//
// A Connection sends hello, turns server messages into typed events, offers send
// helpers, and after an unexpected close reconnects with backoff, re-sending the
// same hello so the server can restore the participant within its grace period.
// It does not reconnect once the server has said the session is over for good
// (ended, denied, removed, an invalid or busy invitation, ...), nor after leave().
// The messages' shapes are in protocol-types.js.

export const protocolVersion = 1;

/** @typedef {import('./protocol-types.js').HelloInit} HelloInit */
/** @typedef {import('./protocol-types.js').MediaKind} MediaKind */
/** @typedef {import('./protocol-types.js').Rules} Rules */
/** @typedef {import('./protocol-types.js').ServerEvents} ServerEvents */
/** @typedef {import('./protocol-types.js').ServerMessageType} ServerMessageType */
/** @typedef {import('./protocol-types.js').Target} Target */

/** @type {ReadonlySet<string>} */
const serverTypes = new Set(['welcome', 'admission', 'roster', 'participant', 'gone', 'waiting',
  'offer', 'answer', 'candidate', 'notice', 'ended', 'error', 'room', 'unmute_request',
  'chat', 'chat_history', 'chat_deleted', 'chat_cleared', 'chat_blocked', 'reaction', 'hands', 'contract']);

/**
 * The server messages about chat, reactions and raised hands (for admitted
 * participants only).
 * @type {ReadonlyArray<'chat' | 'chat_history' | 'chat_deleted' | 'chat_cleared' | 'chat_blocked' | 'reaction' | 'hands'>}
 */
export const chatServerTypes = Object.freeze(['chat', 'chat_history', 'chat_deleted', 'chat_cleared',
  'chat_blocked', 'reaction', 'hands']);

/**
 * Error codes after which reconnecting cannot help: the server has closed this
 * participant's way in, or a retry would fight another window.
 * @type {ReadonlySet<string>}
 */
const finalCodes = new Set(['invitation_invalid', 'invitation_in_use', 'session_replaced',
  'meeting_ended', 'denied', 'removed', 'participant_left', 'unsupported_version', 'bad_origin',
  'not_signed_in', 'forbidden', 'not_found', 'too_many_participants', 'already_in_meeting',
  'meeting_locked', 'account_disabled', 'invitation_not_open', 'invitation_closed', 'consent_needed', 'meeting_not_approved']);

/** Codes that are worth a retry even when they refuse the hello itself. */
const retryCodes = new Set(['internal', 'server_shutting_down', 'slow_consumer', 'rate_limited',
  'audit_unavailable']);

/**
 * @typedef {Object} ConnectionOptions
 * @property {string} [url] WebSocket URL; defaults to /ws on this page's host.
 * @property {number} [maxAttempts] Reconnection attempts before giving up.
 * @property {(attempt: number) => number} [backoff] Delay in ms before attempt n (1-based).
 */

/**
 * Default reconnection delay: 0.5 s doubling to 8 s, with ±20 % jitter so many
 * clients do not return in step after a server restart.
 * @param {number} attempt
 * @returns {number}
 */
export function defaultBackoff(attempt) {
  const base = Math.min(8000, 500 * 2 ** (attempt - 1));
  return Math.round(base * (0.8 + Math.random() * 0.4));
}

/** @returns {string} ws(s)://<this host>/ws */
function defaultURL() {
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${location.host}/ws`;
}

export class Connection {
  /**
   * @param {HelloInit} hello Sent as the first message of every WebSocket.
   * @param {ConnectionOptions} [options]
   */
  constructor(hello, options = {}) {
    /** @private @readonly */
    this.hello = hello;
    /** @private @readonly */
    this.url = options.url ?? defaultURL();
    /** @private @readonly */
    this.maxAttempts = options.maxAttempts ?? 20;
    /** @private @readonly */
    this.backoff = options.backoff ?? defaultBackoff;
    /** @private @type {WebSocket | null} */
    this.socket = null;
    /** @private @type {Map<string, Set<(msg: any) => void>>} */
    this.handlers = new Map();
    /** @private */
    this.attempt = 0;
    /** @private @type {ReturnType<typeof setTimeout> | undefined} */
    this.retryTimer = undefined;
    /** @private True once the session is over for good: never reconnect. */
    this.final = false;
    /** @private True once a welcome arrived on the current socket. */
    this.welcomed = false;
    /** @private The error code that ended the session for good, if any. */
    this.finalCode = '';
  }

  /**
   * Subscribes to an event; returns a function that unsubscribes.
   * @template {keyof ServerEvents} K
   * @param {K} type
   * @param {(msg: ServerEvents[K]) => void} handler
   * @returns {() => void}
   */
  on(type, handler) {
    let set = this.handlers.get(type);
    if (!set) {
      set = new Set();
      this.handlers.set(type, set);
    }
    set.add(handler);
    return () => { set.delete(handler); };
  }

  /**
   * @private
   * @template {keyof ServerEvents} K
   * @param {K} type
   * @param {ServerEvents[K]} msg
   */
  emit(type, msg) {
    for (const handler of this.handlers.get(type) ?? []) {
      try {
        handler(msg);
      } catch (err) {
        console.error(`safemeet: ${type} handler failed`, err);
      }
    }
  }

  /** Opens the connection (once; later opens are reconnections). */
  connect() {
    if (this.socket || this.final) return;
    this.open();
  }

  /** @private */
  open() {
    this.emit('state', { state: this.attempt === 0 ? 'connecting' : 'reconnecting', attempt: this.attempt });
    this.welcomed = false;
    const socket = new WebSocket(this.url);
    this.socket = socket;
    socket.addEventListener('open', () => {
      if (socket !== this.socket) return;
      socket.send(JSON.stringify({ type: 'hello', version: protocolVersion, ...this.hello }));
    });
    socket.addEventListener('message', (event) => {
      if (socket !== this.socket) return;
      this.receive(event.data);
    });
    socket.addEventListener('close', (event) => {
      if (socket !== this.socket) return;
      this.socket = null;
      this.closed(event);
    });
  }

  /**
   * @private
   * @param {unknown} data
   */
  receive(data) {
    if (typeof data !== 'string') return;
    /** @type {unknown} */
    let msg;
    try {
      msg = JSON.parse(data);
    } catch {
      console.warn('safemeet: ignoring a message that is not JSON');
      return;
    }
    if (typeof msg !== 'object' || msg === null || !('type' in msg) || typeof msg.type !== 'string' ||
        !serverTypes.has(msg.type)) {
      console.warn('safemeet: ignoring an unknown message');
      return;
    }
    const type = /** @type {ServerMessageType} */ (msg.type);
    this.noteFinality(type, msg);
    if (type === 'welcome') {
      this.welcomed = true;
      this.attempt = 0;
      this.emit('state', { state: 'open' });
    }
    this.emit(type, /** @type {any} */ (msg));
  }

  /**
   * Marks the session over for good when a message says so.
   * @private
   * @param {ServerMessageType} type
   * @param {object} msg
   */
  noteFinality(type, msg) {
    const code = 'code' in msg && typeof msg.code === 'string' ? msg.code : '';
    let final = false;
    if (type === 'ended') {
      // A restarting server ends every session with server_shutting_down: come back.
      final = code !== 'server_shutting_down';
    } else if (type === 'admission' && 'admission' in msg) {
      final = msg.admission === 'denied' || msg.admission === 'removed';
    } else if (type === 'error') {
      // Before welcome, an error refuses the hello itself: only a few are worth a retry.
      final = finalCodes.has(code) || (!this.welcomed && !retryCodes.has(code));
    }
    if (final && !this.final) {
      this.final = true;
      this.finalCode = code || (type === 'admission' && 'admission' in msg ? String(msg.admission) : type);
    }
  }

  /**
   * @private
   * @param {CloseEvent} event
   */
  closed(event) {
    if (finalCodes.has(event.reason) && !this.final) {
      this.final = true;
      this.finalCode = event.reason;
    }
    if (this.final || this.attempt >= this.maxAttempts) {
      this.final = true;
      this.emit('state', { state: 'closed', final: true, code: this.finalCode });
      return;
    }
    this.attempt++;
    const delayMs = this.backoff(this.attempt);
    this.emit('state', { state: 'reconnecting', attempt: this.attempt, delayMs });
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      if (!this.final) this.open();
    }, delayMs);
  }

  /** @returns {boolean} Whether messages can be sent now. */
  get isOpen() {
    return this.socket !== null && this.socket.readyState === WebSocket.OPEN && this.welcomed;
  }

  /**
   * Sends one message. Messages sent while disconnected are dropped (the caller's
   * state is re-sent after the next welcome), and false is returned.
   * @private
   * @param {Record<string, unknown> & { type: string }} msg
   * @returns {boolean}
   */
  send(msg) {
    if (!this.socket || this.socket.readyState !== WebSocket.OPEN) return false;
    this.socket.send(JSON.stringify(msg));
    return true;
  }

  /**
   * Lets a waiting participant in (hosts only).
   * @param {string} participant
   * @returns {boolean}
   */
  admit(participant) { return this.send({ type: 'admit', participant }); }

  /**
   * Refuses a waiting participant (hosts only).
   * @param {string} participant
   * @returns {boolean}
   */
  deny(participant) { return this.send({ type: 'deny', participant }); }

  /** Ends the meeting for everyone (host only). @returns {boolean} */
  end() { return this.send({ type: 'end' }); }

  /** Lets everyone in the waiting room in (host or co-host). @returns {boolean} */
  admitAll() { return this.send({ type: 'admit_all' }); }

  /**
   * Locks or unlocks the meeting (host or co-host).
   * @param {boolean} locked
   * @returns {boolean}
   */
  lock(locked) { return this.send({ type: 'lock', locked }); }

  /**
   * Removes a participant for good: their invitation stops working (host or co-host).
   * @param {string} participant
   * @returns {boolean}
   */
  remove(participant) { return this.send({ type: 'remove', participant }); }

  /**
   * Sends an admitted participant back to the waiting room (host or co-host).
   * @param {string} participant
   * @returns {boolean}
   */
  sendBack(participant) { return this.send({ type: 'send_back', participant }); }

  /**
   * Stops (muted true) or allows again one participant's microphone or camera, or
   * with no participant, everyone's but the hosts' (host or co-host). With hold,
   * the person cannot lift the block themselves ("disallow unmuting").
   * @param {MediaKind} kind
   * @param {boolean} muted
   * @param {string} [participant]
   * @param {boolean} [hold]
   * @returns {boolean}
   */
  mute(kind, muted, participant, hold = false) {
    /** @type {Record<string, unknown> & { type: string }} */
    const msg = { type: 'mute', kind, muted };
    if (participant) msg['participant'] = participant;
    if (hold && muted) msg['hold'] = true;
    return this.send(msg);
  }

  /**
   * Asks a participant to turn their microphone or camera back on (host or
   * co-host); they get unmute_request and choose.
   * @param {string} participant
   * @param {MediaKind} kind
   * @returns {boolean}
   */
  askUnmute(participant, kind) { return this.send({ type: 'ask_unmute', participant, kind }); }

  /**
   * Lifts a host's block of our own microphone or camera, where it is ours to lift.
   * @param {MediaKind} kind
   * @returns {boolean}
   */
  unmute(kind) { return this.send({ type: 'unmute', kind }); }

  /**
   * Asks to start (on true) or stop our own screen share. The server answers with
   * our participant entry (screen) or an error with ref "share".
   * @param {boolean} on
   * @returns {boolean}
   */
  share(on) { return this.send({ type: 'share', on }); }

  /**
   * Stops someone's screen share (host, or co-host for participants).
   * @param {string} participant
   * @returns {boolean}
   */
  stopShare(participant) { return this.send({ type: 'stop_share', participant }); }

  /**
   * Asks to change our display name (where the rules let names be changed).
   * @param {string} name
   * @returns {boolean}
   */
  rename(name) { return this.send({ type: 'rename', name }); }

  /**
   * Makes the meeting's rules stricter (host only). Every rule is sent.
   * @param {Rules} rules
   * @returns {boolean}
   */
  rules(rules) {
    return this.send({
      type: 'rules',
      rules: {
        auto_lock_minutes: rules.auto_lock_minutes, screen_share: rules.screen_share,
        media_on_entry: rules.media_on_entry, self_unmute: rules.self_unmute,
        display_names: rules.display_names, chime: rules.chime, max_participants: rules.max_participants,
        direct_messages: rules.direct_messages, chat_links: rules.chat_links, chat_history: rules.chat_history,
      },
    });
  }

  /**
   * Makes a participant a co-host, or a participant again (host only).
   * @param {string} participant
   * @param {boolean} on
   * @returns {boolean}
   */
  cohost(participant, on) { return this.send({ type: 'cohost', participant, on }); }

  /**
   * The incident button (host only): stops everyone else's microphone and camera
   * and locks the meeting.
   * @returns {boolean}
   */
  suspend() { return this.send({ type: 'suspend' }); }

  /**
   * Reports whether our microphone and camera are on.
   * @param {boolean} audio
   * @param {boolean} video
   * @returns {boolean}
   */
  media(audio, video) { return this.send({ type: 'media', audio, video }); }

  /**
   * Sends the publishing peer connection's offer. screenMid names the offer's
   * media section that carries our screen share, if it has one.
   * @param {string} sdp
   * @param {string} [screenMid]
   * @returns {boolean}
   */
  publish(sdp, screenMid) {
    return this.send(screenMid ? { type: 'publish', sdp, screen_mid: screenMid } : { type: 'publish', sdp });
  }

  /**
   * Sends the subscribing peer connection's answer.
   * @param {string} sdp
   * @returns {boolean}
   */
  subscribed(sdp) { return this.send({ type: 'subscribed', sdp }); }

  /**
   * Trickles one of our ICE candidates.
   * @param {Target} target
   * @param {RTCIceCandidateInit} candidate
   * @returns {boolean}
   */
  candidate(target, candidate) {
    /** @type {Record<string, unknown>} */
    const c = { candidate: candidate.candidate ?? '' };
    if (candidate.sdpMid != null) c['sdpMid'] = candidate.sdpMid;
    if (candidate.sdpMLineIndex != null) c['sdpMLineIndex'] = candidate.sdpMLineIndex;
    if (candidate.usernameFragment != null) c['usernameFragment'] = candidate.usernameFragment;
    return this.send({ type: 'candidate', target, candidate: c });
  }

  /**
   * Posts a chat message: to everyone, to the hosts and co-hosts, or (where the
   * rules allow direct messages) to one participant's ID.
   * @param {string} to 'everyone', 'hosts' or a participant's ID.
   * @param {string} text
   * @returns {boolean}
   */
  chatSend(to, text) { return this.send({ type: 'chat_send', to, text }); }

  /**
   * Removes a chat message for everyone (host or co-host).
   * @param {number} message
   * @returns {boolean}
   */
  chatDelete(message) { return this.send({ type: 'chat_delete', message }); }

  /** Removes every chat message (host or co-host). @returns {boolean} */
  chatClear() { return this.send({ type: 'chat_clear' }); }

  /**
   * Stops (blocked true) or lets again a participant post chat and reactions
   * (host or co-host).
   * @param {string} participant
   * @param {boolean} blocked
   * @returns {boolean}
   */
  chatBlock(participant, blocked) { return this.send({ type: 'chat_block', participant, blocked }); }

  /**
   * Sends a reaction to everyone.
   * @param {string} reaction One of the Reaction names.
   * @returns {boolean}
   */
  react(reaction) { return this.send({ type: 'react', reaction }); }

  /**
   * Raises or lowers our own hand.
   * @param {boolean} raised
   * @returns {boolean}
   */
  hand(raised) { return this.send({ type: 'hand', raised }); }

  /**
   * Lowers someone's raised hand (host or co-host).
   * @param {string} participant
   * @returns {boolean}
   */
  lowerHand(participant) { return this.send({ type: 'lower_hand', participant }); }

  /**
   * Agrees to the participation contract shown in welcome (invitees, while waiting).
   * @param {string} hash The contract's hash from welcome.
   * @returns {boolean}
   */
  acceptContract(hash) { return this.send({ type: 'accept_contract', hash }); }
  /** Flags a safeguarding concern about a participant ("" for the meeting). @param {string} participant @param {string} note @returns {boolean} */
  concern(participant, note) { return this.send({ type: 'concern', participant, note }); }

  /** Says we are leaving, then closes for good. */
  leave() {
    this.send({ type: 'leave' });
    this.close();
  }

  /** Closes for good without a word to the server (the page is going away). */
  close() {
    this.final = true;
    if (this.retryTimer !== undefined) clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    const socket = this.socket;
    this.socket = null;
    if (socket) socket.close(1000, 'leaving');
    this.emit('state', { state: 'closed', final: true, code: this.finalCode });
  }
}
