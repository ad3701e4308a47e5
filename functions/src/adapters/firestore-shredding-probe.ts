/**
 * The drill's crypto-shredding check, and its report log, on Firestore.
 *
 * The restored copy holds sealed originals (`originals/{ticketId}/texts/{id}`) and the
 * tombstones of destroyed keys (`destroyedKeys/{ticketId}`), but never the wrapped data keys:
 * those live in the keys database, which no snapshot reads. The probe opens the restored sealed
 * texts with the live keys. A ticket whose key was destroyed (a tombstone in the restored copy or
 * in the live database) must not open; any other must, which shows the check can tell the two
 * apart.
 */
import type { Firestore } from '@google-cloud/firestore';
import type { DrillReportLog, ShreddingProbe } from '../application/backups/ports';
import type { KeyVault } from '../application/ports';
import type { CryptoShreddingCheck, RestoreDrillReport } from '../domain/backups';
import { COLLECTIONS } from './firestore-names';

/** Tickets whose restored originals are opened, at most: a sample is proof enough and bounds the drill. */
const SAMPLE = 200;

export class FirestoreShreddingProbe implements ShreddingProbe {
  constructor(
    private readonly restored: Firestore,
    private readonly live: Firestore,
    private readonly keys: Firestore,
    private readonly vault: KeyVault,
  ) {}

  async check(): Promise<CryptoShreddingCheck> {
    const [restoredTombstones, liveTombstones, texts] = await Promise.all([
      this.restored.collection(COLLECTIONS.destroyedKeys).select().limit(SAMPLE).get(),
      this.live.collection(COLLECTIONS.destroyedKeys).select().limit(SAMPLE).get(),
      this.restored.collectionGroup(COLLECTIONS.originalTexts).limit(SAMPLE * 5).get(),
    ]);
    const destroyed = new Set([...restoredTombstones.docs, ...liveTombstones.docs].map((d) => d.id));
    const sealedByTicket = new Map<string, string>();
    for (const doc of texts.docs) {
      const ticketId = doc.ref.parent.parent?.id;
      const sealed: unknown = doc.get('sealed');
      if (ticketId !== undefined && typeof sealed === 'string' && !sealedByTicket.has(ticketId)) sealedByTicket.set(ticketId, sealed);
    }
    const tickets = new Set([...destroyed, ...[...sealedByTicket.keys()].slice(0, SAMPLE)]);
    const check = { destroyedKeysChecked: 0, destroyedKeysUnreadable: 0, liveKeysChecked: 0, liveKeysReadable: 0 };
    for (const ticketId of tickets) {
      const readable = await this.opens(ticketId, sealedByTicket.get(ticketId) ?? (await this.firstSealed(ticketId)));
      if (destroyed.has(ticketId)) {
        check.destroyedKeysChecked++;
        if (!readable) check.destroyedKeysUnreadable++;
      } else {
        check.liveKeysChecked++;
        if (readable) check.liveKeysReadable++;
      }
    }
    return check;
  }

  private async firstSealed(ticketId: string): Promise<string | undefined> {
    const texts = await this.restored.collection(COLLECTIONS.originals).doc(ticketId).collection(COLLECTIONS.originalTexts).limit(1).get();
    const sealed: unknown = texts.docs[0]?.get('sealed');
    return typeof sealed === 'string' ? sealed : undefined;
  }

  /** Whether the ticket's restored original opens with its live key. */
  private async opens(ticketId: string, sealed: string | undefined): Promise<boolean> {
    if (sealed === undefined) return false;
    const wrapped: unknown = (await this.keys.collection(COLLECTIONS.dataKeys).doc(ticketId).get()).get('wrapped');
    if (typeof wrapped !== 'string') return false;
    try {
      this.vault.open(await this.vault.unwrap(wrapped), sealed);
      return true;
    } catch {
      return false;
    }
  }
}

/** Drill reports in `drills/{id}` of the live database. */
export class FirestoreDrillReportLog implements DrillReportLog {
  constructor(private readonly db: Firestore) {}

  async record(report: RestoreDrillReport): Promise<void> {
    await this.db.collection(COLLECTIONS.drills).doc(report.id).set({ ...report });
  }
}
