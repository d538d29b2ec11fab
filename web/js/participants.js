// The participants panel: everyone admitted, with role, microphone and camera state,
// and for hosts and co-hosts, controls for each person (host-actions.js).

import { el, clear } from './dom.js';
import { roleName, extraLabel } from './roles.js';
import { hasHostActions, buildHostActions } from './host-actions.js';

/** @typedef {import('./protocol-types.js').Person} Person */
/** @typedef {import('./protocol-types.js').Role} Role */
/** @typedef {import('./host-actions.js').HostActions} HostActions */

export class ParticipantsPanel {
  /**
   * @param {HTMLElement} list A <ul>.
   * @param {HTMLElement} heading The panel's heading, which shows the count.
   * @param {HostActions} actions What host controls ask for.
   */
  constructor(list, heading, actions) {
    /** @private @readonly */
    this.list = list;
    /** @private @readonly */
    this.heading = heading;
    /** @private @type {Map<string, Person>} */
    this.people = new Map();
    /** @private */
    this.localId = '';
    /** @private @readonly */
    this.actions = actions;
    /** @private @type {Role | ''} Our own role: hosts and co-hosts get controls. */
    this.viewer = '';
  }

  /**
   * Sets our own role, which decides the controls shown.
   * @param {Role} role
   */
  setViewer(role) {
    if (role === this.viewer) return;
    this.viewer = role;
    this.render();
  }

  /** Redraws, enabling every control again (after the server refused a request). */
  refresh() {
    this.render();
  }

  /** @param {string} id Our own participant ID, marked "(you)". */
  setLocalId(id) {
    this.localId = id;
    this.render();
  }

  /**
   * Replaces the whole roster.
   * @param {Person[]} people
   */
  setAll(people) {
    this.people = new Map(people.map((p) => [p.id, p]));
    this.render();
  }

  /**
   * Adds or updates one person.
   * @param {Person} person
   */
  upsert(person) {
    this.people.set(person.id, person);
    this.render();
  }

  /**
   * @param {string} id
   */
  remove(id) {
    this.people.delete(id);
    this.render();
  }

  /**
   * @param {string} id
   * @returns {Person | undefined}
   */
  get(id) {
    return this.people.get(id);
  }

  /** @returns {Person[]} */
  all() {
    return [...this.people.values()];
  }

  /** @private */
  render() {
    // Rows are redrawn: remember which control had focus, to put it back.
    const active = document.activeElement;
    const focusKey = active instanceof HTMLElement && this.list.contains(active)
      ? `${active.closest('[data-participant]')?.getAttribute('data-participant') ?? ''}/${active.dataset['action'] ?? ''}`
      : '';
    clear(this.list);
    const people = [...this.people.values()].sort((a, b) => rank(a) - rank(b) || a.name.localeCompare(b.name));
    for (const p of people) {
      const self = p.id === this.localId;
      const you = self ? ' (you)' : '';
      const viewer = this.viewer;
      this.list.append(el('li', {
        className: 'person',
        attrs: { 'data-participant': p.id },
        children: [
          el('span', { className: 'person-who', children: [
            el('span', { className: 'person-name', text: p.name + you }),
            p.invitedName && p.invitedName !== p.name
              ? el('span', { className: 'person-invited', text: `(invited as ${p.invitedName})` }) : null,
            extraLabel(p.roleLabel, p.role) ? el('span', { className: 'person-label', text: p.roleLabel }) : null,
          ] }),
          el('span', { className: 'badge', text: roleName(p.role), attrs: { 'data-role': p.role } }),
          el('span', { className: 'states', children: [
            state(p.audio, p.audioBlocked === true, 'Mic on', 'Mic off',
              p.audioHeld === true ? 'Mic stopped by host (until asked)' : 'Mic stopped by host'),
            state(p.video, p.videoBlocked === true, 'Camera on', 'Camera off', 'Camera stopped by host'),
            p.screen === true ? el('span', { className: 'state on sharing', text: 'Sharing screen' }) : null,
          ] }),
          viewer !== '' && hasHostActions(viewer, p, self) ? buildHostActions(viewer, p, this.actions) : null,
        ],
      }));
    }
    this.heading.textContent = `In the meeting (${people.length})`;
    this.list.dataset['empty'] = String(people.length === 0);
    if (focusKey) this.restoreFocus(focusKey);
  }

  /**
   * Puts focus back on the same control, or on the person's row's first control,
   * or on the heading when the person has gone.
   * @private
   * @param {string} key "participant/action"
   */
  restoreFocus(key) {
    const [id = '', action = ''] = key.split('/');
    const row = [...this.list.children].find((li) => li instanceof HTMLElement && li.dataset['participant'] === id);
    const target = row?.querySelector(`button[data-action="${CSS.escape(action)}"]`) ?? row?.querySelector('button');
    if (target instanceof HTMLElement) target.focus();
    else this.heading.focus();
  }
}

/**
 * One microphone or camera state.
 * @param {boolean} on
 * @param {boolean} blocked
 * @param {string} onText
 * @param {string} offText
 * @param {string} blockedText
 * @returns {HTMLElement}
 */
function state(on, blocked, onText, offText, blockedText) {
  if (blocked) return el('span', { className: 'state off blocked', text: blockedText });
  return el('span', { className: on ? 'state on' : 'state off', text: on ? onText : offText });
}

/**
 * Sort order: hosts first.
 * @param {Person} p
 * @returns {number}
 */
function rank(p) {
  return p.role === 'host' ? 0 : p.role === 'co-host' ? 1 : 2;
}
