// The non-modal prompt shown when a host asks us to unmute (unmute_request):
// "Ms Patel asks you to unmute your microphone" with "Unmute" and "Stay muted".
// The participant chooses; nothing is turned on without their click.

import { el, button } from './dom.js';

/** @typedef {import('./protocol-types.js').MediaKind} MediaKind */

/**
 * @typedef {Object} PromptView
 * @property {HTMLElement} root
 * @property {HTMLElement} text
 * @property {HTMLButtonElement} accept
 * @property {HTMLButtonElement} decline
 */

/**
 * Builds the prompt's elements (hidden).
 * @returns {PromptView}
 */
export function buildUnmutePrompt() {
  const text = el('p', { className: 'prompt-text', attrs: { id: 'unmute-prompt-text' } });
  const accept = button('Unmute', { className: 'primary', label: 'Unmute' });
  accept.id = 'unmute-accept';
  const decline = button('Stay muted', { className: 'secondary' });
  decline.id = 'unmute-decline';
  const root = el('div', {
    className: 'prompt',
    attrs: { id: 'unmute-prompt', role: 'group', 'aria-labelledby': 'unmute-prompt-text' },
    children: [text, el('div', { className: 'prompt-actions', children: [accept, decline] })],
  });
  root.hidden = true;
  return { root, text, accept, decline };
}

export class UnmutePrompt {
  /**
   * @param {PromptView} view
   * @param {(kind: MediaKind) => void} onAccept Turns ours on and tells the server.
   * @param {(text: string) => void} announce Tells screen reader users.
   * @param {HTMLElement} focusAfter Gets keyboard focus when the prompt goes while it had it.
   */
  constructor(view, onAccept, announce, focusAfter) {
    /** @private @readonly */
    this.focusAfter = focusAfter;
    /** @private @readonly */
    this.view = view;
    /** @private @readonly */
    this.announce = announce;
    /** @private @type {MediaKind} */
    this.kind = 'audio';
    view.accept.addEventListener('click', () => {
      const kind = this.kind;
      this.hide();
      onAccept(kind);
    });
    view.decline.addEventListener('click', () => this.hide());
  }

  /**
   * Shows a host's request.
   * @param {MediaKind} kind
   * @param {string} by The asking host's name.
   */
  show(kind, by) {
    this.kind = kind;
    const who = by || 'The host';
    const text = kind === 'audio' ? `${who} asks you to unmute your microphone.` : `${who} asks you to turn your camera on.`;
    this.view.text.textContent = text;
    this.view.accept.textContent = kind === 'audio' ? 'Unmute' : 'Turn camera on';
    this.view.accept.setAttribute('aria-label', kind === 'audio' ? 'Unmute my microphone' : 'Turn my camera on');
    this.view.decline.textContent = kind === 'audio' ? 'Stay muted' : 'Keep camera off';
    this.view.root.hidden = false;
    this.announce(text);
  }

  /** Hides the prompt. */
  hide() {
    const hadFocus = this.view.root.contains(document.activeElement);
    this.view.root.hidden = true;
    if (hadFocus) this.focusAfter.focus();
  }
}
