/**
 * Ids that callers name (path parameters, cursors, organisation and user ids). They become
 * Firestore document ids, and Firestore reserves `.`, `..` and every id of the form `__…__`:
 * such an id is refused at the edge (`404` in a path, `400` in a body or cursor) instead of
 * failing in the database.
 */

/** The characters an id may hold: unreserved URL characters, at most 128 of them. */
const ID_PATTERN = /^[A-Za-z0-9_.~-]{1,128}$/;

/** True for the ids Firestore reserves for itself. */
export function isReservedId(value: string): boolean {
  return value === '.' || value === '..' || /^__.*__$/s.test(value);
}

/** True when `value` has the shape of an id and is not reserved. */
export function isUsableId(value: string): boolean {
  return ID_PATTERN.test(value) && !isReservedId(value);
}
