// Showing a personal invitation link the one time it exists in readable form: the
// server keeps only a hash of it, so once this panel is gone it cannot be shown again.

import { el, button, setStatus } from './dom.js';

/**
 * Copies text to the clipboard, falling back to selecting it for Ctrl+C.
 * @param {HTMLInputElement} source The input holding the text.
 * @returns {Promise<boolean>} Whether it was copied.
 */
async function copy(source) {
  try {
    await navigator.clipboard.writeText(source.value);
    return true;
  } catch {
    source.focus();
    source.select();
    return false;
  }
}

/**
 * Shows link for name in slot, replacing any link shown before, and moves focus to it.
 * @param {HTMLElement} slot
 * @param {string} name The invitee's name.
 * @param {string} link
 */
export function showLinkOnce(slot, name, link) {
  const linkInput = el('input', { attrs: { id: 'invite-link', type: 'text', readonly: '', spellcheck: 'false', autocomplete: 'off' } });
  linkInput.value = link;
  linkInput.addEventListener('focus', () => linkInput.select());
  const copyStatus = el('p', { className: 'status', attrs: { role: 'status', 'aria-live': 'polite' } });
  copyStatus.hidden = true;
  const copyButton = button('Copy link', { className: 'primary', label: `Copy ${name}\u2019s link` });
  copyButton.addEventListener('click', async () => {
    if (await copy(linkInput)) setStatus(copyStatus, 'Copied. Send it to them in a private message.', 'ok');
    else setStatus(copyStatus, 'The link is selected: press Ctrl+C (or \u2318+C) to copy it.', 'info');
  });
  const done = button('Done', { label: 'Done, hide the link' });
  const heading = el('h2', { text: `Personal link for ${name}`, attrs: { id: 'invite-link-title', tabindex: '-1' } });
  const panel = el('section', {
    className: 'card link-once',
    attrs: { id: 'invite-link-panel', 'aria-labelledby': 'invite-link-title' },
    children: [
      heading,
      el('p', { children: [
        el('strong', { text: 'This link is shown only once. ' }),
        'The server keeps only a fingerprint of it, so it cannot show it again. ' +
        'Copy it now and send it only to this person. If it is lost, use \u201cNew link\u201d: the old link then stops working.',
      ] }),
      el('div', { className: 'field', children: [
        el('label', { text: 'Link', attrs: { for: 'invite-link' } }),
        el('div', { className: 'copy-row', children: [linkInput, copyButton] }),
      ] }),
      copyStatus,
      done,
    ],
  });
  done.addEventListener('click', () => {
    if (!window.confirm('Hide the link? It cannot be shown again.')) return;
    panel.remove();
  });
  slot.replaceChildren(panel);
  heading.focus();
}
