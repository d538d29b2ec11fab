// Page "/room/<id>": the host's (or co-host's) room. Staff are known by their login
// cookie, so the hello names only the meeting.

import { Room } from './room.js';
import { getLocalMedia } from './devices.js';
import { byId, el } from './dom.js';

const main = byId('main', HTMLElement);

/** Starts camera and microphone, then the room. */
async function start() {
  const meetingId = decodeURIComponent(location.pathname.split('/')[2] ?? '');
  if (!meetingId) {
    main.replaceChildren(el('p', { text: 'No meeting was named in the address.' }));
    return;
  }
  main.replaceChildren(el('p', { className: 'loading', text: 'Starting your camera and microphone\u2026', attrs: { role: 'status' } }));
  const { stream, problem } = await getLocalMedia();
  const room = new Room({
    root: main,
    hello: { meeting: meetingId },
    stream,
    rejoinHref: location.pathname,
  });
  room.start();
  if (problem) room.say(problem);
}

start();
