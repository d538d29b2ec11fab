// Our own microphone and camera as the server sees them: a host's blocks (and
// whether they are ours to lift), muted-on-entry, a host's request to unmute,
// and a refused unmute. The buttons themselves are controls.js; this keeps the
// local tracks, the server (media{}, unmute{}) and the person's status in step.

/** @typedef {import('./protocol-types.js').Person} Person */
/** @typedef {import('./protocol-types.js').MediaKind} MediaKind */
/** @typedef {import('./controls.js').MediaToggles} MediaToggles */
/** @typedef {import('./controls.js').MediaState} MediaState */

/**
 * @typedef {Object} OwnMediaDeps
 * @property {(audio: boolean, video: boolean) => boolean} media Sends media{}.
 * @property {(kind: MediaKind) => boolean} unmute Sends unmute{}.
 * @property {(text: string) => void} say Shows a sentence in the status area.
 * @property {(state: MediaState) => void} changed Our microphone or camera went on or off.
 */

export class OwnMedia {
  /**
   * @param {MediaToggles} toggles
   * @param {OwnMediaDeps} deps
   */
  constructor(toggles, deps) {
    /** @private @readonly */
    this.toggles = toggles;
    /** @private @readonly */
    this.deps = deps;
  }

  /**
   * Follows a host stopping or allowing our microphone or camera.
   * @param {Person} p Our own entry from the server.
   * @param {boolean} quiet Do not say it (the entry is part of the roster on entering).
   */
  applyBlocks(p, quiet) {
    const before = this.toggles.state;
    /** @type {Array<[MediaKind, boolean, boolean, string, string]>} */
    const kinds = [
      ['audio', p.audioBlocked === true, p.audioHeld === true, 'The host muted your microphone.', 'The host allows you to unmute.'],
      ['video', p.videoBlocked === true, p.videoHeld === true, 'The host stopped your camera.', 'The host allows you to turn your camera on.'],
    ];
    const said = [];
    for (const [kind, blocked, held, stopped, allowed] of kinds) {
      const changed = this.toggles.isBlocked(kind) !== blocked;
      this.toggles.setBlocked(kind, blocked, held);
      if (changed) said.push(blocked ? stopped : allowed);
    }
    if (said.length > 0 && !quiet) this.deps.say(said.join(' '));
    this.report(before);
  }

  /** Admitted muted (the profile's muted-on-entry): microphone and camera start off. */
  mutedOnEntry() {
    const before = this.toggles.state;
    this.toggles.set('audio', false);
    this.toggles.set('video', false);
    this.report(before);
  }

  /**
   * We said yes to a host's request: turn ours on and lift the block.
   * @param {MediaKind} kind
   */
  acceptUnmute(kind) {
    const before = this.toggles.state;
    this.toggles.set(kind, true);
    this.deps.unmute(kind);
    this.report(before);
  }

  /** The server did not let us lift a block: turn what is still blocked off again. */
  unmuteRefused() {
    const before = this.toggles.state;
    for (const kind of /** @type {MediaKind[]} */ (['audio', 'video'])) {
      if (this.toggles.isBlocked(kind)) this.toggles.set(kind, false);
    }
    this.report(before);
  }

  /**
   * Tells the server and the page if our state changed since before.
   * @private
   * @param {MediaState} before
   */
  report(before) {
    const after = this.toggles.state;
    if (after.audio === before.audio && after.video === before.video) return;
    this.deps.media(after.audio, after.video);
    this.deps.changed(after);
  }
}
