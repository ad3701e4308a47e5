/**
 * Text from outside must be well-formed Unicode. JSON may spell a lone UTF-16 surrogate
 * (`"\ud800"`), which JavaScript keeps, but UTF-8 cannot encode it: Firestore refuses such a
 * string, and the request would fail late with a `500` after half its work. The edge refuses it
 * first, naming the field.
 */
import type { FieldError } from '../../domain/errors';

/** A high surrogate not followed by a low one, or a low one not preceded by a high one. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Enough to show the caller what is wrong; a body full of them need not be listed whole. */
const MAX_ERRORS = 20;

const MESSAGE = 'is not well-formed UTF-16 text (it holds a lone surrogate)';

/** A place in the value: its key and the place that holds it (built into a path only on error). */
interface Place {
  readonly key: string;
  readonly parent: Place | null;
}

function pathOf(place: Place | null): string {
  const keys: string[] = [];
  for (let at = place; at !== null; at = at.parent) keys.unshift(at.key);
  return keys.join('.') || '(body)';
}

/**
 * Every string (key or value) in a parsed JSON value or query that holds a lone surrogate, by
 * dotted path. Iterative and without copying paths: a 64 KiB body may nest 30,000 levels deep.
 */
export function illFormedText(value: unknown): FieldError[] {
  const errors: FieldError[] = [];
  const pending: { value: unknown; place: Place | null }[] = [{ value, place: null }];
  for (let item = pending.pop(); item !== undefined && errors.length < MAX_ERRORS; item = pending.pop()) {
    if (typeof item.value === 'string') {
      if (LONE_SURROGATE.test(item.value)) errors.push({ path: pathOf(item.place), message: MESSAGE });
    } else if (typeof item.value === 'object' && item.value !== null) {
      for (const [key, inner] of Object.entries(item.value)) {
        const place = { key, parent: item.place };
        if (LONE_SURROGATE.test(key)) errors.push({ path: pathOf(place), message: `the name ${MESSAGE}` });
        pending.push({ value: inner, place });
      }
    }
  }
  return errors.slice(0, MAX_ERRORS);
}
