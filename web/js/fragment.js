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

/**
 * The token of this page's link, kept for this tab: taken from the link (and
 * stored in sessionStorage under key) or, on a reload, read back from there,
 * so the token works again in this tab and nowhere else.
 * @param {string} key
 * @returns {string} "" if there is none.
 */
export function tabToken(key) {
  const fromLink = takeFragment();
  try {
    if (fromLink) sessionStorage.setItem(key, fromLink);
    return fromLink || sessionStorage.getItem(key) || '';
  } catch {
    return fromLink; // storage may be off; the link still works once
  }
}

/**
 * Forgets the token kept under key (it is not valid).
 * @param {string} key
 */
export function forgetTabToken(key) {
  try {
    sessionStorage.removeItem(key);
  } catch {
    // nothing to forget
  }
}
