// Test hook: window.safemeetDebug gives end-to-end tests (and curious developers)
// the page's two RTCPeerConnections, to read getStats(). It is non-enumerable and
// exposes nothing the page's own scripts could not already reach; it is not an API.

/** @typedef {import('./media.js').MediaSession} MediaSession */

/**
 * Defines window.safemeetDebug = { publishPC, subscribePC } (live getters).
 * @param {MediaSession} media
 */
export function exposeDebugHook(media) {
  const hook = Object.freeze({
    /** @returns {RTCPeerConnection | null} */
    get publishPC() { return media.publishPC; },
    /** @returns {RTCPeerConnection | null} */
    get subscribePC() { return media.subscribePC; },
  });
  Object.defineProperty(window, 'safemeetDebug', { value: hook, enumerable: false, configurable: true, writable: false });
}
