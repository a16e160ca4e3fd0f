// Canonical JSON: object keys sorted, no whitespace, undefined members left
// out, so the same value always encodes to the same bytes. The event log
// hashes payloads in this form for every event, so values whose keys are
// already in order (the core builds its payloads that way) go straight to
// JSON.stringify after one check; anything else is copied in sorted order.
export function canonicalJson(value: unknown): string {
  if (value === undefined) throw new TypeError('canonical JSON cannot encode undefined');
  return JSON.stringify(isCanonical(value) ? value : sortedCopy(value));
}

/** True when every object's keys are already ascending; throws on what JSON cannot carry. */
function isCanonical(value: unknown): boolean {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new TypeError('canonical JSON cannot encode a non-finite number');
    return true;
  }
  if (typeof value === 'bigint') throw new TypeError('canonical JSON cannot encode a bigint');
  if (value === null || typeof value !== 'object') return true;
  if (Array.isArray(value)) {
    for (const item of value) if (!isCanonical(item)) return false;
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
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map(sortedCopy);
  if (typeof (value as { toJSON?: unknown }).toJSON === 'function') return sortedCopy((value as { toJSON(): unknown }).toJSON());
  const sorted: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) sorted[key] = sortedCopy((value as Record<string, unknown>)[key]);
  return sorted;
}
