// "Change my name": where the rules let participants rename themselves, a small
// form that asks the server (rename{name}). The server normalises the name and
// refuses look-alikes of hosts' names and staff titles with its own sentence;
// the name shown is always the one the server sends back.

import { el, button, input, field } from './dom.js';

export class RenameControl {
  /**
   * @param {HTMLElement} host Where the control goes (hidden while names are fixed).
   * @param {(name: string) => boolean} rename Sends rename; false if not connected.
   * @param {(text: string, kind: 'info' | 'error') => void} say
   */
  constructor(host, rename, say) {
    /** @private @readonly */
    this.host = host;
    const name = input('rename-input', 'text', { maxlength: '40', autocomplete: 'nickname', required: '' });
    const save = button('Save name', { type: 'submit', className: 'primary' });
    const form = el('form', { className: 'rename-form', children: [
      field('The name others see', name, '1 to 40 characters. Hosts can see the name on your invitation.'), save,
    ] });
    form.noValidate = true;
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      const value = name.value.trim();
      if (!value) {
        say('Please type a name.', 'error');
        name.focus();
        return;
      }
      if (!rename(value)) say('Not connected to the meeting. Please try again in a moment.', 'error');
    });
    /** @private @readonly */
    this.name = name;
    /** @private @readonly */
    this.details = el('details', { className: 'rename', children: [el('summary', { text: 'Change my name' }), form] });
    host.replaceChildren(this.details);
    host.hidden = true;
  }

  /**
   * Shows the control where names may be changed.
   * @param {boolean} renamable
   * @param {string} current Our name now, as the server says.
   */
  set(renamable, current) {
    this.host.hidden = !renamable;
    if (!renamable) this.details.open = false;
    if (document.activeElement !== this.name) this.name.value = current;
  }

  /** The server took the new name: close the form. */
  done() {
    const hadFocus = this.details.contains(document.activeElement);
    this.details.open = false;
    if (hadFocus) this.details.querySelector('summary')?.focus();
  }
}
