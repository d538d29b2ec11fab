// The participants panel: everyone admitted, with role, microphone and camera state.

import { el, clear } from './dom.js';
import { roleName, extraLabel } from './roles.js';

/** @typedef {import('./protocol.js').Person} Person */

export class ParticipantsPanel {
  /**
   * @param {HTMLElement} list A <ul>.
   * @param {HTMLElement} heading The panel's heading, which shows the count.
   */
  constructor(list, heading) {
    /** @private @readonly */
    this.list = list;
    /** @private @readonly */
    this.heading = heading;
    /** @private @type {Map<string, Person>} */
    this.people = new Map();
    /** @private */
    this.localId = '';
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
    clear(this.list);
    const people = [...this.people.values()].sort((a, b) => rank(a) - rank(b) || a.name.localeCompare(b.name));
    for (const p of people) {
      const you = p.id === this.localId ? ' (you)' : '';
      this.list.append(el('li', {
        className: 'person',
        children: [
          el('span', { className: 'person-who', children: [
            el('span', { className: 'person-name', text: p.name + you }),
            extraLabel(p.roleLabel, p.role) ? el('span', { className: 'person-label', text: p.roleLabel }) : null,
          ] }),
          el('span', { className: 'badge', text: roleName(p.role), attrs: { 'data-role': p.role } }),
          el('span', { className: 'states', children: [
            el('span', { className: p.audio ? 'state on' : 'state off', text: p.audio ? 'Mic on' : 'Mic off' }),
            el('span', { className: p.video ? 'state on' : 'state off', text: p.video ? 'Camera on' : 'Camera off' }),
          ] }),
        ],
      }));
    }
    this.heading.textContent = `In the meeting (${people.length})`;
    this.list.dataset['empty'] = String(people.length === 0);
  }
}

/**
 * Sort order: hosts first.
 * @param {Person} p
 * @returns {number}
 */
function rank(p) {
  return p.role === 'host' ? 0 : p.role === 'co-host' ? 1 : 2;
}
