// Page "/consent#<token>": a parent or carer decides whether a child under 16
// may join a meeting. The token leaves the address bar at once and is kept in
// sessionStorage, so a reload in this tab still works, and nowhere else. The
// page shows what the meeting is for, who hosts it, when, whether it may be
// recorded and the participation contract, then takes the answer.

import { getConsent, answerConsent, errorMessage, ApiError } from './api.js';
import { el, byId, field, input, button, setStatus, onSubmit, formatDateTime } from './dom.js';
import { tabToken, forgetTabToken, reloadOnNewFragment } from './fragment.js';

/** @typedef {import('./api.js').ConsentView} ConsentView */
/** @typedef {import('./api.js').ConsentAnswer} ConsentAnswer */

const main = byId('main', HTMLElement);
const storageKey = 'safemeet.consent';

/**
 * @param {string} title
 * @param {string} message
 */
function showProblem(title, message) {
  main.replaceChildren(el('section', { className: 'card narrow', attrs: { 'aria-labelledby': 'problem-title' }, children: [
    el('h1', { text: title, attrs: { id: 'problem-title', tabindex: '-1' } }),
    el('p', { className: 'status', text: message, attrs: { role: 'alert', 'data-kind': 'error' } }),
  ] }));
}

/**
 * A term and its description for a <dl>.
 * @param {string} term
 * @param {string} value
 * @param {string} [className]
 * @returns {Node[]}
 */
function fact(term, value, className) {
  return [el('dt', { text: term }), el('dd', { text: value, className: className ?? '' })];
}

/**
 * The answer so far, in words.
 * @param {ConsentView} v
 * @returns {string}
 */
function stateText(v) {
  const c = v.consent;
  const when = c.at ? ` on ${formatDateTime(c.at)}` : '';
  const child = v.child.name;
  switch (c.state) {
    case 'given':
      return `Consent given by ${c.by}${when}. ${child}\u2019s link works for this meeting.` +
        (v.open ? ' You can withdraw consent until the meeting ends.' : '');
    case 'refused': return `Consent refused by ${c.by}${when}. ${child}\u2019s link will not work for this meeting.`;
    case 'withdrawn': return `Consent withdrawn by ${c.by}${when}. ${child}\u2019s link no longer works.`;
    default: return v.open ? 'You have not answered yet.' : 'No answer was given.';
  }
}

/**
 * The consent page for one view of the request.
 * @param {string} token
 * @param {ConsentView} v
 */
function render(token, v) {
  const m = v.meeting;
  document.title = `Consent for ${v.child.name} \u2013 safemeet`;
  const heading = el('h1', { text: `Consent for ${v.child.name} to join an online meeting`, attrs: { id: 'consent-title', tabindex: '-1' } });
  const state = el('p', { className: 'consent-state', attrs: { id: 'consent-state', role: 'status', 'aria-live': 'polite' } });
  const answerTitle = el('h2', { text: 'Your answer', attrs: { id: 'answer-title', tabindex: '-1' } });
  const error = el('p', { className: 'status', attrs: { role: 'alert' } });
  error.hidden = true;
  const controls = el('div', { className: 'consent-controls' });

  /**
   * Sends an answer and shows the new state.
   * @param {ConsentAnswer} answer
   * @param {string} name
   */
  const send = async (answer, name) => {
    setStatus(error, '');
    try {
      const next = await answerConsent(token, answer, name);
      show(next);
      answerTitle.focus(); // the buttons are gone; the live region says the new state
    } catch (err) {
      setStatus(error, errorMessage(err), 'error');
    }
  };

  /** @param {ConsentView} view */
  const show = (view) => {
    state.textContent = stateText(view);
    state.dataset['state'] = view.consent.state || 'none';
    controls.replaceChildren();
    if (!view.open) {
      controls.append(el('p', { text: 'The meeting has ended, so this answer can no longer be changed.' }));
    } else if (view.consent.state === '') {
      controls.append(answerForm(view, send));
    } else if (view.consent.state === 'given') {
      const withdraw = button('Withdraw consent', { className: 'danger' });
      withdraw.addEventListener('click', async () => {
        if (!window.confirm(`Withdraw consent? ${view.child.name}\u2019s link will stop working, and they will not be able to join this meeting.`)) return;
        withdraw.disabled = true;
        await send('withdraw', view.consent.by || view.guardian.name);
        withdraw.disabled = false;
      });
      controls.append(withdraw);
    }
  };

  const contract = v.contract
    ? [
      el('p', { text: 'Everyone who joins agrees to these rules before the host lets them in.' }),
      el('div', { className: 'contract-text', text: v.contract, attrs: { tabindex: '0', role: 'region', 'aria-label': 'Participation contract' } }),
    ]
    : [el('p', { text: 'This meeting has no participation contract.' })];

  main.replaceChildren(el('article', { className: 'card consent', attrs: { 'aria-labelledby': heading.id }, children: [
    heading,
    el('p', { text: `${m.host || 'A member of staff'} has invited ${v.child.name}${v.child.roleLabel ? ` (${v.child.roleLabel})` : ''} ` +
      'to an online meeting. As their parent or carer, you decide whether they may join. Their link works only once you give consent.' }),
    el('h2', { text: 'The meeting' }),
    el('dl', { className: 'facts', children: [
      ...fact('Meeting', m.title),
      ...fact('What it is for', m.purpose, 'meeting-purpose'),
      ...(m.category ? fact('Category', m.category) : []),
      ...fact('Hosted by', m.host),
      ...fact('When', `${formatDateTime(m.startsAt)} (your time), for ${m.durationMinutes} minutes`),
      ...fact('Recording', v.recorded ? 'This meeting may be recorded.' : 'This meeting will not be recorded.'),
    ] }),
    el('h2', { text: 'The participation contract' }),
    ...contract,
    el('section', { className: 'consent-answer', attrs: { 'aria-labelledby': 'answer-title' }, children: [
      answerTitle,
      state,
      error,
      controls,
    ] }),
  ] }));
  show(v);
  heading.focus();
}

/**
 * The name field and the two answers.
 * @param {ConsentView} v
 * @param {(answer: ConsentAnswer, name: string) => Promise<void>} send
 * @returns {HTMLFormElement}
 */
function answerForm(v, send) {
  const name = input('consent-name', 'text', { required: '', maxlength: '100', autocomplete: 'name' });
  name.value = v.guardian.name;
  const problem = el('p', { className: 'field-error', attrs: { id: 'consent-name-error' } });
  problem.hidden = true;
  const give = button('I give consent', { type: 'submit', className: 'primary' });
  const refuse = button('I do not give consent', { className: 'danger' });
  const form = el('form', { attrs: { id: 'consent-form', novalidate: '' }, children: [
    field('Your name', name, 'Kept with your answer in the meeting\u2019s record.'),
    problem,
    el('div', { className: 'actions', children: [give, refuse] }),
  ] });

  /** @returns {string} The name, or "" after saying it is missing. */
  const checkedName = () => {
    const n = name.value.trim();
    problem.hidden = n !== '';
    if (n) {
      name.removeAttribute('aria-invalid');
      return n;
    }
    problem.textContent = 'Please type your name.';
    name.setAttribute('aria-invalid', 'true');
    name.setAttribute('aria-describedby', `${name.id}-hint ${problem.id}`);
    name.focus();
    return '';
  };
  onSubmit(form, async () => {
    const n = checkedName();
    if (n) await send('give', n);
  });
  refuse.addEventListener('click', async () => {
    const n = checkedName();
    if (!n) return;
    if (!window.confirm(`Refuse consent? ${v.child.name}\u2019s link will not work for this meeting.`)) return;
    refuse.disabled = true;
    await send('refuse', n);
    refuse.disabled = false;
  });
  return form;
}

/** Reads the link, loads the request and shows it. */
async function start() {
  const token = tabToken(storageKey);
  reloadOnNewFragment();
  if (!token) {
    showProblem('Consent link needed', 'Please open the whole link from the email you received.');
    return;
  }
  main.replaceChildren(el('p', { className: 'loading', text: 'Loading\u2026', attrs: { role: 'status' } }));
  try {
    render(token, await getConsent(token));
  } catch (err) {
    if (err instanceof ApiError && err.status === 404) forgetTabToken(storageKey);
    showProblem('This consent link cannot be used', errorMessage(err));
  }
}

start();
