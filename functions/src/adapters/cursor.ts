/** Opaque list cursors: base64url JSON of the last item's sort key. */
import { InvalidInputError } from '../domain/errors';
import { isReservedId } from '../domain/ids';

export interface CursorPosition {
  readonly createdAt: string;
  readonly id: string;
}

export function encodeCursor(position: CursorPosition): string {
  return Buffer.from(JSON.stringify(position)).toString('base64url');
}

/** The decoded position, null for no cursor; a malformed cursor is a `400`. */
export function decodeCursor(cursor: string | null): CursorPosition | null {
  if (cursor === null) return null;
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    const position = value as Partial<CursorPosition> | null;
    if (
      typeof position?.createdAt === 'string' &&
      !Number.isNaN(Date.parse(position.createdAt)) &&
      typeof position.id === 'string' &&
      /^[A-Za-z0-9_-]{1,128}$/.test(position.id) &&
      !isReservedId(position.id)
    ) {
      return { createdAt: position.createdAt, id: position.id };
    }
  } catch {
    // fall through to the error below
  }
  throw new InvalidInputError('The cursor is not valid', [{ path: 'cursor', message: 'is not a cursor returned by this API' }]);
}
