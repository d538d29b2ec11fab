// The participation contract on the invitee's waiting screen: the meeting's
// rules (from welcome), and "I agree to these rules". The host cannot let the
// invitee in before they agree; the server enforces that.

import { el, button, setStatus } from './dom.js';

/** @typedef {import('./protocol.js').Connection} Connection */
/** @typedef {import('./protocol-types.js').WelcomeContract} WelcomeContract */

export class ContractPrompt {
  /**
   * Builds the prompt (hidden until a welcome brings a contract) into the
   * waiting screen, below its introduction, and listens to conn.
   * @param {HTMLElement} waitingScreen
   * @param {Connection} conn
   */
  constructor(waitingScreen, conn) {
    /** @private @readonly */
    this.conn = conn;
    /** @private */
    this.hash = '';
    /** @private @readonly */
    this.text = el('div', { className: 'contract-text', attrs: { tabindex: '0', role: 'region', 'aria-label': 'Participation contract' } });
    /** @private @readonly */
    this.agree = button('I agree to these rules', { className: 'primary' });
    /** @private @readonly */
    this.reload = button('Read the new rules', { onClick: () => location.reload() });
    this.reload.hidden = true;
    /** @private @readonly */
    this.status = el('p', { className: 'status', attrs: { role: 'status', 'aria-live': 'polite' } });
    this.status.hidden = true;
    /** @private @readonly */
    this.intro = el('p', { text: 'Please read the rules for this meeting. The host can let you in once you have agreed to them.' });
    /** @private @readonly */
    this.root = el('section', {
      className: 'contract-prompt',
      attrs: { id: 'contract-prompt', 'aria-labelledby': 'contract-title' },
      children: [
        el('h3', { text: 'Rules for taking part', attrs: { id: 'contract-title' } }),
        this.intro, this.text, this.status,
        el('div', { className: 'actions', children: [this.agree, this.reload] }),
      ],
    });
    this.root.hidden = true;
    const intro = waitingScreen.querySelector('h2 + p');
    if (intro) intro.after(this.root); else waitingScreen.append(this.root);

    this.agree.addEventListener('click', () => {
      if (!this.conn.acceptContract(this.hash)) {
        setStatus(this.status, 'Not connected to the meeting. Please try again in a moment.', 'error');
        return;
      }
      this.agree.disabled = true;
      setStatus(this.status, 'Sending\u2026');
    });
    conn.on('welcome', (msg) => this.set(msg.contract));
    conn.on('contract', (msg) => {
      if (msg.accepted) this.accepted(true);
    });
    conn.on('error', (msg) => {
      if (msg.code === 'contract_changed') {
        // The room's status shows the server's sentence; here, the way on.
        this.agree.hidden = true;
        this.reload.hidden = false;
        setStatus(this.status, 'The rules have changed since this page opened. Please read the new rules.', 'error');
      } else if (msg.ref === 'accept_contract') {
        this.agree.disabled = false;
        setStatus(this.status, msg.message, 'error');
      }
    });
  }

  /**
   * Shows the contract from welcome (or hides the prompt when there is none).
   * @private
   * @param {WelcomeContract | undefined} contract
   */
  set(contract) {
    if (!contract || !contract.text) {
      this.root.hidden = true;
      return;
    }
    this.hash = contract.hash;
    this.text.textContent = contract.text;
    this.intro.textContent = 'Please read the rules for this meeting. The host can let you in once you have agreed to them.';
    this.root.hidden = false;
    this.reload.hidden = true;
    this.agree.hidden = false;
    this.agree.disabled = false;
    setStatus(this.status, '');
    if (contract.accepted) this.accepted(false);
  }

  /**
   * The contract is accepted: thank the invitee and take the button away.
   * @private
   * @param {boolean} justNow Whether they agreed on this page (move focus off the button).
   */
  accepted(justNow) {
    const hadFocus = this.agree.contains(document.activeElement);
    this.agree.hidden = true;
    this.intro.textContent = 'You have agreed to the rules for this meeting.';
    setStatus(this.status, justNow ? 'Thank you \u2014 the host can now let you in.' : 'You have agreed to these rules. The host can let you in.', 'ok');
    if (hadFocus) this.text.focus();
  }
}
