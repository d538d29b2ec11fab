// Human names for the server's roles. Roles always come from the server.

/** @type {Readonly<Record<string, string>>} */
const names = { host: 'Host', 'co-host': 'Co-host', participant: 'Participant' };

/**
 * The name shown on a role badge.
 * @param {string} role The server's role, e.g. "co-host".
 * @returns {string}
 */
export function roleName(role) {
  return names[role] ?? (role || 'Participant');
}

/**
 * Whether a role may run the meeting (admit, deny, end).
 * @param {string} role
 * @returns {boolean}
 */
export function isHostRole(role) {
  return role === 'host' || role === 'co-host';
}

/**
 * The role label worth showing beside a role badge: empty when it only repeats
 * the role (staff often have the label "Host").
 * @param {string} roleLabel E.g. "parent of Sam, 9B".
 * @param {string} role
 * @returns {string}
 */
export function extraLabel(roleLabel, role) {
  return roleLabel.trim().toLowerCase() === roleName(role).toLowerCase() ? '' : roleLabel;
}
