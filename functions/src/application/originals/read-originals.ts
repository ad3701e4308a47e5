/** `GET /v1/tickets/{id}/originals?reason=…`: the unredacted originals, for privacy officers, audited. */
import type { Principal } from '../../domain/access';
import type { DataKey, DestroyRecord } from '../ports';
import type { OriginalSource, SealedOriginal } from '../records';
import { iso } from '../../domain/instant';
import { assertPrivacyOfficer, type PrivacyDeps } from './privacy-officer';

export interface OriginalText {
  readonly id: string;
  readonly source: OriginalSource;
  readonly messageId: string | null;
  readonly text: string;
  readonly createdAt: string;
}

/** A sealed text that no live key opens: destroyed, named without its content. */
export type DestroyedOriginal = Omit<OriginalText, 'text'>;

/**
 * `GET /v1/tickets/{id}/originals`: privacy officers only; every read is audited first. What the
 * ticket's live key opens is decoded; every other text (sealed under a destroyed or an unkept
 * key) is listed under `destroyedOriginals`, never a failure.
 */
export async function readOriginals(
  deps: PrivacyDeps,
  principal: Principal,
  ticketId: string,
  reason: string,
): Promise<{
  ticketId: string;
  originals: OriginalText[];
  destroyedOriginals: DestroyedOriginal[];
  keyDestroyedAt: string | null;
  destroys: DestroyRecord[];
  auditId: string;
}> {
  assertPrivacyOfficer(principal, await deps.tickets.get(ticketId));
  const at = iso(deps.clock.now());
  const auditId = deps.ids.newId();
  await deps.originals.audit({ id: auditId, action: 'originals.read', ticketId, by: principal.uid, at, reason: deps.redactor.forEveryone(reason).text });
  const [stored, sealed, destroys] = await Promise.all([deps.originals.keyState(ticketId), deps.originals.list(ticketId), deps.originals.destroys(ticketId)]);
  const key = stored.state === 'live' ? await deps.vault.unwrap(stored.wrapped) : null;
  const originals: OriginalText[] = [];
  const destroyedOriginals: DestroyedOriginal[] = [];
  for (const text of sealed) {
    const opened = key === null ? null : openOrNull(deps, key, text);
    const named = { id: text.id, source: text.source, messageId: text.messageId, createdAt: text.createdAt };
    if (opened === null) destroyedOriginals.push(named);
    else originals.push({ ...named, text: opened });
  }
  return { ticketId, originals, destroyedOriginals, keyDestroyedAt: destroys.at(-1)?.at ?? null, destroys, auditId };
}

/** The text, or null when the key does not open it (sealed under another key, now destroyed). */
function openOrNull(deps: PrivacyDeps, key: DataKey, text: SealedOriginal): string | null {
  try {
    return deps.vault.open(key, text.sealed);
  } catch {
    return null;
  }
}
