// The post's own TLS certificate for the room address (issue 15). Made at the
// first start with a room address, kept in the data directory across
// restarts (seats pin its SHA-256 fingerprint on first connection), renewed
// only when asked (`vigie serve --room … --renew-certificate`) or when it
// expires. A damaged file is an error, never silently replaced: a new
// certificate would make every pinned seat refuse the post.
import 'reflect-metadata'; // @peculiar/x509 needs it (tsyringe); before the import below
import * as x509 from '@peculiar/x509';
import crypto, { X509Certificate } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';

export interface RoomCertificate {
  keyPem: string;
  certPem: string;
  /** SHA-256 of the certificate's DER bytes: 32 bytes in uppercase hex, colon-separated. */
  fingerprint: string;
  /** Where the two files are. */
  folder: string;
  validTo: Date;
}

export class RoomCertificateError extends Error {
  override name = 'RoomCertificateError';
}

const FOLDER = 'room';
/** Key and certificate in one file, so one rename replaces both: a crash never pairs a new key with an old certificate. */
const FILE = 'room-tls.pem';
/** Browsers refuse server certificates valid for more than 398 days. */
const VALID_DAYS = 397;
/** Renewed this long before it expires, at a start. */
const RENEW_BEFORE_DAYS = 30;
const DAY_MS = 86_400_000;

/** The certificate of the room address `host`, made or renewed when needed. */
export async function roomCertificate(dataDir: string, host: string, options: { renew?: boolean; now?: Date } = {}): Promise<RoomCertificate> {
  const folder = path.join(dataDir, FOLDER);
  const file = path.join(folder, FILE);
  const now = options.now ?? new Date();
  if (!options.renew && fs.existsSync(file)) {
    const existing = readExisting(file);
    const expiresSoon = existing.validTo.getTime() - now.getTime() < RENEW_BEFORE_DAYS * DAY_MS;
    if (!expiresSoon && new X509Certificate(existing.certPem).checkHost(host) !== undefined) return existing;
    if (!expiresSoon && net.isIP(host) && new X509Certificate(existing.certPem).checkIP(host) !== undefined) return existing;
  }
  return create(folder, file, host, now);
}

const pemBlock = (text: string, label: string) => new RegExp(`-----BEGIN ${label}-----[^-]+-----END ${label}-----\\n?`).exec(text)?.[0];

function readExisting(file: string): RoomCertificate {
  const folder = path.dirname(file);
  const problem = (detail: string) =>
    new RoomCertificateError(
      `the room certificate ${file} is damaged (${detail}); restore it from a backup, or start with --renew-certificate and let every seat pin the new fingerprint`,
    );
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw problem((error as Error).message);
  }
  const keyPem = pemBlock(text, 'PRIVATE KEY');
  const certPem = pemBlock(text, 'CERTIFICATE');
  if (!keyPem || !certPem) throw problem('a private key and a certificate were expected');
  try {
    const cert = new X509Certificate(certPem);
    const key = crypto.createPrivateKey(keyPem);
    if (!cert.checkPrivateKey(key)) throw new Error('the key does not match the certificate');
    return { keyPem, certPem, fingerprint: cert.fingerprint256, folder, validTo: new Date(cert.validTo) };
  } catch (error) {
    throw problem((error as Error).message);
  }
}

async function create(folder: string, file: string, host: string, now: Date): Promise<RoomCertificate> {
  const webcrypto = crypto.webcrypto;
  // x509 types it as the DOM's Crypto, which Node's webcrypto implements.
  x509.cryptoProvider.set(webcrypto as never);
  const algorithm = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' };
  const keys = await webcrypto.subtle.generateKey(algorithm, true, ['sign', 'verify']);
  const names: x509.JsonGeneralName[] = [net.isIP(host) ? { type: 'ip', value: host } : { type: 'dns', value: host }];
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: crypto.randomBytes(8).toString('hex'),
    name: `CN=Vigie post room ${host}`,
    notBefore: new Date(now.getTime() - DAY_MS), // a seat whose clock is a little behind still accepts it
    notAfter: new Date(now.getTime() + VALID_DAYS * DAY_MS),
    keys,
    signingAlgorithm: algorithm,
    extensions: [
      new x509.SubjectAlternativeNameExtension(names),
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
    ],
  });
  const pkcs8 = Buffer.from(await webcrypto.subtle.exportKey('pkcs8', keys.privateKey));
  const keyPem = `-----BEGIN PRIVATE KEY-----\n${pkcs8
    .toString('base64')
    .match(/.{1,64}/g)!
    .join('\n')}\n-----END PRIVATE KEY-----\n`;
  const certPem = cert.toString('pem') + '\n';
  fs.mkdirSync(folder, { recursive: true, mode: 0o700 });
  // Written beside, then renamed: a crash leaves the old pair or the new one.
  fs.writeFileSync(`${file}.new`, keyPem + certPem, { mode: 0o600 });
  fs.renameSync(`${file}.new`, file);
  const parsed = new X509Certificate(certPem);
  return { keyPem, certPem, fingerprint: parsed.fingerprint256, folder, validTo: new Date(parsed.validTo) };
}
