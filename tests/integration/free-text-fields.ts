/**
 * Which fields of a request schema take free text: the coverage check of
 * `redaction-everywhere.test.ts` lists them for every route, so that a field the table does
 * not name fails that test.
 *
 * A field takes free text when a person can write words into it. Decided per shape of the
 * JSON schema (zod's `toJSONSchema`, input side):
 * - a string with no enum or constant: free text, unless a `pattern` or a `format` closes it;
 * - a `pattern` closes a string when it admits none of the probe sentences (ids, slugs,
 *   language tags, dates and tokens admit no space, so no sentence); a pattern that lets a
 *   sentence through is free text whatever it is named. Only sentences probe: a bare key
 *   fits a token's pattern (`[A-Za-z0-9_-]{16,128}`), and such a field is compared, not kept;
 * - a `format` with no pattern closes a string only when its values cannot hold words (dates,
 *   times, durations, uuids, addresses of machines); a URL can carry any text in its path or
 *   query, so `uri` stays free text. An `email` field holds an address, which the service
 *   needs as written (a subscriber's), and zod gives it a pattern that admits no sentence;
 * - a schema with no type at all (`{}`, `true`: `z.custom`, a loose object's other keys)
 *   admits any string, so it is free text;
 * - objects are followed through `properties` (`a.b`), `additionalProperties` and
 *   `patternProperties` (`a.*`), and their keys through `propertyNames` (`a.<key>`): a record's
 *   keys are as free as its values; arrays through `items` (`a[]`) and `prefixItems` (`a[0]`);
 *   `anyOf`, `oneOf`, `allOf` and `$ref` at the same path.
 */
import { z } from 'zod';

/** Words only: a sentence any free-text field admits, whatever the corpus holds. */
const PLAIN_SENTENCE = 'please call me back tomorrow';

/** Formats whose values are machine shapes that hold no words. */
const CLOSED_FORMATS: ReadonlySet<string> = new Set(['date', 'date-time', 'time', 'duration', 'uuid', 'guid', 'ipv4', 'ipv6', 'cidrv4', 'cidrv6', 'email']);

/** Keywords that give a schema a shape; a schema with none of them admits anything. */
const SHAPING_KEYWORDS = ['type', 'enum', 'const', '$ref', 'anyOf', 'oneOf', 'allOf', 'not', 'properties', 'additionalProperties', 'patternProperties', 'propertyNames', 'items', 'prefixItems'] as const;

type Node = Record<string, unknown>;

/** A JSON-schema pattern as a RegExp (ECMA-262 with Unicode when it parses so). */
function compile(pattern: string): RegExp {
  try {
    return new RegExp(pattern, 'u');
  } catch {
    return new RegExp(pattern);
  }
}

/** Whether a string node lets a person write words: see the module comment. */
function isFreeString(node: Node, probes: readonly string[]): boolean {
  if (node['enum'] !== undefined || node['const'] !== undefined) return false;
  const pattern = node['pattern'];
  if (typeof pattern === 'string') {
    const max = typeof node['maxLength'] === 'number' ? node['maxLength'] : Infinity;
    const regex = compile(pattern);
    return probes.some((probe) => probe.length <= max && regex.test(probe));
  }
  const format = node['format'];
  return typeof format !== 'string' || !CLOSED_FORMATS.has(format);
}

class Walk {
  readonly fields = new Map<string, number>();

  constructor(
    private readonly defs: Record<string, unknown>,
    private readonly probes: readonly string[],
  ) {}

  visit(schema: unknown, path: string, refs: ReadonlySet<string> = new Set()): void {
    if (schema === true) return this.found(path, {});
    if (schema === null || typeof schema !== 'object') return;
    const node = schema as Node;
    const ref = node['$ref'];
    if (typeof ref === 'string' && !refs.has(ref)) this.visit(this.defs[ref.replace('#/$defs/', '')], path, new Set([...refs, ref]));
    const types = Array.isArray(node['type']) ? node['type'] : [node['type']];
    if (types.includes('string') ? isFreeString(node, this.probes) : SHAPING_KEYWORDS.every((key) => node[key] === undefined)) this.found(path, node);
    const at = (suffix: string) => (path === '' ? suffix.replace(/^\./, '') : `${path}${suffix}`);
    for (const [key, child] of Object.entries((node['properties'] as Node | undefined) ?? {})) this.visit(child, at(`.${key}`), refs);
    const others = [node['additionalProperties'], ...Object.values((node['patternProperties'] as Node | undefined) ?? {})].filter((child) => child !== undefined && child !== false);
    for (const child of others) this.visit(child, at('.*'), refs);
    if (others.length > 0 || node['propertyNames'] !== undefined) this.visit(node['propertyNames'] ?? { type: 'string' }, at('.<key>'), refs);
    ((node['prefixItems'] as unknown[] | undefined) ?? []).forEach((child, index) => this.visit(child, at(`[${index}]`), refs));
    if (node['items'] !== undefined && node['items'] !== false) this.visit(node['items'], at('[]'), refs);
    for (const combinator of ['anyOf', 'oneOf', 'allOf'] as const) {
      for (const option of (node[combinator] as unknown[] | undefined) ?? []) this.visit(option, path, refs);
    }
  }

  private found(path: string, node: Node): void {
    this.fields.set(path, typeof node['maxLength'] === 'number' ? node['maxLength'] : 20_000);
  }
}

/**
 * The free-text fields of a request schema (its input side), by path, with the longest text
 * each admits (20 000 where the schema sets no limit). `probes` are texts a person might send
 * (the corpus's): a patterned string that admits one with a space in it is free text.
 */
export function freeTextFields(schema: z.ZodType, probes: readonly string[]): Map<string, number> {
  const json = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Node;
  const sentences = [PLAIN_SENTENCE, ...probes].filter((probe) => /\s/.test(probe.trim()));
  const walk = new Walk((json['$defs'] as Record<string, unknown> | undefined) ?? {}, sentences);
  walk.visit(json, '');
  return walk.fields;
}
