// The microphone and camera toggles: they switch the local tracks on and off
// (track.enabled) and report the new state, which the room sends as media{}.
// While a host has stopped our microphone or camera, its track stays off. If the
// block is ours to lift (the rules let us unmute, or a host asked), the button
// offers to lift it ("Unmute"), which asks the server; if a host holds it, the
// button is disabled and a hint says why. Once allowed again, it stays off until
// we turn it on.

/** @typedef {import('./protocol-types.js').MediaKind} MediaKind */

/**
 * @typedef {Object} MediaState
 * @property {boolean} audio Microphone on.
 * @property {boolean} video Camera on.
 */

/**
 * @typedef {Object} ToggleCallbacks
 * @property {(state: MediaState) => void} onChange Our microphone or camera went on or off.
 * @property {(kind: MediaKind) => void} onUnmute We ask to lift a host's block
 *   that is ours to lift; the local track is already on.
 */

export class MediaToggles {
  /**
   * @param {HTMLButtonElement} mic
   * @param {HTMLButtonElement} camera
   * @param {HTMLElement} hint Says why a button is disabled (a host holds the block).
   * @param {MediaStream} stream
   * @param {ToggleCallbacks} callbacks
   */
  constructor(mic, camera, hint, stream, callbacks) {
    /** @private @readonly */
    this.mic = mic;
    /** @private @readonly */
    this.camera = camera;
    /** @private @readonly */
    this.hint = hint;
    /** @private @readonly */
    this.stream = stream;
    /** @private @readonly */
    this.callbacks = callbacks;
    /** @private Stopped by a host. */
    this.blocked = { audio: false, video: false };
    /** @private Stopped by a host, and not ours to lift. */
    this.held = { audio: false, video: false };
    mic.addEventListener('click', () => this.toggle('audio'));
    camera.addEventListener('click', () => this.toggle('video'));
    this.render();
  }

  /** @returns {MediaState} */
  get state() {
    return {
      audio: this.stream.getAudioTracks().some((t) => t.enabled && t.readyState === 'live'),
      video: this.stream.getVideoTracks().some((t) => t.enabled && t.readyState === 'live'),
    };
  }

  /**
   * @param {MediaKind} kind
   * @returns {boolean} Whether a host has stopped it.
   */
  isBlocked(kind) {
    return this.blocked[kind];
  }

  /**
   * A host stopped (true) or allowed again (false) our microphone or camera;
   * held says whether only a host can lift it. Stopping turns the track off;
   * allowing leaves it as it is. Does not call onChange.
   * @param {MediaKind} kind
   * @param {boolean} blocked
   * @param {boolean} [held]
   */
  setBlocked(kind, blocked, held = false) {
    const wasBlocked = this.blocked[kind];
    this.blocked[kind] = blocked;
    this.held[kind] = blocked && held;
    if (blocked && !wasBlocked) this.setTracks(kind, false);
    this.render();
  }

  /**
   * Turns our microphone or camera off or on (e.g. muted on entry), whatever the
   * buttons show. Does not call onChange.
   * @param {MediaKind} kind
   * @param {boolean} on
   */
  set(kind, on) {
    this.setTracks(kind, on);
    this.render();
  }

  /**
   * @private
   * @param {MediaKind} kind
   * @param {boolean} on
   */
  setTracks(kind, on) {
    const tracks = kind === 'audio' ? this.stream.getAudioTracks() : this.stream.getVideoTracks();
    for (const t of tracks) t.enabled = on;
  }

  /**
   * The button was pressed: switch on or off, or ask to lift a host's block.
   * @param {MediaKind} kind
   */
  toggle(kind) {
    const tracks = kind === 'audio' ? this.stream.getAudioTracks() : this.stream.getVideoTracks();
    if (tracks.length === 0 || this.held[kind]) return;
    if (this.blocked[kind]) {
      this.setTracks(kind, true);
      this.render();
      this.callbacks.onUnmute(kind);
      this.callbacks.onChange(this.state);
      return;
    }
    this.setTracks(kind, !this.state[kind]);
    this.render();
    this.callbacks.onChange(this.state);
  }

  /**
   * @private Shows the state. The names stay fixed ("Mute", "Camera off") and
   * aria-pressed is true while they are in effect, so name and state never
   * disagree; a block we may lift shows as "Unmute" / "Turn camera on".
   */
  render() {
    const { audio, video } = this.state;
    const hasAudio = this.stream.getAudioTracks().length > 0;
    const hasVideo = this.stream.getVideoTracks().length > 0;
    const liftAudio = this.blocked.audio && !this.held.audio && !audio;
    const liftVideo = this.blocked.video && !this.held.video && !video;
    const micText = !hasAudio ? 'No microphone' : this.held.audio ? 'Muted by host' : liftAudio ? 'Unmute' : 'Mute';
    this.mic.setAttribute('aria-pressed', String(!audio));
    this.mic.disabled = !hasAudio || this.held.audio;
    this.mic.textContent = micText;
    this.mic.setAttribute('aria-label', micText === 'Mute' ? 'Mute microphone' : micText === 'Unmute' ? 'Unmute microphone' : micText);
    const camText = !hasVideo ? 'No camera' : this.held.video ? 'Camera stopped by host' : liftVideo ? 'Turn camera on' : 'Camera off';
    this.camera.setAttribute('aria-pressed', String(!video));
    this.camera.disabled = !hasVideo || this.held.video;
    this.camera.textContent = camText;
    this.camera.setAttribute('aria-label', camText === 'Camera off' ? 'Turn camera off' : camText);
    const hints = [];
    if (hasAudio && this.held.audio) hints.push('Muted by the host \u2014 you can unmute when the host asks.');
    if (hasVideo && this.held.video) hints.push('Camera stopped by the host \u2014 you can turn it on when the host asks.');
    const text = hints.join(' ');
    if (this.hint.textContent !== text) this.hint.textContent = text;
    this.hint.hidden = text === '';
  }
}
