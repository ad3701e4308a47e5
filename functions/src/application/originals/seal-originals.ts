/**
 * Sealing redaction originals with the ticket's data key (envelope encryption). Used at intake,
 * on new messages and by manual redaction; see `read-originals.ts` and `destroy-originals.ts` for reading and destroying them.
 */
import { DomainError, ERROR_CODES } from '../../domain/errors';
import type { DataKey, DataKeyState, IdGenerator, KeyVault, OriginalsRepository } from '../ports';
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

/** What sealing does after the ticket's key was destroyed with `afterwards: 'refused'`. */
export type WhenRefused = 'refuse' | 'seal-unreadable';

/**
 * Seals the originals of a ticket with its data key. Returns undefined when there is nothing
 * to keep. A ticket without a key gets one, created if absent before anything is sealed: when
 * two requests race, both seal with the key that won. (For a ticket being created nothing can
 * exist yet, so the look-up is skipped; a key left by a failed creation protects nothing.)
 *
 * After a destroy no key is ever made again (the tombstone stands in the key's place): texts
 * are sealed under a key that is never kept, so they are as destroyed as the texts before them,
 * or refused (`422`) when the privacy officer chose so. A text read the key before the destroy
 * and committed after it is sealed under the destroyed key: unreadable too. Manual redaction
 * passes `seal-unreadable`: masking more must never be refused.
 */
export async function sealOriginals(
  deps: OriginalsDeps,
  ticketId: string,
  inputs: readonly OriginalInput[],
  at: string,
  ticketIsNew: boolean,
  whenRefused: WhenRefused = 'refuse',
): Promise<OriginalsToStore | undefined> {
  if (inputs.length === 0) return undefined;
  const key = await sealingKey(deps, ticketId, at, ticketIsNew, whenRefused);
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

async function sealingKey(deps: OriginalsDeps, ticketId: string, at: string, ticketIsNew: boolean, whenRefused: WhenRefused): Promise<DataKey> {
  let stored: DataKeyState = ticketIsNew ? { state: 'none' } : await deps.originals.keyState(ticketId);
  if (stored.state === 'none') {
    const fresh = await deps.vault.newDataKey();
    stored = await deps.originals.createKey(ticketId, { wrapped: fresh.wrapped, keyName: fresh.keyName, createdAt: at });
    if (stored.state === 'live' && stored.wrapped === fresh.wrapped) return fresh.key;
  }
  if (stored.state === 'live') return deps.vault.unwrap(stored.wrapped);
  if (stored.state === 'destroyed' && stored.afterwards === 'refused' && whenRefused === 'refuse') {
    throw new DomainError(ERROR_CODES.sealingRefused, "This ticket's originals were destroyed and no sensitive data may be added to it; send the text without it", {
      ticketId,
    });
  }
  return deps.vault.unkeptKey();
}
