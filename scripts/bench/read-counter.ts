/**
 * Counts the Firestore documents this process reads while a piece of work runs: every
 * document a `DocumentReference.get` or a query's `get` returns. A wrapper around the client
 * library, for benchmarks only, so that production adapters carry no counter.
 */
import { DocumentReference, Query } from '@google-cloud/firestore';

/**
 * Runs `work` with the client's reads counted, and restores the client afterwards. Nothing
 * else in the process may read meanwhile: the count is of the process, not of `work`.
 */
export async function countDocumentReads<T>(work: () => Promise<T>): Promise<{ result: T; reads: number }> {
  let reads = 0;
  // Kept to be called with the right `this` and to be put back on the prototypes afterwards.
  /* eslint-disable @typescript-eslint/unbound-method */
  const getDocument = DocumentReference.prototype.get;
  const runQuery = Query.prototype.get;
  /* eslint-enable @typescript-eslint/unbound-method */
  DocumentReference.prototype.get = async function countedGet(this: DocumentReference) {
    const snapshot = await getDocument.call(this);
    reads += 1;
    return snapshot;
  };
  Query.prototype.get = async function countedQuery(this: Query) {
    const snapshot = await runQuery.call(this);
    reads += snapshot.size;
    return snapshot;
  };
  try {
    const result = await work();
    return { result, reads };
  } finally {
    DocumentReference.prototype.get = getDocument;
    Query.prototype.get = runQuery;
  }
}
