// The stage: a screen share shown large to everyone, above the tiles, labelled
// "<name> is sharing their screen". It shows a share while the server says the
// person's screen is forwarded (Person.screen) and their screen track has
// arrived; it goes when either ends. Our own share shows as a line of text with
// a way to stop it, never as a picture (a tab showing itself would repeat forever).

import { el, button } from './dom.js';
import { playVideo } from './tiles.js';

/** @typedef {import('./protocol-types.js').Person} Person */

/**
 * @typedef {Object} StageView
 * @property {HTMLElement} root The stage's section (hidden while nobody shares).
 * @property {HTMLVideoElement} video
 * @property {HTMLElement} caption
 * @property {HTMLButtonElement} stop "Stop sharing" for hosts (someone else's) or us.
 */

/**
 * Builds the stage's elements.
 * @returns {StageView}
 */
export function buildStage() {
  const video = el('video', { attrs: { autoplay: '', playsinline: '', id: 'screen-video' } });
  video.autoplay = true;
  video.playsInline = true;
  video.muted = true; // a screen share carries no sound here
  const caption = el('p', { className: 'screen-caption', attrs: { id: 'screen-caption' } });
  const stop = button('Stop sharing', { className: 'control danger screen-stop' });
  stop.hidden = true;
  const root = el('section', {
    className: 'screen-stage',
    attrs: { id: 'screen-stage', 'aria-labelledby': 'screen-caption' },
    children: [video, el('div', { className: 'screen-bar', children: [caption, stop] })],
  });
  root.hidden = true;
  return { root, video, caption, stop };
}

/**
 * @typedef {Object} StageCallbacks
 * @property {() => void} stopOwn We stop our own share.
 * @property {(participant: string) => boolean} stopOther A host stops someone's share.
 * @property {(text: string) => void} announce Tells screen reader users.
 */

export class ScreenStage {
  /**
   * @param {StageView} view
   * @param {StageCallbacks} callbacks
   */
  constructor(view, callbacks) {
    /** @private @readonly */
    this.view = view;
    /** @private @readonly */
    this.callbacks = callbacks;
    /** @private @type {Map<string, MediaStream>} Screen streams received, by publisher. */
    this.streams = new Map();
    /** @private @type {Map<string, Person>} People the server says are sharing. */
    this.sharing = new Map();
    /** @private */
    this.localId = '';
    /** @private @type {string} Our role: hosts and co-hosts may stop others' shares. */
    this.viewer = '';
    /** @private Who is on the stage now ('' for nobody, localId for us). */
    this.shown = '';
    view.stop.addEventListener('click', () => {
      if (this.shown === this.localId) this.callbacks.stopOwn();
      else if (this.shown && this.callbacks.stopOther(this.shown)) this.view.stop.disabled = true;
    });
  }

  /**
   * Who we are, and our role (which decides whose shares we may stop).
   * @param {string} localId
   * @param {string} role
   */
  setViewer(localId, role) {
    if (localId === this.localId && role === this.viewer) return;
    this.localId = localId;
    this.viewer = role;
    this.render();
  }

  /**
   * Follows a participant entry (theirs or ours).
   * @param {Person} person
   */
  update(person) {
    if (person.screen === true) this.sharing.set(person.id, person);
    else this.sharing.delete(person.id);
    this.render();
  }

  /**
   * A participant's screen track arrived.
   * @param {string} participant
   * @param {MediaStream} stream
   * @param {MediaStreamTrack} track
   */
  attach(participant, stream, track) {
    this.streams.set(participant, stream);
    const forget = () => {
      if (this.streams.get(participant) !== stream) return;
      if (stream.getVideoTracks().some((t) => t.readyState === 'live')) return;
      this.streams.delete(participant);
      this.render();
    };
    track.addEventListener('ended', forget);
    stream.addEventListener('removetrack', forget);
    this.render();
  }

  /**
   * A participant left: forget their share.
   * @param {string} participant
   */
  remove(participant) {
    this.sharing.delete(participant);
    this.streams.delete(participant);
    this.render();
  }

  /** Forgets everyone's shares (we left the room or reconnected). */
  clear() {
    this.sharing.clear();
    this.streams.clear();
    this.render();
  }

  /** @private */
  render() {
    const v = this.view;
    /** @type {string} */
    let who = '';
    if (this.sharing.has(this.localId)) who = this.localId;
    else {
      for (const id of this.sharing.keys()) {
        if (this.streams.has(id)) { who = id; break; }
      }
    }
    const person = who ? this.sharing.get(who) : undefined;
    const own = who !== '' && who === this.localId;
    const stream = who && !own ? this.streams.get(who) ?? null : null;
    if (v.video.srcObject !== stream) {
      v.video.srcObject = stream;
      if (stream) playVideo(v.video, () => {});
    }
    v.video.hidden = !stream;
    v.root.hidden = !person;
    v.root.dataset['participant'] = who;
    v.root.classList.toggle('own', own);
    const caption = !person ? '' : own ? 'You are sharing your screen' : `${person.name} is sharing their screen`;
    v.caption.textContent = caption;
    v.video.setAttribute('aria-label', caption ? `Screen of ${person?.name ?? ''}` : 'Screen share');
    // The server decides; the button is offered where it would agree.
    const stoppable = own || (person !== undefined && ((this.viewer === 'host' && person.role !== 'host') ||
      (this.viewer === 'co-host' && person.role === 'participant')));
    v.stop.hidden = !stoppable;
    v.stop.setAttribute('aria-label', own ? 'Stop sharing your screen' : `Stop the screen share of ${person?.name ?? ''}`);
    if (who !== this.shown) {
      v.stop.disabled = false;
      if (caption) this.callbacks.announce(`${caption}.`);
      else if (this.shown && this.shown !== this.localId) this.callbacks.announce('The screen share has ended.');
      this.shown = who;
    }
  }
}
