// The two peer connections of a session with the server's SFU:
//  - publish: sendonly, carries our camera and microphone. We offer (publish{sdp}),
//    the server answers (answer).
//  - subscribe: recvonly, carries everyone else. The server offers (offer), we
//    answer (subscribed{sdp}); it renegotiates the same way as people come and go.
// A remote track's stream ID is its publisher's participant ID, with "-screen"
// for a screen share. Our own screen share is one more sendonly section of the
// publish connection, named to the server in publish{screen_mid}.
// No DOM here; tracks go to the caller through callbacks.

/** @typedef {import('./protocol-types.js').Target} Target */

/**
 * @typedef {Object} Signaller The messages the media layer sends (a Connection).
 * @property {(sdp: string, screenMid?: string) => boolean} publish
 * @property {(sdp: string) => boolean} subscribed
 * @property {(target: Target, candidate: RTCIceCandidateInit) => boolean} candidate
 */

/** @typedef {'camera' | 'screen'} TrackSource What a remote track carries. */

/** The suffix of a screen share's stream ID, after the publisher's ID. */
const screenSuffix = '-screen';

/** How long to wait for the server's answer to a publish offer. */
const answerTimeoutMs = 20000;

/**
 * Splits a remote stream ID into the publisher's ID and what it carries.
 * @param {string} streamId
 * @returns {{ participant: string, source: TrackSource }}
 */
export function parseStreamId(streamId) {
  if (streamId.endsWith(screenSuffix) && streamId.length > screenSuffix.length) {
    return { participant: streamId.slice(0, -screenSuffix.length), source: 'screen' };
  }
  return { participant: streamId, source: 'camera' };
}

/**
 * @typedef {Object} MediaCallbacks
 * @property {(participant: string, stream: MediaStream, track: MediaStreamTrack, source: TrackSource) => void} onTrack
 *   A remote track arrived; participant is the publisher's ID, source says whether
 *   it is their camera and microphone or their screen share.
 * @property {(target: Target, state: RTCPeerConnectionState) => void} [onConnectionState]
 * @property {(message: string, err: unknown) => void} [onError]
 */

/**
 * @typedef {Object} MediaOptions
 * @property {RTCIceServer[]} [iceServers]
 */

/** One peer connection with its candidates waiting for a remote description. */
class Peer {
  /**
   * @param {Target} target
   * @param {RTCConfiguration} config
   * @param {Signaller} signaller
   * @param {MediaCallbacks} callbacks
   */
  constructor(target, config, signaller, callbacks) {
    /** @readonly */
    this.target = target;
    /** @readonly */
    this.pc = new RTCPeerConnection(config);
    /** @type {RTCIceCandidateInit[]} */
    this.pending = [];
    this.pc.addEventListener('icecandidate', (event) => {
      // A null candidate (or an empty one) marks the end of gathering; the server
      // does not need to be told.
      if (event.candidate && event.candidate.candidate) signaller.candidate(target, event.candidate.toJSON());
    });
    this.pc.addEventListener('connectionstatechange', () => {
      callbacks.onConnectionState?.(target, this.pc.connectionState);
    });
  }

  /**
   * Adds a remote candidate now, or once the remote description is set.
   * @param {RTCIceCandidateInit} candidate
   */
  async addCandidate(candidate) {
    if (!this.pc.remoteDescription) {
      this.pending.push(candidate);
      return;
    }
    await this.pc.addIceCandidate(candidate);
  }

  /** Adds the candidates that arrived before the remote description. */
  async flush() {
    const pending = this.pending;
    this.pending = [];
    for (const c of pending) await this.pc.addIceCandidate(c);
  }

  /** Closes the connection. */
  close() {
    this.pc.close();
  }
}

export class MediaSession {
  /**
   * @param {Signaller} signaller
   * @param {MediaCallbacks} callbacks
   * @param {MediaOptions} [options]
   */
  constructor(signaller, callbacks, options = {}) {
    /** @private @readonly */
    this.signaller = signaller;
    /** @private @readonly */
    this.callbacks = callbacks;
    /** @private @readonly @type {RTCConfiguration} */
    this.config = { iceServers: options.iceServers ?? [], bundlePolicy: 'max-bundle' };
    /** @private @type {MediaStream | null} */
    this.stream = null;
    /** @private @type {Peer | null} */
    this.publisher = null;
    /** @private @type {Peer | null} */
    this.subscriber = null;
    /** @private Bumped by reset(), so work begun before it is dropped. */
    this.generation = 0;
    /** @private Serialises negotiation of the subscribe connection. */
    this.subscribeQueue = Promise.resolve();
    /** @private @type {RTCIceCandidateInit[]} Subscribe candidates before the first offer. */
    this.earlySubscribeCandidates = [];
    /** @private Serialises negotiation of the publish connection: one offer at a time. */
    this.publishQueue = Promise.resolve();
    /** @private @type {(() => void) | null} Called when the pending publish offer is answered. */
    this.answered = null;
    /** @private @type {RTCRtpTransceiver | null} The section carrying our screen share, once made. */
    this.screenTransceiver = null;
    /** @private The screen section's mid, sent with every publish offer once known. */
    this.screenMid = '';
  }

  /** @returns {RTCPeerConnection | null} The publishing connection (test hook). */
  get publishPC() { return this.publisher?.pc ?? null; }

  /** @returns {RTCPeerConnection | null} The subscribing connection (test hook). */
  get subscribePC() { return this.subscriber?.pc ?? null; }

  /**
   * Sets the stream to publish (before startPublishing).
   * @param {MediaStream | null} stream
   */
  setLocalStream(stream) {
    this.stream = stream;
  }

  /**
   * Creates the publishing connection and offers our tracks. Call after admission;
   * does nothing if already publishing or there is nothing to send.
   * @returns {Promise<void>}
   */
  startPublishing() {
    if (this.publisher || !this.stream || this.stream.getTracks().length === 0) return Promise.resolve();
    const peer = this.createPublisher();
    for (const track of this.stream.getTracks()) {
      peer.pc.addTransceiver(track, { direction: 'sendonly', streams: [this.stream] });
    }
    return this.negotiatePublish('Your camera and microphone could not be sent.');
  }

  /**
   * Sends our screen share (track), or stops sending it (null). The first share
   * adds a sendonly section to the publish connection and renegotiates, naming
   * it in screen_mid; later ones reuse that section with replaceTrack, so the
   * server keeps knowing which section is the screen.
   * @param {MediaStreamTrack | null} track
   * @returns {Promise<void>}
   */
  async setScreenTrack(track) {
    const existing = this.screenTransceiver;
    if (existing) {
      await existing.sender.replaceTrack(track);
      return;
    }
    if (!track) return;
    const peer = this.publisher ?? this.createPublisher();
    this.screenTransceiver = peer.pc.addTransceiver(track, { direction: 'sendonly', streams: [new MediaStream([track])] });
    await this.negotiatePublish('Your screen could not be shared.');
  }

  /**
   * @private
   * @returns {Peer}
   */
  createPublisher() {
    const peer = new Peer('publish', this.config, this.signaller, this.callbacks);
    this.publisher = peer;
    return peer;
  }

  /**
   * Offers the publish connection's current sections and waits for the answer.
   * Negotiations run one at a time, in order.
   * @private
   * @param {string} failure What to tell the person if it fails.
   * @returns {Promise<void>}
   */
  negotiatePublish(failure) {
    const generation = this.generation;
    this.publishQueue = this.publishQueue.then(async () => {
      const peer = this.publisher;
      if (generation !== this.generation || !peer) return;
      try {
        const offer = await peer.pc.createOffer();
        if (generation !== this.generation) return;
        await peer.pc.setLocalDescription(offer);
        if (generation !== this.generation) return;
        // A transceiver's mid is known once the offer is applied.
        this.screenMid = this.screenTransceiver?.mid ?? this.screenMid;
        const answered = new Promise((resolve) => { this.answered = () => resolve(undefined); });
        if (!this.signaller.publish(peer.pc.localDescription?.sdp ?? offer.sdp ?? '', this.screenMid || undefined)) return;
        await Promise.race([answered, new Promise((resolve) => setTimeout(resolve, answerTimeoutMs))]);
      } catch (err) {
        this.fail(failure, err);
      } finally {
        this.answered = null;
      }
    });
    return this.publishQueue;
  }

  /**
   * Applies the server's answer to our publish offer.
   * @param {string} sdp
   */
  async handleAnswer(sdp) {
    const peer = this.publisher;
    if (!peer || peer.pc.signalingState !== 'have-local-offer') return;
    try {
      await peer.pc.setRemoteDescription({ type: 'answer', sdp });
      await peer.flush();
    } catch (err) {
      this.fail('Your camera and microphone could not be sent.', err);
    } finally {
      this.answered?.();
    }
  }

  /**
   * Answers the server's offer for the subscribing connection, creating it first if
   * needed. Offers are handled one at a time, in order.
   * @param {string} sdp
   * @returns {Promise<void>}
   */
  handleOffer(sdp) {
    const generation = this.generation;
    this.subscribeQueue = this.subscribeQueue.then(async () => {
      if (generation !== this.generation) return;
      const peer = this.subscriber ?? this.createSubscriber();
      try {
        await peer.pc.setRemoteDescription({ type: 'offer', sdp });
        await peer.flush();
        const answer = await peer.pc.createAnswer();
        if (generation !== this.generation) return;
        await peer.pc.setLocalDescription(answer);
        if (generation !== this.generation) return;
        this.signaller.subscribed(peer.pc.localDescription?.sdp ?? answer.sdp ?? '');
      } catch (err) {
        this.fail('Other people\u2019s audio and video could not be received.', err);
      }
    });
    return this.subscribeQueue;
  }

  /**
   * @private
   * @returns {Peer}
   */
  createSubscriber() {
    const peer = new Peer('subscribe', this.config, this.signaller, this.callbacks);
    peer.pending.push(...this.earlySubscribeCandidates);
    this.earlySubscribeCandidates = [];
    peer.pc.addEventListener('track', (event) => {
      const stream = event.streams[0];
      if (!stream) return; // the server always names the publisher's stream
      const { participant, source } = parseStreamId(stream.id);
      this.callbacks.onTrack(participant, stream, event.track, source);
    });
    this.subscriber = peer;
    return peer;
  }

  /**
   * Adds one of the server's ICE candidates.
   * @param {Target} target
   * @param {RTCIceCandidateInit} candidate
   */
  async handleCandidate(target, candidate) {
    try {
      if (target === 'publish') {
        await this.publisher?.addCandidate(candidate);
      } else if (this.subscriber) {
        await this.subscriber.addCandidate(candidate);
      } else {
        this.earlySubscribeCandidates.push(candidate);
      }
    } catch (err) {
      // One bad candidate is not fatal; ICE uses the others.
      console.warn('safemeet: ignoring an ICE candidate', err);
    }
  }

  /**
   * Replaces the track we send of one kind (e.g. after choosing another camera),
   * without renegotiating.
   * @param {MediaStreamTrack} track
   */
  async replaceTrack(track) {
    const screen = this.screenTransceiver?.sender;
    const sender = this.publisher?.pc.getSenders().find((s) => s !== screen && s.track?.kind === track.kind);
    if (sender) await sender.replaceTrack(track);
  }

  /**
   * Closes both connections; the next startPublishing and offer create new ones.
   * Used after a reconnection, when the server has forgotten the old ones.
   */
  reset() {
    this.generation++;
    this.publisher?.close();
    this.subscriber?.close();
    this.publisher = null;
    this.subscriber = null;
    this.earlySubscribeCandidates = [];
    this.subscribeQueue = Promise.resolve();
    this.publishQueue = Promise.resolve();
    this.answered?.();
    this.answered = null;
    this.screenTransceiver = null;
    this.screenMid = '';
  }

  /** Closes both connections for good. The local stream is the caller's to stop. */
  close() {
    this.reset();
  }

  /**
   * @private
   * @param {string} message
   * @param {unknown} err
   */
  fail(message, err) {
    console.error('safemeet:', message, err);
    this.callbacks.onError?.(message, err);
  }
}
