// Small DOM helpers. Everything the client shows is built with createElement and
// textContent, never innerHTML, so text from people and the server stays text.

/**
 * @typedef {Object} ElOptions
 * @property {string} [className]
 * @property {string} [text] Text content (set with textContent).
 * @property {Record<string, string>} [attrs] Attributes, e.g. aria-label or data-*.
 * @property {Array<Node | string | null | undefined | false>} [children]
 */

/**
 * Creates an element.
 * @template {keyof HTMLElementTagNameMap} K
 * @param {K} tag
 * @param {ElOptions} [options]
 * @returns {HTMLElementTagNameMap[K]}
 */
export function el(tag, options = {}) {
  const node = document.createElement(tag);
  if (options.className) node.className = options.className;
  if (options.text !== undefined) node.textContent = options.text;
  for (const [name, value] of Object.entries(options.attrs ?? {})) {
    node.setAttribute(name, value);
  }
  for (const child of options.children ?? []) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child);
  }
  return node;
}

/**
 * Removes every child of node.
 * @param {Node} node
 */
export function clear(node) {
  while (node.firstChild) node.removeChild(node.firstChild);
}

/**
 * Returns the element with id, or throws: pages are static, so a missing element
 * is a programming error.
 * @template {HTMLElement} T
 * @param {string} id
 * @param {{ new (): T }} type The element's constructor, e.g. HTMLFormElement.
 * @returns {T}
 */
export function byId(id, type) {
  const node = document.getElementById(id);
  if (!(node instanceof type)) throw new Error(`missing #${id}`);
  return node;
}

/**
 * Creates a labelled form field: a label and its control, wrapped in a div.
 * @param {string} label Visible label text.
 * @param {HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement} control Must have an id.
 * @param {string} [hint] Optional help text, linked with aria-describedby.
 * @returns {HTMLDivElement}
 */
export function field(label, control, hint) {
  const wrap = el('div', { className: 'field' });
  const labelEl = el('label', { text: label, attrs: { for: control.id } });
  wrap.append(labelEl, control);
  if (hint) {
    const hintId = `${control.id}-hint`;
    wrap.append(el('p', { className: 'hint', text: hint, attrs: { id: hintId } }));
    control.setAttribute('aria-describedby', hintId);
  }
  return wrap;
}

/**
 * Creates an input element.
 * @param {string} id
 * @param {string} type
 * @param {Record<string, string>} [attrs]
 * @returns {HTMLInputElement}
 */
export function input(id, type, attrs = {}) {
  return el('input', { attrs: { id, name: id, type, ...attrs } });
}

/**
 * Creates a button. Buttons are type="button" unless told otherwise, so they never
 * submit a form by accident.
 * @param {string} text Visible text.
 * @param {{ type?: 'button' | 'submit', className?: string, label?: string, onClick?: (event: MouseEvent) => void }} [options]
 * @returns {HTMLButtonElement}
 */
export function button(text, options = {}) {
  const b = el('button', { text, className: options.className ?? '' });
  b.type = options.type ?? 'button';
  if (options.label) b.setAttribute('aria-label', options.label);
  if (options.onClick) b.addEventListener('click', options.onClick);
  return b;
}

/**
 * Shows a message in a status element (which should be an aria-live region), or
 * clears it when message is empty.
 * @param {HTMLElement} target
 * @param {string} message
 * @param {'info' | 'error' | 'ok'} [kind]
 */
export function setStatus(target, message, kind = 'info') {
  target.textContent = message;
  target.dataset['kind'] = kind;
  target.hidden = message === '';
}

/**
 * Formats an RFC 3339 time for people, in their own time zone.
 * @param {string} iso
 * @returns {string}
 */
export function formatDateTime(iso) {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' }).format(date);
}

/**
 * Runs an async form handler, disabling the form's submit buttons meanwhile so a
 * double click sends one request.
 * @param {HTMLFormElement} form
 * @param {() => Promise<void>} handler
 */
export function onSubmit(form, handler) {
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const buttons = form.querySelectorAll('button[type="submit"]');
    buttons.forEach((b) => { if (b instanceof HTMLButtonElement) b.disabled = true; });
    try {
      await handler();
    } finally {
      buttons.forEach((b) => { if (b instanceof HTMLButtonElement) b.disabled = false; });
    }
  });
}

/**
 * Formats an RFC 3339 time of day for people, e.g. "14:05".
 * @param {string} iso
 * @returns {string}
 */
export function formatTime(iso) {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '';
  return new Intl.DateTimeFormat(undefined, { timeStyle: 'short' }).format(date);
}

/**
 * A time as a datetime-local input's value ("2025-03-04T14:05"), in the
 * person's own time zone.
 * @param {Date} d
 * @returns {string}
 */
export function localInputValue(d) {
  /** @param {number} n */
  const two = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())}T${two(d.getHours())}:${two(d.getMinutes())}`;
}
