// Speaking detection: one WebAudio AnalyserNode per audio track, sampled a few
// times a second, with a short hold so the indicator does not flicker.

const sampleMs = 120;
const holdMs = 450;
const threshold = 0.015; // RMS level, on a 0..1 scale

/**
 * @typedef {Object} Watched
 * @property {MediaStreamAudioSourceNode} source
 * @property {AnalyserNode} analyser
 * @property {Float32Array<ArrayBuffer>} buffer
 * @property {(speaking: boolean) => void} onChange
 * @property {boolean} speaking
 * @property {number} lastLoud Time (ms) the level was last above the threshold.
 */

export class SpeakingMeter {
  /** Creates a meter; the AudioContext is made on first use. */
  constructor() {
    /** @private @type {AudioContext | null} */
    this.context = null;
    /** @private @type {Map<string, Watched>} */
    this.watched = new Map();
    /** @private @type {ReturnType<typeof setInterval> | undefined} */
    this.timer = undefined;
  }

  /**
   * Starts watching the audio track under key, replacing what was watched there.
   * @param {string} key E.g. a participant ID.
   * @param {MediaStreamTrack} track
   * @param {(speaking: boolean) => void} onChange
   */
  watch(key, track, onChange) {
    this.unwatch(key);
    const context = this.audioContext();
    if (!context || track.kind !== 'audio') return;
    const source = context.createMediaStreamSource(new MediaStream([track]));
    const analyser = context.createAnalyser();
    analyser.fftSize = 512;
    source.connect(analyser); // analysed only, never played: the video element plays it
    this.watched.set(key, {
      source, analyser, onChange, speaking: false, lastLoud: 0,
      buffer: new Float32Array(new ArrayBuffer(analyser.fftSize * 4)),
    });
    this.timer ??= setInterval(() => this.sample(), sampleMs);
  }

  /**
   * Stops watching key.
   * @param {string} key
   */
  unwatch(key) {
    const w = this.watched.get(key);
    if (!w) return;
    w.source.disconnect();
    if (w.speaking) w.onChange(false);
    this.watched.delete(key);
    if (this.watched.size === 0 && this.timer !== undefined) {
      clearInterval(this.timer);
      this.timer = undefined;
    }
  }

  /** Resumes audio processing; browsers allow it only after a click or key press. */
  resume() {
    if (this.context?.state === 'suspended') this.context.resume().catch(() => {});
  }

  /** Stops everything. */
  close() {
    for (const key of [...this.watched.keys()]) this.unwatch(key);
    this.context?.close().catch(() => {});
    this.context = null;
  }

  /**
   * @private
   * @returns {AudioContext | null}
   */
  audioContext() {
    if (!this.context && typeof AudioContext === 'function') this.context = new AudioContext();
    return this.context;
  }

  /** @private */
  sample() {
    const now = performance.now();
    for (const w of this.watched.values()) {
      w.analyser.getFloatTimeDomainData(w.buffer);
      let sum = 0;
      for (const v of w.buffer) sum += v * v;
      const rms = Math.sqrt(sum / w.buffer.length);
      if (rms > threshold) w.lastLoud = now;
      const speaking = now - w.lastLoud < holdMs;
      if (speaking !== w.speaking) {
        w.speaking = speaking;
        w.onChange(speaking);
      }
    }
  }
}
