// Canonical JSON: RFC 8785 (JCS) — object keys sorted by UTF-16 code units,
// no whitespace, numbers and strings as ECMAScript writes them; undefined
// members left out — so the same value always encodes to the same bytes. The
// event log hashes payloads in this form for every event, so values whose
// keys are already in order (the core builds its payloads that way) go
// straight to JSON.stringify after one check; anything else is written out
// here in sorted order.
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
  const text = sortedText(value);
  if (text === undefined) throw new TypeError(`canonical JSON cannot encode a ${typeof value}`);
  return { text, exact: false };
}

/**
 * True when every object's keys are already ascending in the order JS
 * enumerates them (integer-like keys first, so {"10":…,"9":…} is not) — then
 * JSON.stringify writes them in that order — and JSON carries the
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

/**
 * The canonical text, written here rather than through a sorted copy: an
 * object would enumerate its integer-like keys first again, whatever order
 * they were added in. Undefined for what JSON leaves out (undefined,
 * functions, symbols), which arrays write as null, as JSON.stringify does.
 */
function sortedText(value: unknown): string | undefined {
  if (typeof value === 'number' && !Number.isFinite(value)) throw new TypeError('canonical JSON cannot encode a non-finite number');
  if (typeof value === 'bigint') throw new TypeError('canonical JSON cannot encode a bigint');
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) {
    const items: string[] = [];
    // An index loop, not map: a hole is written as null too.
    for (let i = 0; i < value.length; i++) items.push(sortedText(value[i]) ?? 'null');
    return `[${items.join(',')}]`;
  }
  if (typeof (value as { toJSON?: unknown }).toJSON === 'function') return sortedText((value as { toJSON(): unknown }).toJSON());
  const members: string[] = [];
  // Array#sort compares strings by UTF-16 code units, as RFC 8785 sorts.
  for (const key of Object.keys(value).sort()) {
    const text = sortedText((value as Record<string, unknown>)[key]);
    if (text !== undefined) members.push(`${JSON.stringify(key)}:${text}`);
  }
  return `{${members.join(',')}}`;
}
