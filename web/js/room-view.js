// The room's static layout: header, status area, the waiting, in-room and final
// screens, the side panels and the control bar. Builds DOM and nothing else.

import { el, button } from './dom.js';
import { buildStage } from './screen-stage.js';
import { buildUnmutePrompt } from './unmute-prompt.js';

/** @typedef {import('./screen-stage.js').StageView} StageView */
/** @typedef {import('./unmute-prompt.js').PromptView} PromptView */
/** @typedef {'connecting' | 'waiting' | 'room' | 'final'} Screen */

/**
 * @typedef {Object} RoomView
 * @property {HTMLElement} root
 * @property {HTMLElement} title
 * @property {HTMLElement} me
 * @property {HTMLElement} locked "Meeting locked", shown to everyone while it is.
 * @property {HTMLElement} status Polite live region for connection state and errors.
 * @property {HTMLElement} announcer Visually hidden polite live region.
 * @property {HTMLElement} waitingScreen
 * @property {HTMLVideoElement} waitingPreview
 * @property {HTMLButtonElement} waitingLeave
 * @property {HTMLElement} roomScreen
 * @property {HTMLElement} tiles
 * @property {StageView} stage A screen share, shown large.
 * @property {HTMLElement} toasts Visible "Jo joined" / "Jo left" notices (screen
 *   readers hear them through announcer).
 * @property {PromptView} unmutePrompt A host asks us to unmute.
 * @property {HTMLElement} mediaHint Why the microphone or camera button is disabled.
 * @property {HTMLButtonElement} share Share our screen, or stop.
 * @property {HTMLElement} rulesList The rules in force, in plain English.
 * @property {HTMLElement} rulesForm Host only: make the rules stricter.
 * @property {HTMLElement} rename "Change my name", where names may be changed.
 * @property {HTMLElement} waitingPanel
 * @property {HTMLElement} waitingHeading
 * @property {HTMLElement} waitingList
 * @property {HTMLButtonElement} admitAll
 * @property {HTMLElement} noticesPanel
 * @property {HTMLElement} noticesList
 * @property {HTMLElement} participantsHeading
 * @property {HTMLElement} participantsList
 * @property {HTMLElement} side The side column of panels.
 * @property {HTMLElement} chatRoot Where the chat panel is drawn (in the side column).
 * @property {HTMLElement} controls The control bar.
 * @property {HTMLButtonElement} mic
 * @property {HTMLButtonElement} camera
 * @property {HTMLButtonElement} sound
 * @property {HTMLButtonElement} leave
 * @property {HTMLButtonElement} end
 * @property {HTMLButtonElement} lock Host controls: lock or unlock the meeting.
 * @property {HTMLButtonElement} muteAll Host controls: mute everyone's microphone.
 * @property {HTMLButtonElement} suspend Host only: the incident button.
 * @property {HTMLElement} finalScreen
 * @property {HTMLElement} finalTitle
 * @property {HTMLElement} finalMessage
 * @property {HTMLAnchorElement} rejoin
 */

/**
 * A panel: a labelled section with a focusable heading and a list.
 * @param {string} id
 * @param {string} heading
 * @param {string} emptyText Shown (by CSS) when the list is empty.
 * @returns {{ section: HTMLElement, heading: HTMLElement, list: HTMLElement }}
 */
function panel(id, heading, emptyText) {
  const h = el('h2', { text: heading, attrs: { id: `${id}-heading`, tabindex: '-1' } });
  const list = el('ul', { className: 'panel-list', attrs: { id: `${id}-list`, 'data-empty': 'true' } });
  const section = el('section', {
    className: `panel ${id}`,
    attrs: { id, 'aria-labelledby': `${id}-heading` },
    children: [h, list, el('p', { className: 'empty', text: emptyText })],
  });
  return { section, heading: h, list };
}

/**
 * A toggle button with a fixed accessible name; aria-pressed carries its state.
 * @param {string} text
 * @param {string} label
 * @returns {HTMLButtonElement}
 */
function toggle(text, label) {
  const b = button(text, { className: 'control', label });
  b.setAttribute('aria-pressed', 'false');
  return b;
}

/**
 * Builds the room inside root (replacing what was there).
 * @param {HTMLElement} root
 * @returns {RoomView}
 */
export function buildRoomView(root) {
  const title = el('h1', { className: 'room-title', text: 'Meeting' });
  const me = el('p', { className: 'room-me' });
  const locked = el('p', { className: 'locked-indicator', text: 'Meeting locked', attrs: { id: 'meeting-locked' } });
  locked.hidden = true;
  const status = el('p', { className: 'status', attrs: { id: 'room-status', role: 'status', 'aria-live': 'polite' } });
  const announcer = el('div', { className: 'visually-hidden', attrs: { 'aria-live': 'polite', id: 'announcer' } });

  const waitingPreview = el('video', { className: 'preview mirrored', attrs: { autoplay: '', playsinline: '', 'aria-label': 'Your camera preview' } });
  waitingPreview.muted = true;
  waitingPreview.playsInline = true;
  const waitingLeave = button('Leave', { className: 'danger', label: 'Leave the waiting room' });
  const waitingScreen = el('section', {
    className: 'screen waiting-screen',
    attrs: { id: 'waiting-screen', 'aria-labelledby': 'waiting-title' },
    children: [
      el('h2', { text: 'Waiting for the host to let you in', attrs: { id: 'waiting-title', tabindex: '-1' } }),
      el('p', { text: 'Please stay on this page. The host knows you are here and will let you in when they are ready.' }),
      waitingPreview,
      el('p', { className: 'hint', text: 'Only you can see this preview until the host lets you in.' }),
      waitingLeave,
    ],
  });

  const tiles = el('div', { className: 'tiles', attrs: { id: 'tiles', 'data-count': '0' } });
  const waiting = panel('waiting-room', 'Waiting room (0)', 'No one is waiting.');
  const admitAll = button('Admit all', { className: 'primary admit-all' });
  admitAll.hidden = true;
  waiting.heading.after(admitAll);
  const notices = panel('notices', 'Notices', 'No notices.');
  notices.list.setAttribute('aria-live', 'polite');
  notices.list.setAttribute('aria-relevant', 'additions');
  const people = panel('participants', 'In the meeting (0)', 'No one is here yet.');
  const rules = panel('meeting-rules', 'Meeting rules', 'The rules arrive when you enter the room.');
  const rulesForm = el('div', { className: 'rules-form-host' });
  rulesForm.hidden = true;
  rules.section.append(rulesForm);
  const rename = el('div', { className: 'rename-host' });
  rename.hidden = true;
  const stage = buildStage();
  const toasts = el('div', { className: 'toasts', attrs: { id: 'toasts' } });
  const unmutePrompt = buildUnmutePrompt();
  const mediaHint = el('p', { className: 'media-hint', attrs: { id: 'media-hint', 'aria-live': 'polite' } });
  mediaHint.hidden = true;
  const chatRoot = el('div', { className: 'chat-host' });

  const mic = toggle('Mute', 'Mute microphone');
  const camera = toggle('Camera off', 'Turn camera off');
  const sound = button('Turn on sound', { className: 'control primary', label: 'Turn on other people\u2019s sound' });
  sound.hidden = true;
  const share = toggle('Share screen', 'Share your screen');
  share.id = 'share-screen';
  share.hidden = true;
  const leave = button('Leave', { className: 'control', label: 'Leave the meeting' });
  const end = button('End meeting for everyone', { className: 'control danger' });
  end.hidden = true;
  const lock = toggle('Lock meeting', 'Lock meeting');
  lock.classList.add('host-only');
  lock.hidden = true;
  const muteAll = button('Mute all', { className: 'control host-only', label: 'Mute all microphones' });
  muteAll.hidden = true;
  const suspend = button('Suspend all', { className: 'control host-only danger', label: 'Suspend all activities: stop everyone\u2019s microphone and camera and lock the meeting' });
  suspend.hidden = true;
  const controls = el('div', {
    className: 'controls',
    attrs: { role: 'toolbar', 'aria-label': 'Meeting controls' },
    children: [mic, camera, share, sound, muteAll, lock, suspend, leave, end],
  });

  const side = el('div', { className: 'side', children: [waiting.section, notices.section, people.section, chatRoot, rename, rules.section] });
  const roomScreen = el('div', {
    className: 'screen in-room',
    attrs: { id: 'in-room' },
    children: [
      el('section', { className: 'stage', attrs: { 'aria-label': 'Videos' }, children: [stage.root, toasts, tiles] }),
      side,
      el('div', { className: 'controls-area', children: [unmutePrompt.root, mediaHint, controls] }),
    ],
  });

  const finalTitle = el('h2', { attrs: { id: 'final-title', tabindex: '-1' } });
  const finalMessage = el('p', { attrs: { id: 'final-message' } });
  const rejoin = el('a', { className: 'button primary', text: 'Rejoin', attrs: { href: '#' } });
  const finalScreen = el('section', {
    className: 'screen final-screen',
    attrs: { id: 'final-screen', 'aria-labelledby': 'final-title' },
    children: [finalTitle, finalMessage, rejoin],
  });

  root.replaceChildren(
    el('header', { className: 'room-header', children: [title, me, locked] }),
    status, announcer, waitingScreen, roomScreen, finalScreen,
  );
  return {
    root, title, me, locked, status, announcer, waitingScreen, waitingPreview, waitingLeave, roomScreen, tiles,
    stage, toasts, unmutePrompt, mediaHint, share, rulesList: rules.list, rulesForm,
    rename,
    waitingPanel: waiting.section, waitingHeading: waiting.heading, waitingList: waiting.list, admitAll,
    noticesPanel: notices.section, noticesList: notices.list,
    participantsHeading: people.heading, participantsList: people.list, side, chatRoot, controls,
    mic, camera, sound, leave, end, lock, muteAll, suspend, finalScreen, finalTitle, finalMessage, rejoin,
  };
}

/**
 * Shows one screen and moves focus to its heading, so screen reader users hear
 * what changed.
 * @param {RoomView} view
 * @param {Screen} screen
 */
export function showScreen(view, screen) {
  if (view.root.dataset['screen'] === screen) return;
  view.root.dataset['screen'] = screen;
  view.waitingScreen.hidden = screen !== 'waiting';
  view.roomScreen.hidden = screen !== 'room';
  view.finalScreen.hidden = screen !== 'final';
  const heading = screen === 'waiting' ? view.waitingScreen.querySelector('h2')
    : screen === 'final' ? view.finalTitle : null;
  if (heading instanceof HTMLElement) heading.focus();
}

/**
 * Says something to screen reader users without showing it.
 * @param {RoomView} view
 * @param {string} text
 */
export function announce(view, text) {
  view.announcer.textContent = '';
  // A fresh text node after clearing makes screen readers read repeated text again.
  setTimeout(() => { view.announcer.textContent = text; }, 50);
}

/**
 * Adds a notice for the host, newest first, keeping the last few.
 * @param {RoomView} view
 * @param {string} message
 */
export function addNotice(view, message) {
  const time = new Intl.DateTimeFormat(undefined, { timeStyle: 'short' }).format(new Date());
  view.noticesList.prepend(el('li', { className: 'notice', children: [
    el('span', { className: 'notice-time', text: time }), ' ', message,
  ] }));
  view.noticesList.dataset['empty'] = 'false';
  while (view.noticesList.children.length > 20) view.noticesList.lastElementChild?.remove();
}

/**
 * Shows a short visible notice (e.g. "Jo Smith joined") that goes by itself.
 * Screen readers hear the same through announce(), so this region is not live.
 * @param {RoomView} view
 * @param {string} text
 */
export function toast(view, text) {
  const item = el('p', { className: 'toast', text });
  view.toasts.append(item);
  while (view.toasts.children.length > 3) view.toasts.firstElementChild?.remove();
  setTimeout(() => item.remove(), 6000);
}
