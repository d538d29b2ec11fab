// Our own screen share. Pressing "Share screen" captures a screen (the browser
// asks which), then asks the server (share{on:true}). The server answers with an
// error (ref "share") or with our own participant entry showing screen: true;
// only then is the capture published, as its own section of the publish
// connection (media.js). When our entry comes back with screen: false (we
// stopped, a host stopped it, the rules changed) the capture stops. Stopping from
// the browser's own "Stop sharing" bar ends the track: we tell the server.

/** @typedef {'idle' | 'choosing' | 'asking' | 'sharing'} ShareState */

/**
 * @typedef {Object} ShareDeps
 * @property {(on: boolean) => boolean} share Sends share{on}; false if not connected.
 * @property {(track: MediaStreamTrack | null) => Promise<void>} publish Sends (or stops sending) the capture.
 * @property {(text: string, kind: 'info' | 'error') => void} say Tells the person something.
 * @property {(sharing: boolean) => void} onChange Our share started or stopped (as the server says).
 */

export class ScreenShare {
  /**
   * @param {HTMLButtonElement} button The "Share screen" toggle.
   * @param {ShareDeps} deps
   */
  constructor(button, deps) {
    /** @private @readonly */
    this.button = button;
    /** @private @readonly */
    this.deps = deps;
    /** @private @type {ShareState} */
    this.state = 'idle';
    /** @private @type {MediaStreamTrack | null} */
    this.track = null;
    /** @private Whether the rules let us share now. */
    this.allowed = false;
    /** @private What our entry last said. */
    this.serverOn = false;
    button.addEventListener('click', () => {
      if (this.state === 'idle') this.start();
      else this.stop();
    });
    this.render();
  }

  /** @returns {boolean} Whether the server forwards our screen now. */
  get sharing() {
    return this.state === 'sharing';
  }

  /**
   * Shows or hides the button as the rules allow our role to share.
   * @param {boolean} allowed
   */
  setAllowed(allowed) {
    this.allowed = allowed;
    this.render();
  }

  /** @private Captures a screen, then asks the server. */
  async start() {
    if (!navigator.mediaDevices || typeof navigator.mediaDevices.getDisplayMedia !== 'function') {
      this.deps.say('This browser cannot share a screen.', 'error');
      return;
    }
    this.state = 'choosing';
    this.render();
    /** @type {MediaStream} */
    let stream;
    try {
      stream = await navigator.mediaDevices.getDisplayMedia({ video: true, audio: false });
    } catch (err) {
      this.state = 'idle';
      this.render();
      const cancelled = err instanceof DOMException && err.name === 'NotAllowedError';
      this.deps.say(cancelled ? 'Screen sharing was cancelled.' : 'Your screen could not be captured.', cancelled ? 'info' : 'error');
      return;
    }
    const track = stream.getVideoTracks()[0];
    if (!track || this.state !== 'choosing') {
      for (const t of stream.getTracks()) t.stop();
      return;
    }
    this.track = track;
    track.contentHint = 'detail';
    track.addEventListener('ended', () => {
      // The browser's own "Stop sharing", or the shared window closed.
      if (this.track !== track) return;
      this.deps.share(false);
      this.release();
    });
    if (!this.deps.share(true)) {
      this.release();
      this.deps.say('Not connected to the meeting. Please try again in a moment.', 'error');
      return;
    }
    this.state = 'asking';
    this.render();
  }

  /** We stop sharing: tell the server and stop at once. */
  stop() {
    if (this.state === 'asking' || this.state === 'sharing') this.deps.share(false);
    this.release();
  }

  /**
   * Our own participant entry arrived; screen is what the server forwards.
   * @param {boolean} screen
   */
  serverSays(screen) {
    const was = this.serverOn;
    this.serverOn = screen;
    if (screen && !was) {
      if (this.track && this.state === 'asking') {
        this.state = 'sharing';
        this.render();
        this.deps.publish(this.track).catch(() => {});
        this.deps.onChange(true);
      } else if (!this.track) {
        // Nothing to send (e.g. after a reconnection): say we stopped.
        this.deps.share(false);
      }
    } else if (!screen && was) {
      const ours = this.state === 'sharing';
      this.release();
      if (ours) this.deps.say('Your screen is no longer shared.', 'info');
    }
  }

  /**
   * The server refused share{on:true}.
   * @param {string} message The server's sentence.
   */
  refused(message) {
    if (this.state === 'asking') this.release();
    this.deps.say(message, 'error');
  }

  /** Stops any capture without a word to the server (it has forgotten our media). */
  reset() {
    this.serverOn = false;
    this.release();
  }

  /** @private Stops capturing and sending. */
  release() {
    const wasSharing = this.state === 'sharing';
    const track = this.track;
    this.track = null;
    this.state = 'idle';
    if (track) {
      track.stop();
      this.deps.publish(null).catch(() => {});
    }
    this.render();
    if (wasSharing) this.deps.onChange(false);
  }

  /** @private */
  render() {
    const active = this.state !== 'idle';
    this.button.hidden = !this.allowed && !active;
    this.button.disabled = this.state === 'choosing';
    this.button.textContent = active ? 'Stop sharing' : 'Share screen';
    // The name says the action; a pressed state as well would say it twice.
    this.button.setAttribute('aria-label', active ? 'Stop sharing your screen' : 'Share your screen');
    this.button.removeAttribute('aria-pressed');
    this.button.classList.toggle('danger', active);
  }
}
