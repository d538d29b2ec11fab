// The "Meeting rules" panel: the safeguarding rules in force, in plain English,
// for everyone; for the host, a form that makes them stricter. Its choices only
// offer values at least as strict as the rules now, and the server refuses
// anything looser than the meeting's profile (would_loosen) whatever is sent.

import { el, button, field } from './dom.js';

/** @typedef {import('./protocol-types.js').Rules} Rules */

/** Each enumerated rule's values, loosest first, with the words for each. */
const enums = /** @type {const} */ ({
  screen_share: { label: 'Screen sharing', values: [
    ['everyone', 'Everyone can share their screen'],
    ['hosts', 'Only the host and co-hosts can share their screen'],
    ['host', 'Only the host can share their screen'],
  ] },
  media_on_entry: { label: 'Microphone and camera on entry', values: [
    ['allowed', 'People join with their microphone and camera as they chose'],
    ['muted', 'People join with their microphone and camera off'],
    ['off_until_allowed', 'Microphones and cameras stay off until a host allows them'],
  ] },
  self_unmute: { label: 'Unmuting', values: [
    ['yes', 'Participants can unmute themselves'],
    ['when_asked', 'Participants can unmute only when a host asks'],
  ] },
  display_names: { label: 'Names', values: [
    ['renamable', 'Participants can change the name shown for them'],
    ['fixed', 'Names are fixed to the invitation'],
  ] },
  direct_messages: { label: 'Direct messages', values: [
    ['observed', 'Direct messages are allowed, and hosts can see them'],
    ['off', 'No direct messages between participants'],
  ] },
  chat_links: { label: 'Links in chat', values: [
    ['clickable', 'Links in chat can be opened'],
    ['text', 'Links in chat are shown as plain text'],
  ] },
  chat_history: { label: 'Chat history', values: [
    ['since_start', 'People who join late see the chat from the start'],
    ['from_join', 'People see only the chat sent after they joined'],
  ] },
});

/** @typedef {keyof typeof enums} EnumRule */
/** @type {EnumRule[]} */
const enumRules = ['screen_share', 'media_on_entry', 'self_unmute', 'display_names', 'direct_messages', 'chat_links', 'chat_history'];

/** Auto-lock choices offered to hosts, in minutes, loosest first (0 is never). */
const autoLockChoices = [0, 60, 30, 20, 15, 10, 5, 2, 1];

/**
 * @param {number} minutes
 * @returns {string}
 */
function autoLockText(minutes) {
  if (minutes === 0) return 'Does not lock automatically';
  return `Locks automatically ${minutes === 1 ? '1 minute' : `${minutes} minutes`} after the start`;
}

/**
 * The rules in plain English, one sentence each.
 * @param {Rules} rules
 * @returns {string[]}
 */
export function describeRules(rules) {
  /** @type {string[]} */
  const lines = [autoLockText(rules.auto_lock_minutes)];
  for (const key of enumRules) {
    const found = enums[key].values.find(([v]) => v === rules[key]);
    if (found) lines.push(found[1]);
  }
  lines.push(rules.chime ? 'A chime sounds and a notice shows when someone joins or leaves' : 'No chime when people join or leave');
  lines.push(`At most ${rules.max_participants} people in the meeting, including those waiting`);
  return lines;
}

/**
 * Whether our role may share a screen under rules.
 * @param {Rules | null} rules
 * @param {string} role
 * @returns {boolean}
 */
export function mayShareScreen(rules, role) {
  if (!rules) return false;
  switch (rules.screen_share) {
    case 'everyone': return true;
    case 'hosts': return role === 'host' || role === 'co-host';
    case 'host': return role === 'host';
    default: return false;
  }
}

/**
 * @param {string} id
 * @param {Array<[string, string]>} options value, text
 * @param {string} value
 * @returns {HTMLSelectElement}
 */
function select(id, options, value) {
  const s = el('select', { attrs: { id, name: id }, children: options.map(([v, text]) => el('option', { text, attrs: { value: v } })) });
  s.value = value;
  return s;
}

export class RulesPanel {
  /**
   * @param {HTMLElement} list Where the sentences go (a <ul>).
   * @param {HTMLElement} formHost Where the host's form goes (hidden for others).
   * @param {(rules: Rules) => boolean} apply Sends the stricter rules; false if not connected.
   * @param {(text: string, kind: 'info' | 'error') => void} say
   */
  constructor(list, formHost, apply, say) {
    /** @private @readonly */
    this.list = list;
    /** @private @readonly */
    this.formHost = formHost;
    /** @private @readonly */
    this.apply = apply;
    /** @private @readonly */
    this.say = say;
    /** @private @type {Rules | null} */
    this.rules = null;
    /** @private */
    this.isHost = false;
  }

  /** @returns {Rules | null} The rules in force, as the server last said. */
  get current() {
    return this.rules;
  }

  /**
   * Shows the rules the server sent.
   * @param {Rules} rules
   */
  set(rules) {
    const same = this.rules !== null && JSON.stringify(this.rules) === JSON.stringify(rules);
    this.rules = rules;
    if (same) return;
    this.list.replaceChildren(...describeRules(rules).map((text) => el('li', { text })));
    this.list.dataset['empty'] = 'false';
    this.renderForm();
  }

  /**
   * Only the host may change the rules.
   * @param {boolean} isHost
   */
  setHost(isHost) {
    if (isHost === this.isHost) return;
    this.isHost = isHost;
    this.renderForm();
  }

  /** @private Builds the host's form from the rules now. */
  renderForm() {
    const rules = this.rules;
    this.formHost.hidden = !this.isHost || !rules;
    if (!this.isHost || !rules) {
      this.formHost.replaceChildren();
      return;
    }
    /** @type {Record<string, HTMLSelectElement>} */
    const selects = {};
    /** @type {HTMLElement[]} */
    const fields = [];
    for (const key of enumRules) {
      const values = /** @type {ReadonlyArray<readonly [string, string]>} */ (enums[key].values);
      const from = Math.max(0, values.findIndex(([v]) => v === rules[key]));
      const s = select(`rule-${key}`, values.slice(from).map(([v, t]) => [v, t]), rules[key]);
      selects[key] = s;
      fields.push(field(enums[key].label, s));
    }
    const lock = rules.auto_lock_minutes;
    const lockOptions = autoLockChoices.filter((m) => m !== 0 && (lock === 0 || m <= lock));
    if (lock !== 0 && !lockOptions.includes(lock)) lockOptions.unshift(lock);
    if (lock === 0) lockOptions.unshift(0);
    const lockSelect = select('rule-auto_lock_minutes', lockOptions.map((m) => [String(m), autoLockText(m)]), String(lock));
    fields.unshift(field('Automatic lock', lockSelect, 'Counted from the scheduled start, or from when the room opened if later.'));
    const chime = select('rule-chime', rules.chime ? [['on', 'Chime and notice on']] : [['off', 'No chime'], ['on', 'Chime and notice on']], rules.chime ? 'on' : 'off');
    fields.push(field('Join and leave chime', chime));
    const max = el('input', { attrs: { id: 'rule-max_participants', name: 'rule-max_participants', type: 'number', min: '2', max: String(rules.max_participants), step: '1', inputmode: 'numeric' } });
    max.value = String(rules.max_participants);
    fields.push(field('Most people in the meeting', max, `${rules.max_participants} or fewer.`));
    const submit = button('Apply stricter rules', { type: 'submit', className: 'primary' });
    const form = el('form', { className: 'rules-form', attrs: { 'aria-label': 'Make the meeting\u2019s rules stricter' }, children: [
      el('p', { className: 'hint', text: 'You can make the rules stricter for this meeting, not looser than its profile.' }),
      ...fields, submit,
    ] });
    form.noValidate = true;
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      const n = Number(max.value);
      if (!Number.isInteger(n) || n < 2 || n > rules.max_participants) {
        this.say(`Please give a number of people between 2 and ${rules.max_participants}.`, 'error');
        max.focus();
        return;
      }
      /** @type {Rules} */
      const next = /** @type {Rules} */ ({
        ...rules,
        auto_lock_minutes: Number(lockSelect.value),
        chime: chime.value === 'on',
        max_participants: n,
      });
      for (const key of enumRules) {
        /** @type {Record<string, unknown>} */ (next)[key] = selects[key]?.value ?? rules[key];
      }
      if (!this.apply(next)) this.say('Not connected to the meeting. Please try again in a moment.', 'error');
    });
    this.formHost.replaceChildren(form);
  }
}
