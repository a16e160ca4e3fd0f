// The core's front door: the per-launch secret, and Host / Origin checks that
// stop a web page in another tab (DNS rebinding, cross-site requests) from
// reaching a core listening on loopback.
import { randomBytes, timingSafeEqual } from 'node:crypto';

export function newSecret(): string {
  return randomBytes(32).toString('hex');
}

export function secretMatches(given: string | undefined, secret: string): boolean {
  if (given === undefined) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(secret);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** The origins a console page of this core can have. */
export function allowedOrigins(port: number): Set<string> {
  return new Set([`http://127.0.0.1:${port}`, `http://localhost:${port}`]);
}

export function hostAllowed(host: string | undefined, port: number): boolean {
  return host === `127.0.0.1:${port}` || host === `localhost:${port}`;
}

/** A request with no Origin (command-line tools) passes; a foreign one never does. */
export function originAllowed(origin: string | undefined, port: number): boolean {
  return origin === undefined || allowedOrigins(port).has(origin);
}

export function bearerToken(header: string | undefined): string | undefined {
  const match = /^Bearer ([0-9a-f]+)$/i.exec(header ?? '');
  return match?.[1];
}

/** The browser WebSocket API cannot set headers; the secret rides as a subprotocol. */
export function tokenFromSubprotocols(header: string | undefined, prefix: string): string | undefined {
  for (const part of (header ?? '').split(',')) {
    const value = part.trim();
    if (value.startsWith(prefix)) return value.slice(prefix.length);
  }
  return undefined;
}

export function contentSecurityPolicy(port: number): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    "media-src 'self'",
    `connect-src 'self' ws://127.0.0.1:${port} ws://localhost:${port}`,
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}
