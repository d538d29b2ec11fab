// Secrets in links (sign-in and invitation tokens) travel in the URL fragment, which
// browsers never send to servers or in Referer headers. Pages take them out of the
// address bar at first use, so they do not linger in history or screenshots.

/**
 * Returns the fragment of the current URL (without "#") and removes it from the
 * address bar and the history entry.
 * @returns {string}
 */
export function takeFragment() {
  const raw = location.hash.slice(1);
  if (raw) history.replaceState(history.state, '', location.pathname + location.search);
  try {
    return decodeURIComponent(raw).trim();
  } catch {
    return raw.trim();
  }
}

/**
 * Reloads the page when a new fragment arrives without a page load (someone opens
 * another link to this same page in this tab), so that link's token is used.
 */
export function reloadOnNewFragment() {
  window.addEventListener('hashchange', () => {
    if (location.hash.length > 1) location.reload();
  });
}
