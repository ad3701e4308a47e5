/**
 * Sealing redaction originals with the ticket's data key (envelope encryption). Used at intake,
 * on new messages and by manual redaction; see `originals.ts` for reading and destroying them.
 */
import type { IdGenerator, KeyVault, OriginalsRepository } from './ports';
import type { OriginalSource, OriginalsToStore } from './records';

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
 * Seals the originals of a ticket with its data key (a new one if it has none). Returns
 * undefined when there is nothing to keep.
 */
export async function sealOriginals(
  deps: OriginalsDeps,
  ticketId: string,
  inputs: readonly OriginalInput[],
  at: string,
  hasKey: boolean,
): Promise<OriginalsToStore | undefined> {
  if (inputs.length === 0) return undefined;
  let dataKey: OriginalsToStore['dataKey'] = null;
  let key;
  const wrapped = hasKey ? await deps.originals.wrappedKey(ticketId) : null;
  if (wrapped !== null) {
    key = await deps.vault.unwrap(wrapped);
  } else {
    const fresh = await deps.vault.newDataKey();
    key = fresh.key;
    dataKey = { wrapped: fresh.wrapped, keyName: fresh.keyName, createdAt: at };
  }
  return {
    dataKey,
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

