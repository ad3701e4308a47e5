/** The snapshot encoding of Firestore wire values: exact for every type, and canonical. */
import fc from 'fast-check';
import { decodeFields, documentLine, encodeFields, parseDocumentLine, type WireValue } from '../../../functions/src/adapters/firestore-value-codec';

const ROOT = 'projects/demo-tuki/databases/(default)/documents';
const OTHER_ROOT = 'projects/demo-tuki/databases/restored/documents';

const scalar: fc.Arbitrary<WireValue> = fc.oneof(
  fc.string().map((stringValue) => ({ stringValue })),
  fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }).map((n) => ({ integerValue: n.toString() })),
  fc.double().map((doubleValue) => ({ doubleValue })),
  fc.boolean().map((booleanValue) => ({ booleanValue })),
  fc.constant({ nullValue: 'NULL_VALUE' }),
  fc.record({ seconds: fc.integer({ min: -62135596800, max: 253402300799 }).map(String), nanos: fc.integer({ min: 0, max: 999_999_999 }) }).map((timestampValue) => ({ timestampValue })),
  fc.record({ latitude: fc.double({ min: -90, max: 90 }), longitude: fc.double({ min: -180, max: 180 }) }).map((geoPointValue) => ({ geoPointValue })),
  fc.uint8Array({ maxLength: 40 }).map((bytes) => ({ bytesValue: Buffer.from(bytes) })),
  fc.stringMatching(/^[a-z]{1,8}\/[a-z0-9]{1,8}$/).map((path) => ({ referenceValue: `${ROOT}/${path}` })),
);

const value: fc.Arbitrary<WireValue> = fc.letrec<{ value: WireValue }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    scalar,
    fc.array(tie('value'), { maxLength: 4 }).map((values) => ({ arrayValue: { values } })),
    fc.dictionary(fc.string({ minLength: 1, maxLength: 6 }), tie('value'), { maxKeys: 4 }).map((fields) => ({ mapValue: { fields } })),
  ),
})).value;

const fields = fc.dictionary(fc.string({ minLength: 1, maxLength: 8 }), value, { maxKeys: 6 });

describe('the snapshot value encoding', () => {
  it('when any document is encoded to a line and read back, then it decodes to the same wire values and re-encodes to the same bytes', () => {
    fc.assert(
      fc.property(fields, (original) => {
        const line = documentLine('tickets/a', original, ROOT);
        const parsed = parseDocumentLine(line);
        const decoded = decodeFields(parsed.fields, ROOT);
        expect(documentLine(parsed.path, decoded, ROOT)).toBe(line);
        expect(encodeFields(decoded, ROOT)).toEqual(encodeFields(original, ROOT));
      }),
      { numRuns: 300 },
    );
  });

  it('keeps what JavaScript numbers would lose: a double 2.0, -0.0, NaN, infinities and int64 beyond 2^53', () => {
    const line = documentLine(
      'k/1',
      {
        two: { doubleValue: 2 },
        zero: { doubleValue: -0 },
        nan: { doubleValue: NaN },
        inf: { doubleValue: -Infinity },
        big: { integerValue: '-9223372036854775808' },
        int: { integerValue: '2' },
      },
      ROOT,
    );
    expect(JSON.parse(line)).toEqual({ p: 'k/1', f: { big: { i: '-9223372036854775808' }, inf: { d: '-Infinity' }, int: { i: '2' }, nan: { d: 'NaN' }, two: { d: 2 }, zero: { d: '-0' } } });
    const decoded = decodeFields(parseDocumentLine(line).fields, ROOT);
    expect(Object.is(decoded['zero']?.doubleValue, -0)).toBe(true);
    expect(decoded['two']).toEqual({ doubleValue: 2 });
    expect(decoded['int']).toEqual({ integerValue: '2' });
  });

  it('the same data encodes to the same bytes whatever the order of its map keys', () => {
    const a = documentLine('k/1', { b: { integerValue: '1' }, a: { mapValue: { fields: { y: { stringValue: 'y' }, x: { stringValue: 'x' } } } } }, ROOT);
    const b = documentLine('k/1', { a: { mapValue: { fields: { x: { stringValue: 'x' }, y: { stringValue: 'y' } } } }, b: { integerValue: '1' } }, ROOT);
    expect(a).toBe(b);
  });

  it('a reference into the snapshot database is restored into the target database; one elsewhere is kept as it was', () => {
    const line = documentLine('k/1', { own: { referenceValue: `${ROOT}/tickets/a` }, foreign: { referenceValue: 'projects/x/databases/(default)/documents/a/b' } }, ROOT);
    const decoded = decodeFields(parseDocumentLine(line).fields, OTHER_ROOT);
    expect(decoded['own']).toEqual({ referenceValue: `${OTHER_ROOT}/tickets/a` });
    expect(decoded['foreign']).toEqual({ referenceValue: 'projects/x/databases/(default)/documents/a/b' });
  });

  it('a line that is not a snapshot line is refused', () => {
    expect(() => parseDocumentLine('{"f":{}}')).toThrow('Not a snapshot line');
    expect(() => decodeFields({ x: { q: 1 } }, ROOT)).toThrow('Not an encoded Firestore value');
  });
});
