/**
 * A per-instance cache of reads for a few seconds, for configuration that nearly every
 * request reads (the catalog, SLA policies, redaction policies).
 */
import type { Clock } from '../application/ports';

export class TtlCache {
  private readonly entries = new Map<string, { value: Promise<unknown>; at: number }>();

  constructor(
    private readonly clock: Clock,
    private readonly ttlMs: number,
  ) {}

  /**
   * The cached value of `key`, or `load()`'s. The cache holds the load itself, so that
   * concurrent callers on a cold entry share one read; a failed load is dropped so the next
   * caller tries again; an entry from the "future" (a clock moved back) counts as expired.
   */
  get<T>(key: string, load: () => Promise<T>): Promise<T> {
    const hit = this.entries.get(key);
    const now = this.clock.now();
    if (hit !== undefined && now >= hit.at && now - hit.at < this.ttlMs) return hit.value as Promise<T>;
    const value = load();
    this.entries.set(key, { value, at: now });
    value.catch(() => {
      if (this.entries.get(key)?.value === value) this.entries.delete(key);
    });
    return value;
  }

  /** Forgets `key`, after this instance wrote it. */
  delete(key: string): void {
    this.entries.delete(key);
  }
}
