// The centre's address (`vigie centre`): 127.0.0.1 only, a per-launch secret
// as for a post's console, Host checked. It serves a small status page — each
// post, how far its mirror goes, its head, and any gap, break or fork — and
// its JSON (`GET /api/centre.status` with the secret as a bearer token).
// The regional picture (issue 16 item 3) will be served here.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { newSecret, secretMatches } from '../server/guard';
import type { Centre } from './centre';

const PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Vigie centre</title><link rel="stylesheet" href="/centre.css"></head>
<body><h1>Vigie centre</h1><p id="connection"></p><table><thead id="head"></thead><tbody id="posts"></tbody></table><script src="/centre.js"></script></body></html>
`;

const STYLE = `body{background:#0d1117;color:#d8dee9;font:14px system-ui,sans-serif;margin:2em}table{border-collapse:collapse}td,th{padding:.3em .8em;border-bottom:1px solid #2e3440;text-align:left}.bad{color:#ff7b72}.muted{color:#8b949e}`;

// English and French, chosen by the browser's language, as the post's console does.
const SCRIPT = `'use strict';
const fr = (navigator.language || '').toLowerCase().startsWith('fr');
const L = fr
  ? { post: 'Poste', state: 'État', events: 'Événements', head: 'Empreinte', problem: 'Problème', following: 'suivi', stopped: 'arrêté', 'stream-missing': 'flux absent du serveur', connected: 'Connecté au serveur NATS', offline: 'Serveur NATS injoignable', connecting: 'Connexion…', refused: 'Refusé', foreign: 'messages étrangers', none: 'aucun' }
  : { post: 'Post', state: 'State', events: 'Events', head: 'Head', problem: 'Problem', following: 'following', stopped: 'stopped', 'stream-missing': 'stream missing on the server', connected: 'Connected to the NATS server', offline: 'NATS server unreachable', connecting: 'Connecting…', refused: 'Refused', foreign: 'foreign messages', none: 'none' };
document.documentElement.lang = fr ? 'fr' : 'en';
const hash = new URLSearchParams(location.hash.slice(1)).get('token');
if (hash) { sessionStorage.setItem('vigie.centre.token', hash); history.replaceState(null, '', location.pathname); }
const token = sessionStorage.getItem('vigie.centre.token');
const cell = (text, cls) => { const td = document.createElement('td'); td.textContent = text; if (cls) td.className = cls; return td; };
const head = document.getElementById('head'); const tr = document.createElement('tr');
for (const key of ['post', 'state', 'events', 'head', 'problem']) { const th = document.createElement('th'); th.textContent = L[key]; tr.append(th); }
head.append(tr);
async function refresh() {
  const response = await fetch('/api/centre.status', { headers: { authorization: 'Bearer ' + token } });
  if (!response.ok) return;
  const status = await response.json();
  document.getElementById('connection').textContent = L[status.connection.state] || status.connection.state;
  const body = document.getElementById('posts'); body.replaceChildren();
  for (const post of status.posts) {
    const row = document.createElement('tr'); row.dataset.post = post.post; row.dataset.state = post.state;
    const problem = post.problem ? post.problem.kind.toUpperCase() + ' @ ' + post.problem.seq + ': ' + post.problem.detail : (post.foreign.count ? post.foreign.count + ' ' + L.foreign : L.none);
    row.append(cell(post.post), cell(L[post.state] || post.state, post.state === 'following' ? '' : 'bad'), cell(String(post.lastSeq)), cell(post.headHash.slice(0, 16) + '…', 'muted'), cell(problem, post.problem ? 'bad' : 'muted'));
    body.append(row);
  }
}
refresh(); setInterval(refresh, 2000);
`;

export interface CentreServer {
  port: number;
  secret: string;
  url: string;
  close(): Promise<void>;
}

export async function startCentreServer(centre: Centre, port: number): Promise<CentreServer> {
  const secret = newSecret();
  let listening = 0;
  const server = http.createServer((request, response) => {
    const host = request.headers.host;
    if (host !== `127.0.0.1:${listening}` && host !== `localhost:${listening}`) {
      response.writeHead(421).end();
      return;
    }
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    const send = (status: number, type: string, body: string) =>
      response
        .writeHead(status, {
          'content-type': type,
          'cache-control': 'no-store',
          'x-content-type-options': 'nosniff',
          'content-security-policy': `default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; frame-ancestors 'none'`,
        })
        .end(body);
    if (request.method !== 'GET') return send(405, 'text/plain', 'GET only\n');
    if (url.pathname === '/') return send(200, 'text/html; charset=utf-8', PAGE);
    if (url.pathname === '/centre.js') return send(200, 'text/javascript; charset=utf-8', SCRIPT);
    if (url.pathname === '/centre.css') return send(200, 'text/css; charset=utf-8', STYLE);
    if (url.pathname === '/api/centre.status') {
      const bearer = /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1];
      if (!secretMatches(bearer, secret)) return send(401, 'application/json', '{"error":"unauthenticated"}');
      return send(200, 'application/json', JSON.stringify(centre.status()));
    }
    return send(404, 'text/plain', 'not found\n');
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
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
