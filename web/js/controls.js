// The microphone and camera toggles: they switch the local tracks on and off
// (track.enabled) and report the new state, which the room sends as media{}.

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
   * @private
   * @param {'audio' | 'video'} kind
   */
  toggle(kind) {
    const tracks = kind === 'audio' ? this.stream.getAudioTracks() : this.stream.getVideoTracks();
    if (tracks.length === 0) return;
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
    this.mic.setAttribute('aria-pressed', String(!audio));
    this.mic.disabled = !hasAudio;
    this.mic.textContent = hasAudio ? 'Mute' : 'No microphone';
    this.mic.setAttribute('aria-label', hasAudio ? 'Mute microphone' : 'No microphone');
    this.camera.setAttribute('aria-pressed', String(!video));
    this.camera.disabled = !hasVideo;
    this.camera.textContent = hasVideo ? 'Camera off' : 'No camera';
    this.camera.setAttribute('aria-label', hasVideo ? 'Turn camera off' : 'No camera');
  }
}
