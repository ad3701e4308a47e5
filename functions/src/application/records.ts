/** Records the use cases exchange with their ports: messages and sealed originals. */
import type { MessageVisibility, RedactionCount } from '../domain/ticket';

/** A message on a ticket, stored redacted. */
export interface Message {
  readonly id: string;
  readonly ticketId: string;
  readonly authorUid: string;
  readonly authorKind: 'customer' | 'staff' | 'system';
  readonly visibility: MessageVisibility;
  readonly body: string;
  readonly createdAt: string;
  readonly redactions: readonly RedactionCount[];
}

/** Where an original text came from. */
export type OriginalSource = 'subject' | 'description' | 'category' | 'message' | 'csat_comment';

/** An original (unredacted) text, encrypted with the ticket's data key. */
export interface SealedOriginal {
  readonly id: string;
  readonly ticketId: string;
  readonly source: OriginalSource;
  /** The message it belongs to, for `message`. */
  readonly messageId: string | null;
  /** base64 AES-256-GCM ciphertext, IV and tag (the vault's format). */
  readonly sealed: string;
  readonly createdAt: string;
}

/** Originals to store with a state change (sealed with a key stored beforehand). */
export interface OriginalsToStore {
  readonly texts: readonly SealedOriginal[];
}
