// The form for one safeguarding profile on the admin page: its name, a
// labelled control per rule, its scheduling rules and its participation
// contract. Used both to edit a profile and to make a new one.

import { ApiError, errorMessage } from './api.js';
import { el, field, input, button, setStatus, onSubmit } from './dom.js';
import { schedulingFields, schedulingKey, schedulingLabel } from './profile-scheduling.js';

/** @typedef {import('./api-admin.js').Profile} Profile */
/** @typedef {import('./api-admin.js').ProfileInput} ProfileInput */
/** @typedef {import('./api-admin.js').Rules} Rules */
/** @typedef {HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement} Control */

/**
 * One rule's control. Choices are listed loosest first, as the server orders them.
 * @typedef {Object} RuleField
 * @property {keyof Rules} key The rule's JSON name.
 * @property {string} label
 * @property {string} [hint]
 * @property {'select' | 'number' | 'checkbox'} kind
 * @property {Array<[string, string]>} [choices] [value, plain-English label] pairs, for selects.
 * @property {number} [min]
 * @property {number} [max]
 * @property {string[]} errorNames The names the server may give this rule in an error.
 */

/** @type {RuleField[]} */
const ruleFields = [
  { key: 'screen_share', label: 'Who may share their screen', kind: 'select', errorNames: ['screen sharing', 'screen share'],
    choices: [['everyone', 'Everyone'], ['hosts', 'The host and co-hosts'], ['host', 'Only the host']] },
  { key: 'media_on_entry', label: 'Microphone and camera when someone is let in', kind: 'select',
    errorNames: ['microphone and camera on entry', 'media on entry'],
    choices: [
      ['allowed', 'As they choose'],
      ['muted', 'Muted with camera off; they may turn them on'],
      ['off_until_allowed', 'Off until a host allows them'],
    ] },
  { key: 'self_unmute', label: 'Unmuting', kind: 'select', errorNames: ['unmuting', 'self unmute'],
    choices: [['yes', 'People may unmute themselves'], ['when_asked', 'Only when a host asks them to']] },
  { key: 'display_names', label: 'Names shown for people', kind: 'select', errorNames: ['display names'],
    choices: [['renamable', 'People may change their name'], ['fixed', 'Fixed to the name on their invitation']] },
  { key: 'direct_messages', label: 'Direct messages between people', kind: 'select', errorNames: ['direct messages'],
    choices: [['observed', 'Allowed, and also shown to the hosts'], ['off', 'Off']] },
  { key: 'chat_links', label: 'Links in chat', kind: 'select', errorNames: ['links in chat', 'chat links'],
    choices: [['clickable', 'Clickable'], ['text', 'Shown as plain text, not clickable']] },
  { key: 'chat_history', label: 'Chat that someone arriving late can see', kind: 'select', errorNames: ['chat history'],
    choices: [['since_start', 'Everything since the meeting started'], ['from_join', 'Only messages sent after they arrive']] },
  { key: 'auto_lock_minutes', label: 'Lock the meeting this many minutes after its start', kind: 'number', min: 0, max: 1440,
    hint: '0 means never lock it automatically. Fewer minutes is stricter.', errorNames: ['auto-lock minutes', 'auto lock minutes', 'auto-lock'] },
  { key: 'max_participants', label: 'Most people in the meeting', kind: 'number', min: 2, max: 500,
    hint: 'Everyone counts, including hosts and people waiting.', errorNames: ['maximum participants', 'max participants'] },
  { key: 'chime', label: 'Play a sound and show a notice when someone joins or leaves', kind: 'checkbox',
    errorNames: ['chime', 'enter/exit chime'] },
];

/** The rules a new profile starts from: the shipped "Children and families", the strictest. @type {Rules} */
const strictRules = {
  auto_lock_minutes: 5, screen_share: 'host', media_on_entry: 'muted', self_unmute: 'when_asked',
  display_names: 'fixed', chime: true, max_participants: 30, direct_messages: 'off', chat_links: 'text',
  chat_history: 'since_start',
};

/**
 * @typedef {Object} ProfileFormOptions
 * @property {string} idPrefix Makes the form's element IDs unique on the page.
 * @property {string} title The form's heading.
 * @property {'h2' | 'h3'} [heading] The heading level (h3 unless told).
 * @property {Profile} [profile] The profile to edit; none for a new one.
 * @property {string} submitLabel
 * @property {(p: ProfileInput) => Promise<Profile>} save Sends the form to the server.
 * @property {(saved: Profile) => void} [onSaved] Called after a successful save.
 * @property {string} [savedMessage] Shown after a save (default: "Saved.").
 */

/**
 * Builds a profile form.
 * @param {ProfileFormOptions} o
 * @returns {HTMLFormElement}
 */
export function profileForm(o) {
  const rules = o.profile?.rules ?? strictRules;
  const name = input(`${o.idPrefix}-name`, 'text', { required: '', maxlength: '100', autocomplete: 'off' });
  name.value = o.profile?.name ?? '';
  /** @type {Map<string, Control>} */
  const controls = new Map([['name', name]]);
  const fields = ruleFields.map((f) => {
    const control = ruleControl(o.idPrefix, f, rules);
    controls.set(f.key, control);
    if (f.kind === 'checkbox') {
      return el('div', { className: 'field checkbox', children: [control, el('label', { text: f.label, attrs: { for: control.id } })] });
    }
    return field(f.label, control, f.hint);
  });
  const sched = schedulingFields(o.idPrefix, o.profile);
  for (const [k, c] of sched.controls) controls.set(k, c);
  const status = el('p', { className: 'status', attrs: { role: 'status', 'aria-live': 'polite' } });
  status.hidden = true;
  const titleId = `${o.idPrefix}-title`;
  const form = el('form', {
    className: 'profile-form',
    attrs: { id: `${o.idPrefix}-form`, 'aria-labelledby': titleId, novalidate: '' },
    children: [
      el(o.heading ?? 'h3', { text: o.title, attrs: { id: titleId } }),
      field('Profile name', name),
      el('fieldset', { className: 'rules', children: [el('legend', { text: 'Rules' }), ...fields] }),
      sched.fieldset,
      sched.contractField,
      status,
      button(o.submitLabel, { type: 'submit', className: 'primary' }),
    ],
  });
  onSubmit(form, async () => {
    clearFieldErrors(form);
    setStatus(status, 'Saving\u2026');
    try {
      const saved = await o.save({ name: name.value.trim(), rules: readRules(controls), ...sched.read() });
      setStatus(status, o.savedMessage ?? 'Saved.', 'ok');
      o.onSaved?.(saved);
    } catch (err) {
      const bad = err instanceof ApiError && err.field ? controlFor(controls, err.field) : undefined;
      if (bad) {
        const label = bad.control === name ? 'Profile name'
          : (ruleFields.find((f) => f.key === bad.key)?.label ?? schedulingLabel(bad.key));
        showFieldError(bad.control, err instanceof ApiError && err.code === 'conflict'
          ? 'Another profile already has this name.'
          : 'Please check this setting.');
        setStatus(status, `${errorMessage(err)} Please check \u201c${label}\u201d.`, 'error');
        bad.control.focus();
      } else {
        setStatus(status, errorMessage(err), 'error');
      }
    }
  });
  return form;
}

/**
 * Makes the control for one rule, set to its current value.
 * @param {string} prefix
 * @param {RuleField} f
 * @param {Rules} rules
 * @returns {HTMLInputElement | HTMLSelectElement}
 */
function ruleControl(prefix, f, rules) {
  const id = `${prefix}-${f.key.replaceAll('_', '-')}`;
  const value = rules[f.key];
  if (f.kind === 'select') {
    const select = el('select', { attrs: { id, name: f.key, required: '' } });
    for (const [v, label] of f.choices ?? []) select.append(el('option', { text: label, attrs: { value: v } }));
    select.value = String(value);
    return select;
  }
  if (f.kind === 'checkbox') {
    const box = input(id, 'checkbox');
    box.checked = value === true;
    return box;
  }
  const num = input(id, 'number', { required: '', min: String(f.min ?? 0), max: String(f.max ?? 0), step: '1', inputmode: 'numeric' });
  num.value = String(value);
  return num;
}

/**
 * Reads the rules from the form's controls. Values are sent as they are; the
 * server checks them and names any that is wrong.
 * @param {Map<string, Control>} controls
 * @returns {Rules}
 */
function readRules(controls) {
  /** @type {Record<string, string | number | boolean>} */
  const out = {};
  for (const f of ruleFields) {
    const c = controls.get(f.key);
    if (!c) continue;
    if (f.kind === 'checkbox') out[f.key] = c instanceof HTMLInputElement && c.checked;
    else if (f.kind === 'number') out[f.key] = c.value.trim() === '' ? NaN : Number(c.value);
    else out[f.key] = c.value;
  }
  // A number left empty is left out, and the server names the missing rule.
  for (const [k, v] of Object.entries(out)) if (typeof v === 'number' && Number.isNaN(v)) delete out[k];
  return /** @type {Rules} */ (/** @type {unknown} */ (out));
}

/**
 * Finds the control a server error's field name refers to.
 * @param {Map<string, Control>} controls
 * @param {string} fieldName e.g. "name", "screen sharing" or "max participants".
 * @returns {{ key: string, control: Control } | undefined}
 */
function controlFor(controls, fieldName) {
  const wanted = fieldName.toLowerCase();
  const rule = ruleFields.find((f) => f.errorNames.includes(wanted) || f.key === wanted.replaceAll(' ', '_'));
  const key = rule ? rule.key : (schedulingKey(wanted) ?? wanted);
  const control = controls.get(key);
  return control ? { key, control } : undefined;
}

/**
 * Marks a control as wrong, with a sentence read out with it.
 * @param {Control} control
 * @param {string} message
 */
function showFieldError(control, message) {
  const id = `${control.id}-error`;
  const note = el('p', { className: 'field-error', text: message, attrs: { id } });
  control.setAttribute('aria-invalid', 'true');
  const described = control.getAttribute('aria-describedby');
  control.setAttribute('aria-describedby', described ? `${described} ${id}` : id);
  const wrap = control.closest('.field');
  (wrap ?? control).after(note);
}

/**
 * Removes the marks left by showFieldError.
 * @param {HTMLFormElement} form
 */
function clearFieldErrors(form) {
  for (const note of form.querySelectorAll('.field-error')) {
    const control = form.querySelector(`[aria-describedby~="${note.id}"]`);
    if (control) {
      const rest = (control.getAttribute('aria-describedby') ?? '').split(' ').filter((x) => x && x !== note.id);
      if (rest.length > 0) control.setAttribute('aria-describedby', rest.join(' '));
      else control.removeAttribute('aria-describedby');
      control.removeAttribute('aria-invalid');
    }
    note.remove();
  }
}
