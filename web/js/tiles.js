// The grid of video tiles: our own preview (muted) and one tile per remote
// participant, each with the person's name, a role badge (from the server's role,
// never from the name), microphone and camera state, and a speaking indicator.

import { el } from './dom.js';
import { roleName, extraLabel } from './roles.js';

/** @typedef {import('./protocol-types.js').Person} Person */
/** @typedef {import('./speaking.js').SpeakingMeter} SpeakingMeter */

/**
 * @typedef {Object} Tile
 * @property {HTMLElement} root
 * @property {HTMLVideoElement} video
 * @property {HTMLElement} name
 * @property {HTMLElement} label
 * @property {HTMLElement} badge
 * @property {HTMLElement} micState
 * @property {HTMLElement} camState Shown while a host has stopped the camera.
 * @property {HTMLElement} initial
 */

/**
 * Plays a video element. If the browser refuses to play sound without a click,
 * plays it muted and reports that, so the page can offer a "Turn on sound" button.
 * @param {HTMLVideoElement} video
 * @param {() => void} onSoundBlocked
 */
export function playVideo(video, onSoundBlocked) {
  video.play().catch((err) => {
    if (err instanceof DOMException && err.name === 'NotAllowedError' && !video.muted) {
      video.muted = true;
      video.dataset['soundBlocked'] = 'true';
      onSoundBlocked();
      video.play().catch(() => {});
    }
  });
}

export class TileGrid {
  /**
   * @param {HTMLElement} container The grid element.
   * @param {SpeakingMeter} meter
   * @param {() => void} onSoundBlocked Called when a remote tile could play only muted.
   */
  constructor(container, meter, onSoundBlocked) {
    /** @private @readonly */
    this.container = container;
    /** @private @readonly */
    this.meter = meter;
    /** @private @readonly */
    this.onSoundBlocked = onSoundBlocked;
    /** @private @type {Map<string, Tile>} */
    this.tiles = new Map();
    /** @private @type {string} */
    this.localId = '';
  }

  /**
   * Shows our own preview (muted, mirrored) as the first tile.
   * @param {Person} me
   * @param {MediaStream} stream
   */
  setLocal(me, stream) {
    if (this.localId && this.localId !== me.id) this.remove(this.localId);
    this.localId = me.id;
    const tile = this.tile(me.id, true);
    this.update(me);
    if (tile.video.srcObject !== stream) {
      tile.video.srcObject = stream;
      playVideo(tile.video, () => {});
    }
    const audio = stream.getAudioTracks()[0];
    if (audio) this.meter.watch(me.id, audio, (s) => tile.root.classList.toggle('speaking', s));
  }

  /**
   * Adds or updates a participant's tile.
   * @param {Person} person
   */
  update(person) {
    const tile = this.tile(person.id, person.id === this.localId);
    const you = person.id === this.localId ? ' (you)' : '';
    tile.name.textContent = person.name + you;
    const label = extraLabel(person.roleLabel, person.role);
    tile.label.textContent = label;
    tile.label.hidden = label === '';
    tile.badge.textContent = roleName(person.role);
    tile.badge.dataset['role'] = person.role;
    const audioBlocked = person.audioBlocked === true;
    const videoBlocked = person.videoBlocked === true;
    tile.micState.textContent = audioBlocked ? 'Mic stopped by host' : 'Mic off';
    tile.micState.hidden = person.audio && !audioBlocked;
    tile.camState.hidden = !videoBlocked;
    tile.root.classList.toggle('camera-off', !person.video || videoBlocked);
    tile.initial.textContent = initials(person.name);
    tile.video.setAttribute('aria-label', `Video of ${person.name}`);
  }

  /**
   * Attaches a remote participant's stream to their tile (creating it if the track
   * came before the roster).
   * @param {string} participant
   * @param {MediaStream} stream
   * @param {MediaStreamTrack} track
   */
  attach(participant, stream, track) {
    if (participant === this.localId) return;
    const tile = this.tile(participant, false);
    if (tile.video.srcObject !== stream) {
      tile.video.srcObject = stream;
    }
    playVideo(tile.video, this.onSoundBlocked);
    if (track.kind === 'audio') {
      this.meter.watch(participant, track, (s) => tile.root.classList.toggle('speaking', s));
    }
  }

  /** Unmutes remote tiles that could only play muted (call from a click). */
  unblockSound() {
    for (const tile of this.tiles.values()) {
      if (tile.video.dataset['soundBlocked'] !== 'true') continue;
      delete tile.video.dataset['soundBlocked'];
      tile.video.muted = false;
      tile.video.play().catch(() => {});
    }
  }

  /**
   * Removes a participant's tile.
   * @param {string} participant
   */
  remove(participant) {
    const tile = this.tiles.get(participant);
    if (!tile) return;
    this.meter.unwatch(participant);
    tile.video.srcObject = null;
    tile.root.remove();
    this.tiles.delete(participant);
    this.layout();
  }

  /**
   * Removes every remote tile (keeps our own preview).
   */
  clearRemote() {
    for (const id of [...this.tiles.keys()]) {
      if (id !== this.localId) this.remove(id);
    }
  }

  /**
   * A participant's tile element, if they have one (e.g. to show a reaction on it).
   * @param {string} participant
   * @returns {HTMLElement | undefined}
   */
  element(participant) {
    return this.tiles.get(participant)?.root;
  }

  /** @returns {string[]} IDs of the participants with a tile. */
  ids() {
    return [...this.tiles.keys()];
  }

  /**
   * Returns the tile for participant, creating it if needed.
   * @private
   * @param {string} participant
   * @param {boolean} local
   * @returns {Tile}
   */
  tile(participant, local) {
    const existing = this.tiles.get(participant);
    if (existing) return existing;
    const video = el('video', { attrs: { autoplay: '', playsinline: '' } });
    video.autoplay = true;
    video.playsInline = true;
    if (local) {
      video.muted = true;
      video.classList.add('mirrored');
    }
    const name = el('span', { className: 'tile-name' });
    const label = el('span', { className: 'tile-label' });
    const badge = el('span', { className: 'badge' });
    const micState = el('span', { className: 'mic-off', text: 'Mic off' });
    const camState = el('span', { className: 'mic-off', text: 'Camera stopped by host' });
    camState.hidden = true;
    const initial = el('span', { className: 'tile-initial', attrs: { 'aria-hidden': 'true' } });
    const root = el('figure', {
      className: local ? 'tile local' : 'tile',
      attrs: { 'data-participant': participant },
      children: [
        video,
        initial,
        el('figcaption', { children: [el('span', { className: 'tile-who', children: [name, label] }), badge, micState, camState] }),
      ],
    });
    if (local) this.container.prepend(root); else this.container.append(root);
    const tile = { root, video, name, label, badge, micState, camState, initial };
    this.tiles.set(participant, tile);
    this.layout();
    return tile;
  }

  /** @private Tells CSS how many tiles there are, for the grid's columns. */
  layout() {
    this.container.dataset['count'] = String(Math.min(this.tiles.size, 9));
  }
}

/**
 * Up to two initials of a name, for a tile whose camera is off.
 * @param {string} name
 * @returns {string}
 */
function initials(name) {
  const parts = name.trim().split(/\s+/).filter(Boolean);
  const first = parts[0]?.[0] ?? '';
  const last = parts.length > 1 ? (parts[parts.length - 1]?.[0] ?? '') : '';
  return (first + last).toUpperCase();
}
