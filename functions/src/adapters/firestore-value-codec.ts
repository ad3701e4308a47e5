/**
 * The exact encoding of Firestore values in snapshot files. A snapshot works on the wire values
 * (`google.firestore.v1.Value`), not on the JavaScript values the client turns them into: those
 * lose the difference between the integer 2 and the double 2.0, integers beyond 2^53, and the
 * sign of -0.0. Each value becomes a one-key JSON object whose key names its type:
 *
 * | key | type | JSON |
 * | --- | --- | --- |
 * | `s` | string | the string |
 * | `i` | integer (int64) | decimal string |
 * | `d` | double | number, or `"NaN"`, `"Infinity"`, `"-Infinity"`, `"-0"` |
 * | `b` | boolean | true/false |
 * | `n` | null | null |
 * | `t` | timestamp | `[seconds, nanos]` |
 * | `g` | geo point | `[latitude, longitude]` (doubles as for `d`) |
 * | `y` | bytes | base64 |
 * | `r` | reference into the same database | path relative to the database (`tickets/a`) |
 * | `R` | reference into another database | the full resource name |
 * | `a` | array | array of values |
 * | `m` | map | object of values, keys sorted |
 *
 * Map keys are sorted, so the same data always encodes to the same bytes. References into the
 * snapshot's own database are stored relative to it and written back relative to the restore
 * target, so a restored copy refers to itself (and reads back byte for byte the same).
 */

/** A Firestore wire value, as the Node client's gRPC layer decodes it (int64 as string, bytes as Buffer). */
export interface WireValue {
  valueType?: string;
  nullValue?: unknown;
  booleanValue?: boolean | null;
  integerValue?: string | number | null;
  doubleValue?: number | null;
  timestampValue?: { seconds?: string | number | null; nanos?: number | null } | null;
  stringValue?: string | null;
  bytesValue?: Uint8Array | string | null;
  referenceValue?: string | null;
  geoPointValue?: { latitude?: number | null; longitude?: number | null } | null;
  arrayValue?: { values?: WireValue[] | null } | null;
  mapValue?: { fields?: Record<string, WireValue> | null } | null;
}

export type WireFields = Record<string, WireValue>;

/** An encoded value: one key naming the type. */
export type EncodedValue = Readonly<Record<string, unknown>>;

const WIRE_KINDS = [
  'nullValue',
  'booleanValue',
  'integerValue',
  'doubleValue',
  'timestampValue',
  'stringValue',
  'bytesValue',
  'referenceValue',
  'geoPointValue',
  'arrayValue',
  'mapValue',
] as const;

function kindOf(value: WireValue): (typeof WIRE_KINDS)[number] {
  if (value.valueType !== undefined) return value.valueType as (typeof WIRE_KINDS)[number];
  const kind = WIRE_KINDS.find((k) => value[k] !== undefined && value[k] !== null);
  if (kind === undefined) throw new Error(`Cannot encode a Firestore value without a type: ${JSON.stringify(value)}`);
  return kind;
}

function encodeDouble(value: number): number | string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return 'Infinity';
  if (value === -Infinity) return '-Infinity';
  if (value === 0 && 1 / value < 0) return '-0';
  return value;
}

function decodeDouble(value: unknown): number {
  if (typeof value === 'number') return value;
  switch (value) {
    case 'NaN':
      return NaN;
    case 'Infinity':
      return Infinity;
    case '-Infinity':
      return -Infinity;
    case '-0':
      return -0;
    default:
      throw new Error(`Not an encoded double: ${JSON.stringify(value)}`);
  }
}

/** Encodes one wire value; `root` is the database's documents root (`projects/p/databases/d/documents`). */
function encodeValue(value: WireValue, root: string): EncodedValue {
  const kind = kindOf(value);
  switch (kind) {
    case 'nullValue':
      return { n: null };
    case 'booleanValue':
      return { b: value.booleanValue === true };
    case 'integerValue':
      return { i: String(value.integerValue ?? '0') };
    case 'doubleValue':
      return { d: encodeDouble(value.doubleValue ?? 0) };
    case 'timestampValue':
      return { t: [Number(value.timestampValue?.seconds ?? 0), value.timestampValue?.nanos ?? 0] };
    case 'stringValue':
      return { s: value.stringValue ?? '' };
    case 'bytesValue': {
      const bytes = value.bytesValue ?? '';
      return { y: typeof bytes === 'string' ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64') };
    }
    case 'referenceValue': {
      const name = value.referenceValue ?? '';
      return name.startsWith(`${root}/`) ? { r: name.slice(root.length + 1) } : { R: name };
    }
    case 'geoPointValue':
      return { g: [encodeDouble(value.geoPointValue?.latitude ?? 0), encodeDouble(value.geoPointValue?.longitude ?? 0)] };
    case 'arrayValue':
      return { a: (value.arrayValue?.values ?? []).map((v) => encodeValue(v, root)) };
    case 'mapValue':
      return { m: encodeFields(value.mapValue?.fields ?? {}, root) };
  }
}

/** Encodes a document's fields, keys sorted. */
export function encodeFields(fields: Readonly<WireFields>, root: string): Record<string, EncodedValue> {
  const out: Record<string, EncodedValue> = {};
  for (const key of Object.keys(fields).sort()) out[key] = encodeValue(fields[key] as WireValue, root);
  return out;
}

/** Decodes one encoded value back to the wire value; references are rebased onto `root`. */
function decodeValue(encoded: EncodedValue, root: string): WireValue {
  const [key] = Object.keys(encoded);
  const raw = key === undefined ? undefined : encoded[key];
  switch (key) {
    case 'n':
      return { nullValue: 'NULL_VALUE' };
    case 'b':
      return { booleanValue: raw === true };
    case 'i':
      return { integerValue: String(raw) };
    case 'd':
      return { doubleValue: decodeDouble(raw) };
    case 't': {
      const [seconds, nanos] = raw as [number, number];
      return { timestampValue: { seconds: String(seconds), nanos } };
    }
    case 's':
      return { stringValue: String(raw) };
    case 'y':
      return { bytesValue: Buffer.from(String(raw), 'base64') };
    case 'r':
      return { referenceValue: `${root}/${String(raw)}` };
    case 'R':
      return { referenceValue: String(raw) };
    case 'g': {
      const [latitude, longitude] = raw as [unknown, unknown];
      return { geoPointValue: { latitude: decodeDouble(latitude), longitude: decodeDouble(longitude) } };
    }
    case 'a':
      return { arrayValue: { values: (raw as EncodedValue[]).map((v) => decodeValue(v, root)) } };
    case 'm':
      return { mapValue: { fields: decodeFields(raw as Record<string, EncodedValue>, root) } };
    default:
      throw new Error(`Not an encoded Firestore value: ${JSON.stringify(encoded)}`);
  }
}

/** Decodes a document's encoded fields. */
export function decodeFields(encoded: Readonly<Record<string, EncodedValue>>, root: string): WireFields {
  const out: WireFields = {};
  for (const [key, value] of Object.entries(encoded)) out[key] = decodeValue(value, root);
  return out;
}

/** One snapshot line: the document's path relative to its database and its encoded fields. */
export function documentLine(path: string, fields: Readonly<WireFields>, root: string): string {
  return JSON.stringify({ p: path, f: encodeFields(fields, root) });
}

/** Parses one snapshot line. */
export function parseDocumentLine(line: string): { path: string; fields: Record<string, EncodedValue> } {
  const parsed = JSON.parse(line) as { p?: unknown; f?: unknown };
  if (typeof parsed.p !== 'string' || parsed.p === '' || typeof parsed.f !== 'object' || parsed.f === null) {
    throw new Error('Not a snapshot line');
  }
  return { path: parsed.p, fields: parsed.f as Record<string, EncodedValue> };
}
