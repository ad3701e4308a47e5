/** `expireAt` for bookkeeping records that a Firestore TTL policy deletes (see `EXPIRING_RECORDS`). */
import { Timestamp } from '@google-cloud/firestore';
import { EXPIRE_AT_FIELD, EXPIRING_RECORDS, type ExpiringRecord } from '../manifest';

const DAY_MS = 24 * 60 * 60 * 1000;

/** The `expireAt` field of a record of `kind` written at `writtenAt` (ISO 8601). */
export function expiry(kind: ExpiringRecord, writtenAt: string): { expireAt: Timestamp } {
  const written = Date.parse(writtenAt);
  if (Number.isNaN(written)) throw new Error(`expiry: not a timestamp: ${writtenAt}`);
  return { [EXPIRE_AT_FIELD]: Timestamp.fromMillis(written + EXPIRING_RECORDS[kind].days * DAY_MS) };
}
