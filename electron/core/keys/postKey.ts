// The post's signing key: an Ed25519 key pair (node:crypto) made at the
// core's first start in DATA/keys/, with which the post signs its chain head
// (signedHeads.ts). A hash chain proves that nothing changed *given* its
// head; the signature says *who* vouched for that head, so a log rewritten
// and re-hashed end to end by someone without the key no longer passes.
// The fingerprint (SHA-256 of the raw public key) names the key: quote it in
// the post's register, as the head hash used to be quoted in handovers.
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

export const KEYS_DIR = 'keys';
export const PRIVATE_KEY_FILE = 'post-ed25519.key';
export const PUBLIC_KEY_FILE = 'post-ed25519.pub';
/** Written by `vigie key rotate`: the previous key's endorsement of the new one, logged at the next start. */
export const ROTATION_FILE = 'rotation.json';

export interface PostKey {
  privateKey: KeyObject;
  /** The public key as base64 SPKI DER (what the log and evidence files carry). */
  publicKey: string;
  fingerprint: string;
}

/** What a post signs: its name, the block, that block's last event and its hash. */
export interface SignedHead {
  post: string;
  block: number;
  seq: number;
  hash: string;
}

export class PostKeyError extends Error {
  override name = 'PostKeyError';
}

export function keysDir(dataDir: string): string {
  return path.join(dataDir, KEYS_DIR);
}

/** `ed25519:` and the SHA-256 of the raw 32-byte public key, in hex. */
export function fingerprintOf(publicKey: string): string {
  const raw = createPublicKey({ key: Buffer.from(publicKey, 'base64'), format: 'der', type: 'spki' }).export({ format: 'jwk' }).x!;
  return `ed25519:${createHash('sha256').update(Buffer.from(raw, 'base64url')).digest('hex')}`;
}

/** The short form shown on screen and in messages: the first 16 hex digits. */
export function shortFingerprint(fingerprint: string): string {
  return fingerprint.slice(0, 'ed25519:'.length + 16);
}

function keyFromPrivate(privateKey: KeyObject): PostKey {
  const publicKey = createPublicKey(privateKey).export({ format: 'der', type: 'spki' }).toString('base64');
  return { privateKey, publicKey, fingerprint: fingerprintOf(publicKey) };
}

/** Reads the post's key, if it has one. */
export function readPostKey(dataDir: string): PostKey | undefined {
  const file = path.join(keysDir(dataDir), PRIVATE_KEY_FILE);
  if (!fs.existsSync(file)) return undefined;
  try {
    const privateKey = createPrivateKey(fs.readFileSync(file));
    if (privateKey.asymmetricKeyType !== 'ed25519') throw new Error(`a ${privateKey.asymmetricKeyType} key, not Ed25519`);
    return keyFromPrivate(privateKey);
  } catch (error) {
    throw new PostKeyError(`${file} is not a usable signing key (${error instanceof Error ? error.message : String(error)}); nothing was changed`);
  }
}

/** Writes a new key pair, the private half readable by its owner only. */
export function writeNewPostKey(dataDir: string): PostKey {
  const dir = keysDir(dataDir);
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const { privateKey } = generateKeyPairSync('ed25519');
  const key = keyFromPrivate(privateKey);
  const file = path.join(dir, PRIVATE_KEY_FILE);
  // Written beside, then renamed: a crash never leaves half a key.
  fs.writeFileSync(`${file}.new`, privateKey.export({ format: 'pem', type: 'pkcs8' }), { mode: 0o600 });
  fs.renameSync(`${file}.new`, file);
  fs.writeFileSync(path.join(dir, PUBLIC_KEY_FILE), createPublicKey(privateKey).export({ format: 'pem', type: 'spki' }));
  return key;
}

/** The post's key, made on first use. */
export function loadOrCreatePostKey(dataDir: string): { key: PostKey; created: boolean } {
  const existing = readPostKey(dataDir);
  return existing ? { key: existing, created: false } : { key: writeNewPostKey(dataDir), created: true };
}

/** The exact bytes signed for a head: a fixed prefix, then each field on its own line. */
export function headMessage(head: SignedHead): Buffer {
  return Buffer.from(`vigie-signed-head/1\n${head.post}\n${head.block}\n${head.seq}\n${head.hash}`, 'utf8');
}

export function signHead(key: PostKey, head: SignedHead): string {
  return sign(null, headMessage(head), key.privateKey).toString('base64');
}

/** True only for a well-formed Ed25519 public key whose signature over this head checks. */
export function headSignatureValid(publicKey: string, head: SignedHead, signature: string): boolean {
  try {
    const key = createPublicKey({ key: Buffer.from(publicKey, 'base64'), format: 'der', type: 'spki' });
    if (key.asymmetricKeyType !== 'ed25519') return false;
    return verify(null, headMessage(head), key, Buffer.from(signature, 'base64'));
  } catch {
    return false;
  }
}

/** The message with which a retiring key endorses its successor (key rotation). */
export function endorsementMessage(newPublicKey: string): Buffer {
  return Buffer.from(`vigie-key-endorsement/1\n${newPublicKey}`, 'utf8');
}

export function endorsementValid(previousPublicKey: string, newPublicKey: string, signature: string): boolean {
  try {
    const key = createPublicKey({ key: Buffer.from(previousPublicKey, 'base64'), format: 'der', type: 'spki' });
    return key.asymmetricKeyType === 'ed25519' && verify(null, endorsementMessage(newPublicKey), key, Buffer.from(signature, 'base64'));
  } catch {
    return false;
  }
}

export interface Rotation {
  /** The retired key's public key. */
  previous: string;
  /** Its signature over the new public key (absent when the old key was lost or compromised). */
  endorsement?: string;
}

/**
 * `vigie key rotate`: a new key replaces the post's key (with the core
 * stopped). The retired key signs the new one when it is still trusted; with
 * `lost`, the new key is unendorsed and the log says so. The retired private
 * key is deleted: it can sign nothing more. Returns the new key and what the
 * next start will log.
 */
export function rotatePostKey(dataDir: string, options: { lost?: boolean } = {}): { previous?: PostKey; key: PostKey; rotation: Rotation | undefined } {
  const previous = options.lost ? undefined : readPostKey(dataDir);
  const previousPublic =
    previous?.publicKey ??
    (fs.existsSync(path.join(keysDir(dataDir), PUBLIC_KEY_FILE)) ? publicKeyFromPem(path.join(keysDir(dataDir), PUBLIC_KEY_FILE)) : undefined);
  const key = writeNewPostKey(dataDir);
  const rotation: Rotation | undefined = previousPublic
    ? { previous: previousPublic, ...(previous ? { endorsement: sign(null, endorsementMessage(key.publicKey), previous.privateKey).toString('base64') } : {}) }
    : undefined;
  if (rotation) fs.writeFileSync(path.join(keysDir(dataDir), ROTATION_FILE), JSON.stringify(rotation));
  return { previous, key, rotation };
}

export function readRotation(dataDir: string): Rotation | undefined {
  const file = path.join(keysDir(dataDir), ROTATION_FILE);
  if (!fs.existsSync(file)) return undefined;
  return JSON.parse(fs.readFileSync(file, 'utf8')) as Rotation;
}

function publicKeyFromPem(file: string): string {
  return createPublicKey(fs.readFileSync(file)).export({ format: 'der', type: 'spki' }).toString('base64');
}
