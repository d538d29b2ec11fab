// The enter/exit chime: two short notes made with a Web Audio oscillator (no
// sound file), rising when someone joins, falling when someone leaves. Browsers
// start audio only after a click or key press, so resume() is called from one;
// until then the chime is silent and only the visible notice shows.

/** Notes in Hz, in order. */
const notes = { join: [660, 880], leave: [880, 587] };
const noteSeconds = 0.16;
const volume = 0.12;

export class Chime {
  constructor() {
    /** @private @type {AudioContext | null} */
    this.context = null;
  }

  /** Lets the chime sound; call from a click or key press. */
  resume() {
    const context = this.audioContext();
    if (context?.state === 'suspended') context.resume().catch(() => {});
  }

  /**
   * Plays the chime for someone joining or leaving, if audio may play.
   * @param {'join' | 'leave'} kind
   */
  play(kind) {
    const context = this.audioContext();
    if (!context || context.state !== 'running') return;
    const start = context.currentTime + 0.01;
    notes[kind].forEach((freq, i) => {
      const t = start + i * noteSeconds;
      const osc = context.createOscillator();
      const gain = context.createGain();
      osc.type = 'sine';
      osc.frequency.value = freq;
      gain.gain.setValueAtTime(0, t);
      gain.gain.linearRampToValueAtTime(volume, t + 0.02);
      gain.gain.exponentialRampToValueAtTime(0.0001, t + noteSeconds);
      osc.connect(gain).connect(context.destination);
      osc.start(t);
      osc.stop(t + noteSeconds + 0.02);
    });
  }

  /** Releases the audio context. */
  close() {
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
}
