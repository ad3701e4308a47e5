/**
 * The coverage check of `redaction-everywhere.test.ts` finds a free-text field of every shape
 * a request schema can hide one in, and leaves ids, enums, dates and addresses alone.
 */
import { z } from 'zod';
import { freeTextFields } from '../../integration/free-text-fields';
import { POSITIVES } from './corpus';

const PROBES = POSITIVES.map((sample) => sample.text);
const fieldsOf = (shape: z.ZodRawShape) => [...freeTextFields(z.object(shape), PROBES).keys()].sort();

describe('the coverage check over a request schema', () => {
  it('finds a plain string with its maximum length, and a nested one', () => {
    const fields = freeTextFields(z.object({ note: z.string().max(300), nested: z.object({ text: z.string() }) }), PROBES);
    expect([...fields]).toEqual([
      ['note', 300],
      ['nested.text', 20_000],
    ]);
  });

  it.each([
    ['a record of strings (values and keys)', { notes: z.record(z.string(), z.string()) }, ['notes.*', 'notes.<key>']],
    ['the keys of a record of numbers', { scores: z.record(z.string(), z.number()) }, ['scores.<key>']],
    ['a loose object’s other keys', { extra: z.looseObject({ count: z.number() }) }, ['extra.*', 'extra.<key>']],
    ['an item of a tuple', { pair: z.tuple([z.literal('note'), z.string()]) }, ['pair[1]']],
    ['the rest of a tuple', { list: z.tuple([z.number()], z.string()) }, ['list[]']],
    ['an array item', { lines: z.array(z.string()) }, ['lines[]']],
    ['a string whose pattern admits a sentence', { comment: z.string().regex(/^[^<>]*$/) }, ['comment']],
    ['a string whose pattern admits words and spaces', { label: z.string().regex(/^[A-Za-z ]{1,80}$/) }, ['label']],
    ['a URL (its path and query carry any text)', { link: z.url() }, ['link']],
    ['an untyped value', { anything: z.custom<unknown>(() => true) }, ['anything']],
    ['an option of a union', { either: z.union([z.number(), z.string()]) }, ['either']],
  ])('finds %s', (_shape, shape, expected) => {
    expect(fieldsOf(shape)).toEqual(expected);
  });

  it('leaves alone what holds no words: enums, constants, ids, slugs, language tags, tokens, dates, times, uuids, email addresses, numbers', () => {
    expect(
      fieldsOf({
        kind: z.enum(['email', 'phone_number']),
        version: z.literal('v1'),
        orgId: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/),
        product: z.string().regex(/^[a-z0-9-]{1,40}$/),
        language: z.string().regex(/^[a-z]{2,3}(-[A-Za-z]{2,4})?$/),
        token: z.string().regex(/^[A-Za-z0-9_-]{16,128}$/),
        day: z.iso.date(),
        at: z.iso.datetime(),
        id: z.uuid(),
        email: z.email(),
        rating: z.number().int(),
        kinds: z.array(z.enum(['email'])),
        byProduct: z.record(z.enum(['online', 'tms']), z.number()),
      }),
    ).toEqual([]);
  });

  it('judges a pattern by the longest text the field admits', () => {
    expect(fieldsOf({ short: z.string().regex(/^.*$/).max(3) })).toEqual([]);
    expect(fieldsOf({ long: z.string().regex(/^.*$/).max(300) })).toEqual(['long']);
  });

  it('follows a recursive schema without looping', () => {
    interface Thread {
      text: string;
      replies: Thread[];
    }
    const thread: z.ZodType<Thread> = z.lazy(() => z.object({ text: z.string(), replies: z.array(thread) }));
    expect([...freeTextFields(z.object({ thread }), PROBES).keys()]).toEqual(expect.arrayContaining(['thread.text']));
  });
});
