// The guest's pre-join screen: camera preview, camera and microphone choice, the
// name and role label from the invitation (shown, not editable), and Join.

import { el, button, formatDateTime, setStatus } from './dom.js';
import { getLocalMedia, listDevices, stopStream, currentDeviceId } from './devices.js';
import { playVideo } from './tiles.js';

/** @typedef {import('./api.js').InvitationDetails} InvitationDetails */

/**
 * A device <select> with its label.
 * @param {string} id
 * @param {string} label
 * @returns {{ wrap: HTMLElement, select: HTMLSelectElement }}
 */
function deviceSelect(id, label) {
  const select = el('select', { attrs: { id, name: id } });
  select.disabled = true;
  const wrap = el('div', { className: 'field', children: [el('label', { text: label, attrs: { for: id } }), select] });
  return { wrap, select };
}

/**
 * Fills a select with devices, selecting current.
 * @param {HTMLSelectElement} select
 * @param {MediaDeviceInfo[]} devices
 * @param {string} current
 * @param {string} noun E.g. "Camera", for unlabelled devices.
 */
function fill(select, devices, current, noun) {
  select.replaceChildren(...devices.map((d, i) => {
    const option = el('option', { text: d.label || `${noun} ${i + 1}` });
    option.value = d.deviceId;
    option.selected = d.deviceId === current;
    return option;
  }));
  if (devices.length === 0) select.append(el('option', { text: 'None found' }));
  select.disabled = devices.length === 0;
}

/**
 * Shows the pre-join screen in root and resolves with the chosen camera and
 * microphone when the person presses Join.
 * @param {HTMLElement} root
 * @param {InvitationDetails} invitation
 * @returns {Promise<MediaStream>}
 */
export function showPrejoin(root, invitation) {
  const preview = el('video', { className: 'preview mirrored', attrs: { autoplay: '', playsinline: '', 'aria-label': 'Your camera preview' } });
  preview.muted = true;
  preview.playsInline = true;
  const camera = deviceSelect('camera-select', 'Camera');
  const mic = deviceSelect('mic-select', 'Microphone');
  const status = el('p', { className: 'status', attrs: { role: 'status', 'aria-live': 'polite' } });
  status.hidden = true;
  const join = button('Join', { className: 'primary large' });
  join.id = 'join-button';
  join.disabled = true;
  const title = el('h1', { text: invitation.meeting, attrs: { id: 'prejoin-title', tabindex: '-1' } });

  root.replaceChildren(el('section', {
    className: 'card prejoin',
    attrs: { 'aria-labelledby': 'prejoin-title' },
    children: [
      title,
      el('p', { className: 'meeting-when', text: `Starts ${formatDateTime(invitation.startsAt)}` }),
      el('div', { className: 'prejoin-body', children: [
        el('div', { className: 'preview-wrap', children: [preview] }),
        el('div', { className: 'prejoin-side', children: [
          el('dl', { className: 'identity', children: [
            el('dt', { text: 'You will join as' }), el('dd', { text: invitation.name, attrs: { id: 'prejoin-name' } }),
            el('dt', { text: 'Shown to the host as' }), el('dd', { text: invitation.roleLabel, attrs: { id: 'prejoin-role' } }),
          ] }),
          el('p', { className: 'hint', text: 'Your name comes from your invitation. If it is wrong, tell the person who invited you.' }),
          camera.wrap,
          mic.wrap,
          status,
          join,
          el('p', { className: 'hint', text: 'You will wait in a waiting room until the host lets you in.' }),
        ] }),
      ] }),
    ],
  }));
  title.focus();

  /** @type {MediaStream} */
  let stream = new MediaStream();

  /** @param {{ audioDeviceId?: string, videoDeviceId?: string }} choice */
  const useDevices = async (choice) => {
    join.disabled = true;
    try {
      stopStream(stream);
      const media = await getLocalMedia(choice);
      stream = media.stream;
      preview.srcObject = stream;
      playVideo(preview, () => {});
      setStatus(status, media.problem, media.problem ? 'error' : 'info');
      const { cameras, microphones } = await listDevices();
      fill(camera.select, cameras, currentDeviceId(stream, 'video'), 'Camera');
      fill(mic.select, microphones, currentDeviceId(stream, 'audio'), 'Microphone');
    } catch (err) {
      console.warn('safemeet: listing devices failed', err);
    } finally {
      join.disabled = false; // joining without a camera is allowed
    }
  };
  const choose = () => {
    /** @type {{ audioDeviceId?: string, videoDeviceId?: string }} */
    const choice = {};
    if (camera.select.value && !camera.select.disabled) choice.videoDeviceId = camera.select.value;
    if (mic.select.value && !mic.select.disabled) choice.audioDeviceId = mic.select.value;
    useDevices(choice);
  };
  camera.select.addEventListener('change', choose);
  mic.select.addEventListener('change', choose);
  useDevices({});

  return new Promise((resolve) => {
    join.addEventListener('click', () => {
      preview.srcObject = null;
      resolve(stream);
    }, { once: true });
  });
}
