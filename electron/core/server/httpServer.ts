// One HTTP + WebSocket server on loopback: serves the built renderer and the
// shipped map data, answers contract calls (POST /api/<method>, WebSocket
// requests) and pushes events to every connected console.
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { WebSocketServer, type WebSocket } from 'ws';
import { RequestFrame, WS_SUBPROTOCOL, WS_TOKEN_PREFIX, type EventName, type EventPayload, describeIssues } from '../../../shared/contract';
import type { Logger } from '../logger';
import { dispatch } from './dispatch';
import type { Handlers } from './handlers';
import { bearerToken, contentSecurityPolicy, hostAllowed, originAllowed, secretMatches, tokenFromSubprotocols } from './guard';

export interface ServerOptions {
  host: string;
  port: number;
  secret: string;
  handlers: Handlers;
  logger: Logger;
  /** Folder of the built renderer (index.html, app.js…). */
  rendererDir: string;
  /** Folder of shipped data served under /assets/ (base map, attribution). */
  assetsDir: string;
}

export interface RunningServer {
  port: number;
  broadcast<E extends EventName>(name: E, payload: EventPayload<E>): void;
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
  const { logger, handlers, secret } = options;
  let port = options.port;
  const sockets = new Set<WebSocket>();

  const server = http.createServer((request, response) => {
    handleHttp(request, response).catch((error: unknown) => {
      logger.error(`HTTP ${request.method} ${request.url}: ${error instanceof Error ? error.message : String(error)}`);
      if (!response.headersSent) send(response, 500, { 'content-type': 'text/plain' }, 'internal error');
      else response.destroy();
    });
  });
  server.headersTimeout = 10_000;
  server.requestTimeout = 30_000;

  const securityHeaders = () => ({
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'cross-origin-opener-policy': 'same-origin',
    'cross-origin-resource-policy': 'same-origin',
    'cache-control': 'no-store',
  });

  function send(response: http.ServerResponse, status: number, headers: http.OutgoingHttpHeaders, body: string | Buffer): void {
    response.writeHead(status, { ...securityHeaders(), ...headers });
    response.end(body);
  }

  async function handleHttp(request: http.IncomingMessage, response: http.ServerResponse): Promise<void> {
    if (!hostAllowed(request.headers.host, port)) return send(response, 421, { 'content-type': 'text/plain' }, 'wrong Host');
    if (!originAllowed(request.headers.origin, port)) return send(response, 403, { 'content-type': 'text/plain' }, 'foreign Origin');
    const url = new URL(request.url ?? '/', `http://127.0.0.1:${port}`);

    if (url.pathname.startsWith('/api/')) {
      if (request.method !== 'POST') return send(response, 405, { allow: 'POST', 'content-type': 'text/plain' }, 'use POST');
      if (!secretMatches(bearerToken(request.headers.authorization), secret)) {
        return json(response, 401, { ok: false, error: { code: 'unauthorized', message: 'missing or wrong secret' } });
      }
      const body = await readBody(request);
      if (body === undefined) return json(response, 413, { ok: false, error: { code: 'bad-request', message: `body over ${MAX_BODY_BYTES} bytes` } });
      let params: unknown = {};
      if (body.length > 0) {
        try {
          params = JSON.parse(body.toString('utf8'));
        } catch {
          return json(response, 400, { ok: false, error: { code: 'bad-request', message: 'body is not JSON' } });
        }
      }
      const outcome = await dispatch(handlers, decodeURIComponent(url.pathname.slice('/api/'.length)), params, logger);
      const status = outcome.ok ? 200 : { 'unknown-method': 404, 'bad-request': 400, refused: 409, unauthorized: 401, internal: 500 }[outcome.error.code];
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
    if (file.endsWith('.html')) headers['content-security-policy'] = contentSecurityPolicy(port);
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

  function json(response: http.ServerResponse, status: number, body: unknown): void {
    send(response, status, { 'content-type': 'application/json; charset=utf-8' }, JSON.stringify(body));
  }

  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: MAX_WS_MESSAGE_BYTES,
    handleProtocols: (protocols) => (protocols.has(WS_SUBPROTOCOL) ? WS_SUBPROTOCOL : false),
  });

  server.on('upgrade', (request, socket, head) => {
    const reject = (status: number, reason: string) => {
      socket.end(`HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
    };
    if (!hostAllowed(request.headers.host, port)) return reject(421, 'Misdirected Request');
    if (!originAllowed(request.headers.origin, port)) return reject(403, 'Forbidden');
    if (new URL(request.url ?? '/', 'http://127.0.0.1').pathname !== '/ws') return reject(404, 'Not Found');
    const given = tokenFromSubprotocols(request.headers['sec-websocket-protocol'], WS_TOKEN_PREFIX);
    if (!secretMatches(given, secret)) return reject(401, 'Unauthorized');
    wss.handleUpgrade(request, socket, head, (ws) => wss.emit('connection', ws, request));
  });

  wss.on('connection', (ws: WebSocket) => {
    sockets.add(ws);
    ws.on('close', () => sockets.delete(ws));
    ws.on('error', (error) => logger.warn(`console socket: ${error.message}`));
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
      void dispatch(handlers, request.data.method, request.data.params, logger).then((outcome) => {
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
      for (const ws of sockets) if (ws.readyState === ws.OPEN) ws.send(text);
    },
    async close() {
      for (const ws of sockets) ws.close(1001, 'core stopping');
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function readBody(request: http.IncomingMessage): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      // Past the limit keep draining (bounded by requestTimeout) but stop storing.
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    request.on('end', () => resolve(size > MAX_BODY_BYTES ? undefined : Buffer.concat(chunks)));
    request.on('error', reject);
  });
}
