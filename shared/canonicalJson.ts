// Canonical JSON: object keys sorted, no whitespace, undefined members left
// out, so the same value always encodes to the same bytes. The event log
// hashes payloads in this form for every event, so values whose keys are
// already in order (the core builds its payloads that way) go straight to
// JSON.stringify after one check; anything else is copied in sorted order.
export function canonicalJson(value: unknown): string {
  return encodeCanonical(value).text;
}

/**
 * The canonical text, and whether parsing it gives back a value equivalent to
 * the one given (`exact`): only then may a caller keep using its own object
 * instead of the text, as the event log does for its projectors.
 */
export function encodeCanonical(value: unknown): { text: string; exact: boolean } {
  if (value === undefined) throw new TypeError('canonical JSON cannot encode undefined');
  if (isCanonical(value)) return { text: JSON.stringify(value), exact: true };
  return { text: JSON.stringify(sortedCopy(value)), exact: false };
}

/**
 * True when every object's keys are already ascending and JSON carries the
 * value unchanged (no -0, no holes or undefined in arrays, no toJSON);
 * throws on what JSON cannot carry at all.
 */
function isCanonical(value: unknown): boolean {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new TypeError('canonical JSON cannot encode a non-finite number');
    return !Object.is(value, -0);
  }
  if (typeof value === 'bigint') throw new TypeError('canonical JSON cannot encode a bigint');
  if (value === null || typeof value !== 'object') return true;
  if (Array.isArray(value)) {
    for (const item of value) if (item === undefined || !isCanonical(item)) return false;
    return true;
  }
  if (typeof (value as { toJSON?: unknown }).toJSON === 'function') return false;
  let previous: string | undefined;
  for (const key in value) {
    if (!Object.hasOwn(value, key)) continue;
    // String comparison is by UTF-16 code units, the same order as Array#sort.
    if (previous !== undefined && !(previous < key)) return false;
    previous = key;
    if (!isCanonical((value as Record<string, unknown>)[key])) return false;
  }
  return true;
}

function sortedCopy(value: unknown): unknown {
  if (typeof value === 'number' && !Number.isFinite(value)) throw new TypeError('canonical JSON cannot encode a non-finite number');
  if (typeof value === 'bigint') throw new TypeError('canonical JSON cannot encode a bigint');
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map(sortedCopy);
  if (typeof (value as { toJSON?: unknown }).toJSON === 'function') return sortedCopy((value as { toJSON(): unknown }).toJSON());
  const sorted: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) {
    // defineProperty, not assignment: an own "__proto__" key stays a plain member.
    Object.defineProperty(sorted, key, { value: sortedCopy((value as Record<string, unknown>)[key]), enumerable: true, writable: true, configurable: true });
  }
  return sorted;
}
