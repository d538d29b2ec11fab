// The host's waiting-room panel: each waiting person's name and role label (from
// their invitation), their age group, whether they have agreed to the
// participation contract and, for an under-16, whose consent let them come,
// with Admit and Deny buttons, one person at a time, and an "Admit all" button
// while anyone waits. Admit waits until the contract is agreed to.

import { el, button, formatTime, formatDateTime } from './dom.js';
import { ageGroupText } from './invitee-text.js';

/** @typedef {import('./protocol-types.js').WaitingPerson} WaitingPerson */

/**
 * @typedef {Object} WaitingActions
 * @property {(id: string) => boolean} admit Returns false if it could not be sent.
 * @property {(id: string) => boolean} deny
 * @property {() => boolean} admitAll
 * @property {(text: string) => void} announce Says something in the polite live region.
 */

export class WaitingPanel {
  /**
   * @param {HTMLElement} panel The panel (hidden while nobody waits is up to CSS).
   * @param {HTMLElement} list A <ul>.
   * @param {HTMLElement} heading Shows the count.
   * @param {HTMLButtonElement} admitAll Shown while anyone waits.
   * @param {WaitingActions} actions
   */
  constructor(panel, list, heading, admitAll, actions) {
    /** @private @readonly */
    this.panel = panel;
    /** @private @readonly */
    this.list = list;
    /** @private @readonly */
    this.heading = heading;
    /** @private @readonly */
    this.actions = actions;
    /** @private @type {Map<string, HTMLLIElement>} */
    this.rows = new Map();
    /** @private @type {Map<string, (person: WaitingPerson) => void>} Brings a row up to date. */
    this.updates = new Map();
    /** @private @type {Set<string>} IDs whose Admit or Deny was sent (their buttons stay disabled). */
    this.pending = new Set();
    /** @private */
    this.first = true;
    /** @private @readonly */
    this.admitAll = admitAll;
    admitAll.addEventListener('click', () => {
      if (!this.actions.admitAll()) {
        this.actions.announce('Not connected to the meeting. Please try again in a moment.');
        return;
      }
      // Focus moves to the heading before the button is disabled and the rows go.
      this.heading.focus();
      admitAll.disabled = true;
      // People who have not accepted the contract stay waiting, and their Deny stays usable.
      for (const [id, row] of this.rows) {
        if (row.querySelector('button.admit[data-blocked="true"]')) continue;
        this.pending.add(id);
        row.querySelectorAll('button').forEach((b) => { b.disabled = true; });
      }
    });
  }

  /** Forgets the list (we are no longer a host, or no longer in the room). */
  reset() {
    this.set([]);
    this.first = true;
  }

  /**
   * Shows the waiting list the server sent. Rows of people still waiting are kept,
   * so keyboard focus stays where it was.
   * @param {WaitingPerson[]} people
   */
  set(people) {
    const ids = new Set(people.map((p) => p.id));
    let focusLost = false;
    for (const [id, row] of this.rows) {
      if (ids.has(id)) continue;
      if (row.contains(document.activeElement)) focusLost = true;
      row.remove();
      this.rows.delete(id);
      this.updates.delete(id);
      this.pending.delete(id);
    }
    const arrived = [];
    for (const person of people) {
      const update = this.updates.get(person.id);
      if (update) {
        update(person);
        continue;
      }
      const row = this.row(person);
      this.rows.set(person.id, row);
      this.list.append(row);
      arrived.push(person);
    }
    if (!this.first && arrived.length > 0) {
      this.actions.announce(arrived.map((p) => `${p.name} (${p.roleLabel}) is waiting to join.`).join(' '));
    } else if (this.first && people.length > 0) {
      this.actions.announce(people.length === 1 ? 'One person is in the waiting room.' : `${people.length} people are in the waiting room.`);
    }
    this.first = false;
    this.heading.textContent = `Waiting room (${people.length})`;
    this.panel.dataset['count'] = String(people.length);
    this.list.dataset['empty'] = String(people.length === 0);
    if (this.admitAll.contains(document.activeElement) && people.length === 0) focusLost = true;
    this.admitAll.hidden = people.length === 0;
    this.admitAll.disabled = false;
    if (focusLost) this.heading.focus();
  }

  /** Re-enables every row's buttons (after the server refused an admit or deny). */
  enableAll() {
    this.admitAll.disabled = false;
    this.pending.clear();
    for (const row of this.rows.values()) {
      row.querySelectorAll('button').forEach((b) => { b.disabled = b.dataset['blocked'] === 'true'; });
    }
  }

  /**
   * @private
   * @param {WaitingPerson} person
   * @returns {HTMLLIElement}
   */
  row(person) {
    const who = `${person.name} (${person.roleLabel})`;
    const admit = button('Admit', { className: 'primary admit', label: `Admit ${who}` });
    const deny = button('Deny', { className: 'danger deny', label: `Deny ${who}` });
    /** @param {(id: string) => boolean} action */
    const act = (action) => {
      if (!action(person.id)) {
        this.actions.announce('Not connected to the meeting. Please try again in a moment.');
        return;
      }
      this.pending.add(person.id);
      admit.disabled = true;
      deny.disabled = true;
    };
    admit.addEventListener('click', () => act(this.actions.admit));
    deny.addEventListener('click', () => act(this.actions.deny));
    const since = person.since ? formatTime(person.since) : '';
    const contractId = `waiting-${person.id}-contract`;
    const contract = el('span', { className: 'person-contract', attrs: { id: contractId } });
    const details = el('span', { className: 'person-since' });
    const row = el('li', {
      className: 'waiting-person',
      attrs: { 'data-participant': person.id },
      children: [
        el('span', { className: 'person-who', children: [
          el('span', { className: 'person-name', text: person.name }),
          el('span', { className: 'person-label', text: person.roleLabel }),
          details,
          contract,
          since ? el('span', { className: 'person-since', text: `waiting since ${since}` }) : null,
        ] }),
        el('span', { className: 'actions', children: [admit, deny] }),
      ],
    });
    /** @param {WaitingPerson} p */
    const update = (p) => {
      const parts = [];
      if (p.ageGroup) parts.push(ageGroupText(p.ageGroup));
      if (p.ageGroup === 'under16' && p.consent) parts.push(`Consent given by ${p.consent.by} at ${formatDateTime(p.consent.at)}`);
      details.textContent = parts.join(' \u00b7 ');
      details.hidden = parts.length === 0;
      // No contractAccepted: a server (or meeting) without a contract; nothing to wait for.
      const blocked = p.contractAccepted === false;
      contract.hidden = p.contractAccepted === undefined;
      contract.textContent = blocked
        ? 'Has not accepted the participation contract yet'
        : 'Accepted the participation contract';
      contract.dataset['accepted'] = String(!blocked);
      const wasBlocked = admit.dataset['blocked'] === 'true';
      admit.dataset['blocked'] = String(blocked);
      if (blocked) admit.setAttribute('aria-describedby', contractId); else admit.removeAttribute('aria-describedby');
      admit.disabled = blocked || this.pending.has(p.id);
      if (wasBlocked && !blocked) this.actions.announce(`${p.name} has accepted the participation contract and can be let in.`);
    };
    update(person);
    this.updates.set(person.id, update);
    return row;
  }
}
