// CoT uids are free text up to 256 characters; Vigie ids are short and plain.

/**
 * A CoT uid as a Vigie id: characters outside [A-Za-z0-9._:-] become '_', a
 * leading non-alphanumeric gets an 'x' in front, and a uid longer than 64
 * keeps its first 55 characters plus '.' and an 8-hex-digit FNV-1a hash of
 * the whole uid, so two long uids that share a prefix stay two tracks.
 */
export function cotId(uid: string): string {
  let id = uid.replace(/[^A-Za-z0-9._:-]/g, '_');
  if (!/^[A-Za-z0-9]/.test(id)) id = `x${id}`;
  if (id.length > 64) id = `${id.slice(0, 55)}.${fnv1a(uid)}`;
  return id;
}

function fnv1a(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0).toString(16).padStart(8, '0');
}
