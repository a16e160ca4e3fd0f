// One HTTP + WebSocket server on loopback: serves the built renderer and the
// shipped map data, answers contract calls (POST /api/<method>, WebSocket
// requests) and pushes events to every connected console.
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import path from 'node:path';
import { WebSocketServer, type WebSocket } from 'ws';
import {
  RequestFrame,
  WS_SEAT_REVOKED,
  WS_SUBPROTOCOL,
  WS_TOKEN_PREFIX,
  type EventName,
  type EventPayload,
  describeIssues,
  errorBody,
  type ErrorBody,
} from '../../../shared/contract';
import type { Logger } from '../logger';
import type { MapRegistry } from '../maps/registry';
import { serveMapTile } from '../maps/tileRoute';
import { runRequest, type Authorizer } from './runRequest';
import type { Handlers } from './handlers';
import {
  bearerToken,
  loopbackDoor,
  tokenFromSubprotocols,
  type DoorAnswer,
  type FrontDoor,
  type RefusalReason,
  type RefusalRecorder,
  type RefusalSample,
  type RequestFrom,
} from './guard';

export interface ServerOptions {
  host: string;
  port: number;
  /** The per-launch secret of the loopback console; ignored when `door` is given. */
  secret: string;
  /** Who may come in at this address (default: whoever holds the secret, on loopback). */
  door?: FrontDoor;
  /** TLS for the room address (issue 15): TLS 1.3 only. Absent: plain HTTP (loopback). */
  tls?: { keyPem: string; certPem: string };
  handlers: Handlers;
  /** Who may call what (server/access.ts), from the request's session token and where it comes from. */
  authorize: Authorizer;
  /** Whether a session token belongs to someone signed in from there (pushed events go only to them). */
  signedIn(session: string | undefined, from: RequestFrom): boolean;
  logger: Logger;
  /** Folder of the built renderer (index.html, app.js…). */
  rendererDir: string;
  /** Folder of shipped data served under /assets/ (base map, attribution). */
  assetsDir: string;
  /** Map packs whose tiles are served under /maps/ (issue 6). */
  maps?: MapRegistry;
  /** Where refusals (wrong Host, foreign Origin, no secret, oversized, slow clients…) are counted and logged. */
  refusals?: RefusalRecorder;
  /** Tighter or looser limits than the defaults (tests). */
  limits?: Partial<ServerLimits>;
}

/** The front door's limits against slow, idle and numerous clients. */
export interface ServerLimits {
  /** A client must finish its request headers this long after connecting (or after its previous response): slowloris. */
  headersTimeoutMs: number;
  /** A whole request, body included. */
  requestTimeoutMs: number;
  /** How often Node checks the two timeouts above (its default, 30 s, would let a slow client stay 40 s). */
  checkIntervalMs: number;
  /** An idle keep-alive connection is closed after this long. */
  keepAliveTimeoutMs: number;
  /** Sockets held at most; past it the oldest idle one (no request in flight, not a console WebSocket) is closed. */
  maxConnections: number;
}

export const DEFAULT_SERVER_LIMITS: ServerLimits = {
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 30_000,
  checkIntervalMs: 1_000,
  keepAliveTimeoutMs: 5_000,
  maxConnections: 1_024,
};

export interface RunningServer {
  port: number;
  broadcast<E extends EventName>(name: E, payload: EventPayload<E>): void;
  /** Closes the console sockets of a seat (revoked). */
  disconnectSeat(seat: string): void;
  close(): Promise<void>;
}

const MAX_BODY_BYTES = 64 * 1024;
const MAX_WS_MESSAGE_BYTES = 256 * 1024;

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.geojson': 'application/geo+json; charset=utf-8',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.woff2': 'font/woff2',
  '.ogg': 'audio/ogg',
  '.wav': 'audio/wav',
  '.map': 'application/json; charset=utf-8',
  '.md': 'text/markdown; charset=utf-8',
};

export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const { logger, handlers } = options;
  const door = options.door ?? loopbackDoor(options.secret);
  let port = options.port;
  const sockets = new Set<WebSocket>();
  /** The session each console WebSocket last sent: pushes go only to signed-in consoles. */
  const socketSessions = new WeakMap<WebSocket, string>();
  /** Where each console WebSocket comes from (its seat and address). */
  const socketFrom = new WeakMap<WebSocket, RequestFrom>();
  const limits: ServerLimits = { ...DEFAULT_SERVER_LIMITS, ...options.limits };
  const refuse = (reason: RefusalReason, sample: RefusalSample) => options.refusals?.record(reason, sample);
  const remoteOf = (socket: Socket) => `${socket.remoteAddress ?? '?'}:${socket.remotePort ?? '?'}`;
  const sampleOf = (request: http.IncomingMessage): RefusalSample => ({
    remote: remoteOf(request.socket),
    host: request.headers.host,
    origin: request.headers.origin,
    // The path only: a query string is the client's to carry, not ours to keep.
    path: (request.url ?? '').split('?')[0],
  });

  const onRequest = (request: http.IncomingMessage, response: http.ServerResponse) => {
    const state = connections.get(request.socket);
    if (state) state.busy += 1;
    response.once('close', () => {
      if (state) state.busy -= 1;
    });
    handleHttp(request, response).catch((error: unknown) => {
      logger.error(`HTTP ${request.method} ${request.url}: ${error instanceof Error ? error.message : String(error)}`);
      if (!response.headersSent) send(response, 500, { 'content-type': 'text/plain' }, 'internal error');
      else response.destroy();
    });
  };
  const server = options.tls
    ? https.createServer(
        {
          connectionsCheckingInterval: limits.checkIntervalMs,
          key: options.tls.keyPem,
          cert: options.tls.certPem,
          minVersion: 'TLSv1.3',
          handshakeTimeout: limits.headersTimeoutMs,
        },
        onRequest,
      )
    : http.createServer({ connectionsCheckingInterval: limits.checkIntervalMs }, onRequest);
  server.headersTimeout = limits.headersTimeoutMs;
  server.requestTimeout = limits.requestTimeoutMs;
  server.keepAliveTimeout = limits.keepAliveTimeoutMs;

  // Every socket, oldest first. A flood of idle or half-open connections
  // must not lock the console out: past the cap, the oldest socket with no
  // request in flight (and not a console's WebSocket) makes room.
  const connections = new Map<Socket, { busy: number; upgraded: boolean }>();
  server.on(options.tls ? 'secureConnection' : 'connection', (socket: Socket) => {
    connections.set(socket, { busy: 0, upgraded: false });
    socket.once('close', () => connections.delete(socket));
    if (connections.size <= limits.maxConnections) return;
    for (const [candidate, state] of connections) {
      if (candidate === socket || state.busy > 0 || state.upgraded) continue;
      refuse('connection-limit', {
        remote: remoteOf(candidate),
        detail: `${connections.size} sockets open, over ${limits.maxConnections}: the oldest idle one was closed`,
      });
      connections.delete(candidate);
      candidate.destroy();
      return;
    }
    // Everything else is in use: the newcomer waits its turn elsewhere.
    refuse('connection-limit', { remote: remoteOf(socket), detail: `${connections.size} sockets open and all busy` });
    connections.delete(socket);
    socket.destroy();
  });

  // Bytes that are not HTTP, headers too large, or too slow to arrive (slowloris).
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Socket) => {
    const timedOut = error.code === 'ERR_HTTP_REQUEST_TIMEOUT';
    // A keep-alive socket closing between requests is not a refusal.
    if (error.code !== 'ECONNRESET')
      refuse(timedOut ? 'slow-client' : 'bad-request', { remote: remoteOf(socket), detail: String(error.code ?? error.message) });
    if (socket.writable && !socket.destroyed) {
      const status = timedOut ? '408 Request Timeout' : error.code === 'HPE_HEADER_OVERFLOW' ? '431 Request Header Fields Too Large' : '400 Bad Request';
      socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
    }
    socket.destroy();
  });

  const securityHeaders = () => ({
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'cross-origin-opener-policy': 'same-origin',
    'cross-origin-resource-policy': 'same-origin',
    'cache-control': 'no-store',
  });

  /** A refused request: answered, counted, logged, and its connection closed (no unread body is drained). */
  function refuseHttp(request: http.IncomingMessage, response: http.ServerResponse, reason: RefusalReason, status: number, body: string, json = false): void {
    refuse(reason, sampleOf(request));
    const headers: http.OutgoingHttpHeaders = { 'content-type': json ? 'application/json; charset=utf-8' : 'text/plain', connection: 'close' };
    send(response, status, headers, body);
  }

  function send(response: http.ServerResponse, status: number, headers: http.OutgoingHttpHeaders, body: string | Buffer): void {
    response.writeHead(status, { ...securityHeaders(), ...headers });
    response.end(body);
  }

  async function handleHttp(request: http.IncomingMessage, response: http.ServerResponse): Promise<void> {
    if (!door.hostAllowed(request.headers.host, port)) return refuseHttp(request, response, 'host', 421, 'wrong Host');
    if (!door.originAllowed(request.headers.origin, port)) return refuseHttp(request, response, 'origin', 403, 'foreign Origin');
    const url = new URL(request.url ?? '/', `http://127.0.0.1:${port}`);
    // Map pack tiles (issue 6): authorised by a per-launch path key, see electron/core/maps/tileRoute.ts.
    if (url.pathname.startsWith('/maps/')) return serveMapTile(options.maps, request, response, url.pathname);

    if (url.pathname.startsWith('/api/')) {
      if (request.method !== 'POST') return send(response, 405, { allow: 'POST', 'content-type': 'text/plain' }, 'use POST');
      const method = decodeURIComponent(url.pathname.slice('/api/'.length));
      const admitted = door.admitRequest(bearerToken(request.headers.authorization), method);
      if (!admitted.ok) return refuseAtDoor(request, response, admitted);
      const body = await readBody(request);
      if (body === undefined)
        return refuseHttp(
          request,
          response,
          'body-size',
          413,
          JSON.stringify({
            ok: false,
            error: errorBody(
              'bad-request',
              'bad-request',
              { method: 'http', detail: `body over ${MAX_BODY_BYTES} bytes` },
              `body over ${MAX_BODY_BYTES} bytes`,
            ),
          }),
          true,
        );
      let params: unknown = {};
      if (body.length > 0) {
        try {
          params = JSON.parse(body.toString('utf8'));
        } catch {
          return json(response, 400, {
            ok: false,
            error: errorBody('bad-request', 'bad-request', { method: 'http', detail: 'body is not JSON' }, 'body is not JSON'),
          });
        }
      }
      const session = request.headers['x-vigie-session'];
      const from: RequestFrom = { seat: admitted.seat, address: request.socket.remoteAddress ?? '?' };
      const outcome = await runRequest(handlers, method, params, logger, options.authorize, typeof session === 'string' ? session : undefined, from);
      const status = outcome.ok
        ? 200
        : { 'unknown-method': 404, 'bad-request': 400, refused: 409, unauthorized: 401, unauthenticated: 401, forbidden: 403, internal: 500 }[
            outcome.error.code
          ];
      return json(response, status, outcome);
    }

    if (request.method !== 'GET' && request.method !== 'HEAD') return send(response, 405, { allow: 'GET', 'content-type': 'text/plain' }, 'method not allowed');
    const file = resolveStatic(url.pathname);
    if (!file) return send(response, 404, { 'content-type': 'text/plain' }, 'not found');
    let content: Buffer;
    try {
      content = await fs.promises.readFile(file);
    } catch {
      return send(response, 404, { 'content-type': 'text/plain' }, 'not found');
    }
    const headers: http.OutgoingHttpHeaders = { 'content-type': contentTypes[path.extname(file)] ?? 'application/octet-stream' };
    if (file.endsWith('.html')) headers['content-security-policy'] = door.contentSecurityPolicy(port); // eng-disable CSP_GLOBAL_CHECK -- built at run time with the port (guard.ts contentSecurityPolicy); test/core/server.test.ts checks its content
    send(response, 200, headers, request.method === 'HEAD' ? '' : content);
  }

  /** Only files inside the two served folders; the renderer's index for "/". */
  function resolveStatic(pathname: string): string | undefined {
    let decoded: string;
    try {
      decoded = decodeURIComponent(pathname);
    } catch {
      return undefined;
    }
    if (decoded.includes('\0')) return undefined;
    const [base, relative] = decoded.startsWith('/assets/')
      ? [options.assetsDir, decoded.slice('/assets/'.length)]
      : [options.rendererDir, decoded === '/' ? 'index.html' : decoded.slice(1)];
    const full = path.resolve(base, relative);
    return full.startsWith(base + path.sep) ? full : undefined;
  }

  /** A credential the door does not let in: 401 or 403 with the contract's refusal, counted and logged. */
  function refuseAtDoor(request: http.IncomingMessage, response: http.ServerResponse, answer: Extract<DoorAnswer, { ok: false }>): void {
    const code = answer.status === 401 ? 'unauthorized' : 'forbidden';
    refuseHttp(
      request,
      response,
      answer.refusal,
      answer.status,
      JSON.stringify({ ok: false, error: { code, reason: answer.reason, params: answer.params, message: answer.message } satisfies ErrorBody }),
      true,
    );
  }

  function json(response: http.ServerResponse, status: number, body: unknown): void {
    send(response, status, { 'content-type': 'application/json; charset=utf-8' }, JSON.stringify(body));
  }

  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: MAX_WS_MESSAGE_BYTES,
    handleProtocols: (protocols) => (protocols.has(WS_SUBPROTOCOL) ? WS_SUBPROTOCOL : false),
  });

  server.on('upgrade', (request, socket, head) => {
    const reject = (status: number, reason: string, refusal?: RefusalReason) => {
      if (refusal) refuse(refusal, sampleOf(request));
      socket.end(`HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
    };
    if (!door.hostAllowed(request.headers.host, port)) return reject(421, 'Misdirected Request', 'host');
    if (!door.originAllowed(request.headers.origin, port)) return reject(403, 'Forbidden', 'origin');
    if (new URL(request.url ?? '/', 'http://127.0.0.1').pathname !== '/ws') return reject(404, 'Not Found');
    const admitted = door.admitSocket(tokenFromSubprotocols(request.headers['sec-websocket-protocol'], WS_TOKEN_PREFIX));
    if (!admitted.ok) return reject(admitted.status, admitted.status === 401 ? 'Unauthorized' : 'Forbidden', admitted.refusal);
    const state = connections.get(socket as Socket);
    if (state) state.upgraded = true;
    wss.handleUpgrade(request, socket, head, (ws) => {
      socketFrom.set(ws, { seat: admitted.seat, address: request.socket.remoteAddress ?? '?' });
      wss.emit('connection', ws, request);
    });
  });

  wss.on('connection', (ws: WebSocket, request: http.IncomingMessage) => {
    sockets.add(ws);
    const from = socketFrom.get(ws)!;
    ws.on('close', () => sockets.delete(ws));
    ws.on('error', (error: Error & { code?: string }) => {
      if (error.code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH')
        refuse('frame-size', { remote: remoteOf(request.socket), detail: `a WebSocket message over ${MAX_WS_MESSAGE_BYTES} bytes; socket closed (1009)` });
      else logger.warn(`console socket: ${error.message}`);
    });
    ws.on('message', (data, isBinary) => {
      if (isBinary) return ws.close(1003, 'text frames only');
      let frame: unknown;
      try {
        frame = JSON.parse(data.toString());
      } catch {
        return ws.close(1007, 'frame is not JSON');
      }
      const request = RequestFrame.safeParse(frame);
      if (!request.success) return ws.close(1008, describeIssues(request.error).slice(0, 120));
      if (request.data.session !== undefined) socketSessions.set(ws, request.data.session);
      void runRequest(handlers, request.data.method, request.data.params, logger, options.authorize, request.data.session, from).then((outcome) => {
        if (ws.readyState === ws.OPEN) ws.send(JSON.stringify({ type: 'response', id: request.data.id, ...outcome }));
      });
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  port = (server.address() as AddressInfo).port;

  return {
    port,
    broadcast(name, payload) {
      if (sockets.size === 0) return;
      const text = JSON.stringify({ type: 'event', name, payload });
      for (const ws of sockets) if (ws.readyState === ws.OPEN && options.signedIn(socketSessions.get(ws), socketFrom.get(ws)!)) ws.send(text);
    },
    disconnectSeat(seat) {
      for (const ws of sockets) if (socketFrom.get(ws)?.seat === seat) ws.close(WS_SEAT_REVOKED, 'seat revoked');
    },
    async close() {
      for (const ws of sockets) ws.close(1001, 'core stopping');
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** The body, or undefined as soon as it is known to be over the cap (declared or sent): the rest is never read. */
function readBody(request: http.IncomingMessage): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const declared = Number(request.headers['content-length'] ?? 0);
    if (declared > MAX_BODY_BYTES) return resolve(undefined);
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) return void chunks.push(chunk);
      request.pause();
      resolve(undefined);
    });
    request.on('end', () => resolve(size > MAX_BODY_BYTES ? undefined : Buffer.concat(chunks)));
    request.on('error', reject);
  });
}
