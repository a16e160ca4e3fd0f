// GET /maps/<key>/<packId>/<z>/<x>/<y>: one tile of a map pack.
//
// A page's <img> tags cannot send the Bearer secret, and the secret must not
// travel in a URL (URLs end up in logs and histories). Tiles are therefore
// served under a random per-launch path key, handed out only in the
// authenticated maps.list result, behind the same loopback Host/Origin checks
// as everything else (httpServer runs them first) and with
// Cross-Origin-Resource-Policy: same-origin, so another site's page can
// neither guess the address nor embed what it finds. The key opens tiles
// only — never the API. See docs/maps.md.
import type http from 'node:http';
import { secretMatches } from '../server/guard';
import type { MapRegistry } from './registry';

const TILE_PATH = /^\/maps\/([0-9a-f]{32})\/([0-9a-f]{16})\/(\d{1,2})\/(\d{1,10})\/(\d{1,10})(?:\.\w{3,4})?$/;

const baseHeaders = {
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cross-origin-resource-policy': 'same-origin',
};

function plain(response: http.ServerResponse, status: number, text: string): void {
  response.writeHead(status, { ...baseHeaders, 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' });
  response.end(text);
}

/** Answers a /maps/… request completely (tile, 404, 405). */
export async function serveMapTile(
  registry: MapRegistry | undefined,
  request: http.IncomingMessage,
  response: http.ServerResponse,
  pathname: string,
): Promise<void> {
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    response.writeHead(405, { ...baseHeaders, allow: 'GET', 'content-type': 'text/plain' });
    response.end('method not allowed');
    return;
  }
  const match = TILE_PATH.exec(pathname);
  const key = registry?.tilePath.slice('/maps/'.length);
  if (!registry || !match || !key || !secretMatches(match[1], key)) return plain(response, 404, 'not found');
  const [z, x, y] = [Number(match[3]), Number(match[4]), Number(match[5])];
  if (z > 30 || x >= 2 ** z || y >= 2 ** z) return plain(response, 404, 'no such tile');
  const tile = await registry.tile(match[2]!, z, x, y);
  if (!tile) return plain(response, 404, 'no tile here');
  const headers: http.OutgoingHttpHeaders = {
    ...baseHeaders,
    'content-type': tile.contentType,
    'content-length': tile.bytes.length,
    'cache-control': 'private, max-age=60',
  };
  if (tile.encoding) headers['content-encoding'] = tile.encoding;
  response.writeHead(200, headers);
  response.end(request.method === 'HEAD' ? undefined : tile.bytes);
}
