// The centre's address (`vigie centre`): 127.0.0.1 only, a per-launch secret
// as for a post's console, Host checked. It serves the regional console
// (renderer/centre/, built into dist/centre/), the offline base map from
// assets/, and its JSON with the secret as a bearer token:
//   GET  /api/centre.status   each post's mirror: how far it goes, its head, any gap, break or fork
//   GET  /api/centre.picture  every post's sectors, units, tracks and open incidents, from its mirror
//   POST /api/centre.message  {"post","text"}: "request assistance", sent to a post through NATS and logged
//   GET  /api/centre.messages the messages sent, and whether each post logged and acknowledged them
//   GET  /api/centre.shifts?post=P                 a post's shifts, from its mirror
//   GET  /api/centre.replay?post=P&shift=N&time=T  that post's picture at that moment (the replay module, read-only on the mirror)
//   GET  /api/centre.figures?from=MS&to=MS         the figures module on every mirror, per post, and their sums
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { FigureRange, type CentreFigures, type CentrePicture } from '../../../shared/contract';
import { assetsDir as defaultAssetsDir, projectRoot } from '../paths';
import { loadSectors } from '../picture/sectors';
import { contentSecurityPolicy, newSecret, secretMatches } from '../server/guard';
import { Shifts } from '../accounts/shifts';
import { figuresFromLog } from '../figures/figures';
import { openDatabase } from '../db/database';
import { Refusal } from '../refusal';
import { ReplayService } from '../replay/replayService';
import { CentreMessageError, mirrorDir, type Centre } from './centre';

export const centreConsoleDir = path.join(projectRoot, 'dist', 'centre');

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.geojson': 'application/geo+json; charset=utf-8',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.map': 'application/json; charset=utf-8',
};

export interface CentreServer {
  port: number;
  secret: string;
  url: string;
  close(): Promise<void>;
}

/** Every post's picture as its mirror projects it now. */
export function centrePicture(centre: Centre): CentrePicture {
  const status = centre.status();
  const posts = centre.postNames().flatMap((post) => {
    const shown = centre.pictureOf(post);
    if (!shown) return [];
    const snapshot = shown.picture.snapshot();
    const { stream: _stream, lastBlock: _block, pending: _pending, ...mirror } = shown.state;
    return [{ post, mirror, sectors: loadSectors(shown.db), units: snapshot.units, tracks: snapshot.tracks, incidents: snapshot.incidents }];
  });
  return { at: Date.now(), connection: status.connection, posts };
}

export async function startCentreServer(centre: Centre, port: number, dirs: { consoleDir?: string; assetsDir?: string } = {}): Promise<CentreServer> {
  const consoleDir = dirs.consoleDir ?? centreConsoleDir;
  const assetsDir = dirs.assetsDir ?? defaultAssetsDir;
  const secret = newSecret();
  let listening = 0;
  // One replay service per post asked about, on its own read-only connection to the mirror (the centre goes on writing it).
  const replays = new Map<string, ReplayService>();
  const replayOf = (post: string): ReplayService => {
    let replay = replays.get(post);
    if (!replay) replays.set(post, (replay = new ReplayService(() => openDatabase(mirrorDir(centre.dir, post), { readonly: true }))));
    return replay;
  };
  const figuresAnswer = async (url: URL) => {
    const range = FigureRange.safeParse({ from: Number(url.searchParams.get('from')), to: Number(url.searchParams.get('to')) });
    if (!range.success) return { status: 400, body: { error: `from and to (ms): ${range.error.issues[0]?.message}` } };
    const now = Date.now();
    const posts: CentreFigures['posts'] = [];
    for (const post of centre.postNames()) {
      // Each mirror on a read-only connection of its own, closed once read.
      const db = openDatabase(mirrorDir(centre.dir, post), { readonly: true });
      try {
        const sectorNames = new Map(loadSectors(db).map((sector) => [sector.id, sector.name]));
        posts.push({ post, figures: await figuresFromLog(db, range.data, { now, sectorNames }) });
      } finally {
        db.close();
      }
    }
    const sum = (pick: (f: CentreFigures['posts'][number]['figures']) => number) => posts.reduce((total, p) => total + pick(p.figures), 0);
    const total: CentreFigures['total'] = {
      alerts: sum((f) => f.alerts.total),
      incidentsOpened: sum((f) => f.incidents.opened),
      incidentsClosed: sum((f) => f.incidents.closed),
      stillOpen: sum((f) => f.incidents.stillOpen),
      interceptedOrPrevented: sum((f) => f.incidents.interceptedOrPrevented),
    };
    return { status: 200, body: { from: range.data.from, to: range.data.to, posts, total } satisfies CentreFigures };
  };
  const replayAnswer = async (url: URL) => {
    const post = url.searchParams.get('post') ?? '';
    const shift = Number(url.searchParams.get('shift'));
    const time = url.searchParams.has('time') ? Number(url.searchParams.get('time')) : undefined;
    if (!centre.postNames().includes(post)) return { status: 404, body: { error: `the centre has no mirror of post ${JSON.stringify(post)}` } };
    if (!Number.isInteger(shift) || (time !== undefined && !Number.isFinite(time)))
      return { status: 400, body: { error: 'give post, shift (a number) and time (ms)' } };
    try {
      const replay = replayOf(post);
      const span = replay.shift(shift);
      const at = await replay.at('centre', shift, time === undefined ? { time: span.from } : { time });
      const { sectors, units, tracks, incidents } = at.picture;
      return { status: 200, body: { post, shift, from: span.from, to: span.to, time: at.time, seq: at.seq, picture: { sectors, units, tracks, incidents } } };
    } catch (error) {
      if (error instanceof Refusal) return { status: 400, body: { error: error.message } };
      throw error;
    }
  };
  const server = http.createServer((request, response) => {
    const host = request.headers.host;
    if (host !== `127.0.0.1:${listening}` && host !== `localhost:${listening}`) {
      response.writeHead(421).end();
      return;
    }
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    const send = (status: number, type: string, body: string | Buffer) =>
      response
        .writeHead(status, {
          'content-type': type,
          'cache-control': 'no-store',
          'x-content-type-options': 'nosniff',
          'content-security-policy': contentSecurityPolicy(listening, ''),
        })
        .end(body);
    const json = (status: number, body: unknown) => send(status, 'application/json; charset=utf-8', JSON.stringify(body));
    if (url.pathname.startsWith('/api/')) {
      const bearer = /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1];
      if (!secretMatches(bearer, secret)) return json(401, { error: 'unauthenticated' });
      if (url.pathname === '/api/centre.message') {
        if (request.method !== 'POST') return json(405, { error: 'POST only' });
        return void readJson(request).then(
          async (body) => {
            const { post, text } = (body ?? {}) as { post?: unknown; text?: unknown };
            if (typeof post !== 'string' || typeof text !== 'string') return json(400, { error: 'give {"post": NAME, "text": TEXT}' });
            try {
              json(200, await centre.sendMessage(post, text));
            } catch (error) {
              if (error instanceof CentreMessageError) return json(400, { error: error.message });
              json(500, { error: (error as Error).message });
            }
          },
          (error: Error) => json(400, { error: error.message }),
        );
      }
      if (request.method !== 'GET') return json(405, { error: 'GET only' });
      if (url.pathname === '/api/centre.status') return json(200, centre.status());
      if (url.pathname === '/api/centre.messages') return json(200, { messages: centre.messages() });
      if (url.pathname === '/api/centre.shifts') {
        const shown = centre.pictureOf(url.searchParams.get('post') ?? '');
        if (!shown) return json(404, { error: `the centre has no mirror of post ${JSON.stringify(url.searchParams.get('post'))}` });
        return json(200, { post: shown.post, shifts: new Shifts(shown.db).list() });
      }
      if (url.pathname === '/api/centre.figures')
        return void figuresAnswer(url).then(
          ({ status, body }) => json(status, body),
          (error: Error) => json(500, { error: error.message }),
        );
      if (url.pathname === '/api/centre.replay')
        return void replayAnswer(url).then(
          ({ status, body }) => json(status, body),
          (error: Error) => json(500, { error: error.message }),
        );
      if (url.pathname === '/api/centre.picture') return json(200, centrePicture(centre));
      return json(404, { error: `no such call: ${url.pathname.slice('/api/'.length)}` });
    }
    if (request.method !== 'GET') return send(405, 'text/plain', 'GET only\n');
    const file = staticFile(url.pathname, consoleDir, assetsDir);
    if (!file) return send(404, 'text/plain', 'not found\n');
    fs.readFile(file, (error, content) => {
      if (error) send(404, 'text/plain', 'not found\n');
      else send(200, CONTENT_TYPES[path.extname(file)] ?? 'application/octet-stream', content);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });
  listening = (server.address() as AddressInfo).port;
  return {
    port: listening,
    secret,
    url: `http://127.0.0.1:${listening}/#token=${secret}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const replay of replays.values()) replay.close();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Only files inside the console's folder, and the base map under /assets/basemap/. */
function staticFile(pathname: string, consoleDir: string, assetsDir: string): string | undefined {
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return undefined;
  }
  if (decoded.includes('\0')) return undefined;
  const [base, relative] = decoded.startsWith('/assets/basemap/')
    ? [path.join(assetsDir, 'basemap'), decoded.slice('/assets/basemap/'.length)]
    : [consoleDir, decoded === '/' ? 'index.html' : decoded.slice(1)];
  const full = path.resolve(base, relative);
  return full.startsWith(path.resolve(base) + path.sep) ? full : undefined;
}

const MAX_BODY_BYTES = 16 * 1024;

function readJson(request: http.IncomingMessage): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new Error(`the body is larger than ${MAX_BODY_BYTES} bytes`));
        request.destroy();
      } else chunks.push(chunk);
    });
    request.on('end', () => {
      try {
        resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')));
      } catch {
        reject(new Error('the body is not JSON'));
      }
    });
    request.on('error', reject);
  });
}
