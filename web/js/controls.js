// The microphone and camera toggles: they switch the local tracks on and off
// (track.enabled) and report the new state, which the room sends as media{}.
// While a host has stopped our microphone or camera, its track stays off and its
// button is disabled; once allowed again, it stays off until we turn it on.

/**
 * @typedef {Object} MediaState
 * @property {boolean} audio Microphone on.
 * @property {boolean} video Camera on.
 */

export class MediaToggles {
  /**
   * @param {HTMLButtonElement} mic
   * @param {HTMLButtonElement} camera
   * @param {MediaStream} stream
   * @param {(state: MediaState) => void} onChange
   */
  constructor(mic, camera, stream, onChange) {
    /** @private @readonly */
    this.mic = mic;
    /** @private @readonly */
    this.camera = camera;
    /** @private @readonly */
    this.stream = stream;
    /** @private @readonly */
    this.onChange = onChange;
    /** @private Stopped by a host. */
    this.blocked = { audio: false, video: false };
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
   * @param {'audio' | 'video'} kind
   * @returns {boolean} Whether a host has stopped it.
   */
  isBlocked(kind) {
    return this.blocked[kind];
  }

  /**
   * A host stopped (true) or allowed again (false) our microphone or camera.
   * Stopping turns the track off; allowing leaves it off. Does not call onChange.
   * @param {'audio' | 'video'} kind
   * @param {boolean} blocked
   */
  setBlocked(kind, blocked) {
    this.blocked[kind] = blocked;
    if (blocked) {
      const tracks = kind === 'audio' ? this.stream.getAudioTracks() : this.stream.getVideoTracks();
      for (const t of tracks) t.enabled = false;
    }
    this.render();
  }

  /**
   * @private
   * @param {'audio' | 'video'} kind
   */
  toggle(kind) {
    const tracks = kind === 'audio' ? this.stream.getAudioTracks() : this.stream.getVideoTracks();
    if (tracks.length === 0 || this.blocked[kind]) return;
    const on = !this.state[kind];
    for (const t of tracks) t.enabled = on;
    this.render();
    this.onChange(this.state);
  }

  /**
   * @private Shows the state. The names stay fixed ("Mute", "Camera off") and
   * aria-pressed is true while they are in effect, so name and state never disagree.
   */
  render() {
    const { audio, video } = this.state;
    const hasAudio = this.stream.getAudioTracks().length > 0;
    const hasVideo = this.stream.getVideoTracks().length > 0;
    const micText = !hasAudio ? 'No microphone' : this.blocked.audio ? 'Muted by host' : 'Mute';
    this.mic.setAttribute('aria-pressed', String(!audio));
    this.mic.disabled = !hasAudio || this.blocked.audio;
    this.mic.textContent = micText;
    this.mic.setAttribute('aria-label', micText === 'Mute' ? 'Mute microphone' : micText);
    const camText = !hasVideo ? 'No camera' : this.blocked.video ? 'Camera stopped by host' : 'Camera off';
    this.camera.setAttribute('aria-pressed', String(!video));
    this.camera.disabled = !hasVideo || this.blocked.video;
    this.camera.textContent = camText;
    this.camera.setAttribute('aria-label', camText === 'Camera off' ? 'Turn camera off' : camText);
  }
}
