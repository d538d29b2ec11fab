// The local camera and microphone: asking for them, listing them, stopping them.

/**
 * @typedef {Object} DeviceChoice
 * @property {string} [audioDeviceId]
 * @property {string} [videoDeviceId]
 */

/**
 * @typedef {Object} LocalMedia
 * @property {MediaStream} stream Possibly without tracks, if nothing could be used.
 * @property {string} problem Empty, or a sentence saying what could not be used.
 */

const videoConstraints = { width: { ideal: 640 }, height: { ideal: 360 }, frameRate: { ideal: 24 } };

/**
 * Asks for camera and microphone, falling back to either alone, then to nothing,
 * so a person without a camera (or who refuses it) can still join and listen.
 * @param {DeviceChoice} [choice]
 * @returns {Promise<LocalMedia>}
 */
export async function getLocalMedia(choice = {}) {
  if (!navigator.mediaDevices?.getUserMedia) {
    return { stream: new MediaStream(), problem: 'This browser cannot use a camera or microphone here.' };
  }
  /** @type {MediaTrackConstraints} */
  const audio = choice.audioDeviceId ? { deviceId: { exact: choice.audioDeviceId } } : {};
  /** @type {MediaTrackConstraints} */
  const video = choice.videoDeviceId ? { ...videoConstraints, deviceId: { exact: choice.videoDeviceId } } : videoConstraints;
  /** @type {Array<[MediaStreamConstraints, string]>} */
  const attempts = [
    [{ audio, video }, ''],
    [{ audio }, 'Your camera could not be used, so others will not see you.'],
    [{ video }, 'Your microphone could not be used, so others will not hear you.'],
  ];
  for (const [constraints, problem] of attempts) {
    try {
      return { stream: await navigator.mediaDevices.getUserMedia(constraints), problem };
    } catch (err) {
      console.warn('safemeet: getUserMedia failed', constraints, err);
    }
  }
  return {
    stream: new MediaStream(),
    problem: 'Your camera and microphone could not be used. Check that the browser may use them. You can still join and listen.',
  };
}

/**
 * Lists cameras and microphones. Labels are only filled in once the person has
 * allowed access, so call this after getLocalMedia.
 * @returns {Promise<{ cameras: MediaDeviceInfo[], microphones: MediaDeviceInfo[] }>}
 */
export async function listDevices() {
  if (!navigator.mediaDevices?.enumerateDevices) return { cameras: [], microphones: [] };
  const devices = await navigator.mediaDevices.enumerateDevices();
  return {
    cameras: devices.filter((d) => d.kind === 'videoinput' && d.deviceId),
    microphones: devices.filter((d) => d.kind === 'audioinput' && d.deviceId),
  };
}

/**
 * Stops every track of stream (turns the camera light off).
 * @param {MediaStream | null | undefined} stream
 */
export function stopStream(stream) {
  for (const track of stream?.getTracks() ?? []) track.stop();
}

/**
 * The device ID a track is using, if known.
 * @param {MediaStream} stream
 * @param {'audio' | 'video'} kind
 * @returns {string}
 */
export function currentDeviceId(stream, kind) {
  const track = kind === 'audio' ? stream.getAudioTracks()[0] : stream.getVideoTracks()[0];
  return track?.getSettings().deviceId ?? '';
}
