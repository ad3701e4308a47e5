/** Instants as tuki stores and sends them. */

/** Epoch milliseconds as ISO-8601 UTC (`toISOString()`), the form every stored instant takes. */
export function iso(ms: number): string {
  return new Date(ms).toISOString();
}
