// Before the desktop app opens a window on a post it joins, it asks the post
// for its certificate over a plain TLS handshake (Node's tls, in the main
// process), so an unreachable post or a changed certificate is said in a
// dialog with both fingerprints, rather than as a blank window. Chromium's
// own connections are then held to the same pin (session.setCertificateVerifyProc).
import tls from 'node:tls';
import type { HostPort } from '../../shared/hostPort';
import { fingerprintOfDer } from './postTrust';

export const PROBE_TIMEOUT_MS = 10_000;

/** The SHA-256 of the certificate the post at `post` presents (AA:BB:…); rejects with a plain sentence if it cannot be reached. */
export function probePostCertificate(post: HostPort, timeoutMs = PROBE_TIMEOUT_MS): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = tls.connect({
      host: post.host,
      port: post.port,
      // An IP address is not a valid SNI name; a host name is sent as such.
      servername: /^[\d.]+$|:/.test(post.host) ? undefined : post.host,
      minVersion: 'TLSv1.3',
      // No authority signs a post's certificate: it is checked against the pin by the caller, not against a CA list.
      rejectUnauthorized: false,
    });
    const timer = setTimeout(() => fail(new Error(`no TLS answer within ${timeoutMs / 1000} s`)), timeoutMs);
    function fail(error: Error): void {
      clearTimeout(timer);
      socket.destroy();
      reject(error);
    }
    socket.once('secureConnect', () => {
      clearTimeout(timer);
      const certificate = socket.getPeerX509Certificate();
      socket.end();
      if (!certificate) reject(new Error('the post presented no certificate'));
      else resolve(fingerprintOfDer(certificate.raw));
    });
    socket.once('error', (error) => fail(error));
  });
}
