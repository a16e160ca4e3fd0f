// Password hashing with scrypt (node:crypto): a random 16-byte salt per
// password, N = 2^17, r = 8, p = 1 (128 MiB and ~0.4 s per hash here),
// stored as `scrypt$17$8$1$<salt>$<hash>` (base64): each hash says its own
// cost, so one made at an older cost (2^15 before) still verifies, and the
// sign-in re-hashes it at today's (needsRehash). Verification compares in
// constant time.
import crypto from 'node:crypto';

const LOG_N = 17;
const R = 8;
const P = 1;
const KEY_BYTES = 32;

export const PASSWORD_MIN = 10;
export const PASSWORD_MAX = 256;

/** Why a password is refused, or null. Length is what matters; no composition rules. */
export function passwordProblem(
  password: string,
):
  | { reason: 'password-too-short'; params: { min: number }; message: string }
  | { reason: 'password-too-long'; params: { max: number }; message: string }
  | null {
  if (password.length < PASSWORD_MIN)
    return { reason: 'password-too-short', params: { min: PASSWORD_MIN }, message: `a password needs at least ${PASSWORD_MIN} characters` };
  if (password.length > PASSWORD_MAX)
    return { reason: 'password-too-long', params: { max: PASSWORD_MAX }, message: `a password has at most ${PASSWORD_MAX} characters` };
  return null;
}

function scrypt(password: string, salt: Buffer, logN: number, r: number, p: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    crypto.scrypt(password.normalize('NFC'), salt, KEY_BYTES, { N: 2 ** logN, r, p, maxmem: 256 * r * 2 ** logN + 1024 * 1024 }, (error, key) =>
      error ? reject(error) : resolve(key),
    );
  });
}

export async function hashPassword(password: string): Promise<string> {
  const salt = crypto.randomBytes(16);
  const key = await scrypt(password, salt, LOG_N, R, P);
  return ['scrypt', LOG_N, R, P, salt.toString('base64'), key.toString('base64')].join('$');
}

/** Whether a stored hash was made with other parameters than today's: re-hash it once the password is at hand. */
export function needsRehash(encoded: string): boolean {
  const [scheme, logN, r, p] = encoded.split('$');
  return scheme !== 'scrypt' || Number(logN) !== LOG_N || Number(r) !== R || Number(p) !== P;
}

export async function verifyPassword(password: string, encoded: string): Promise<boolean> {
  const [scheme, logN, r, p, salt, hash] = encoded.split('$');
  if (scheme !== 'scrypt' || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64');
  const key = await scrypt(password, Buffer.from(salt, 'base64'), Number(logN), Number(r), Number(p));
  return key.length === expected.length && crypto.timingSafeEqual(key, expected);
}
