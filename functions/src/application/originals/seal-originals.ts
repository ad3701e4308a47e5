/**
 * Sealing redaction originals with the ticket's data key (envelope encryption). Used at intake,
 * on new messages and by manual redaction; see `read-originals.ts` and `destroy-originals.ts` for reading and destroying them.
 */
import type { IdGenerator, KeyVault, OriginalsRepository } from '../ports';
import type { OriginalSource, OriginalsToStore } from '../records';

export interface OriginalsDeps {
  readonly vault: KeyVault;
  readonly originals: OriginalsRepository;
  readonly ids: IdGenerator;
}

export interface OriginalInput {
  readonly source: OriginalSource;
  readonly messageId: string | null;
  readonly text: string;
}

/**
 * Seals the originals of a ticket with its data key. Returns undefined when there is nothing
 * to keep. A ticket without a key gets one, created if absent before anything is sealed: when
 * two requests race, both seal with the key that won. (For a ticket being created nothing can
 * exist yet, so the look-up is skipped; a key left by a failed creation protects nothing.)
 */
export async function sealOriginals(
  deps: OriginalsDeps,
  ticketId: string,
  inputs: readonly OriginalInput[],
  at: string,
  ticketIsNew: boolean,
): Promise<OriginalsToStore | undefined> {
  if (inputs.length === 0) return undefined;
  let key;
  const wrapped = ticketIsNew ? null : await deps.originals.wrappedKey(ticketId);
  if (wrapped !== null) {
    key = await deps.vault.unwrap(wrapped);
  } else {
    const fresh = await deps.vault.newDataKey();
    const winner = await deps.originals.createKey(ticketId, { wrapped: fresh.wrapped, keyName: fresh.keyName, createdAt: at });
    key = winner === fresh.wrapped ? fresh.key : await deps.vault.unwrap(winner);
  }
  return {
    texts: inputs.map((input) => ({
      id: deps.ids.newId(),
      ticketId,
      source: input.source,
      messageId: input.messageId,
      sealed: deps.vault.seal(key, input.text),
      createdAt: at,
    })),
  };
}
