// Console benchmark, in Debian's Chromium against a real `vigie serve`, with
// the simulator's 2,000-track profile moving at 1 Hz over the real sockets:
//  - alert to screen: a detection written to the JSON feed socket → both its
//    row in the alert queue and its symbol on the map are in the page (the
//    later of the two; MutationObserver, same machine clock);
//  - map frame rate: requestAnimationFrame callbacks per second while the
//    tracks move and the canvas redraws.
import fs from 'node:fs';
import net from 'node:net';
import WebSocket from 'ws';
import { WS_SUBPROTOCOL, WS_TOKEN_PREFIX } from '../shared/contract/wire';
import { BENCH_PASSWORD, framesPerSecond } from './browser';
import { startBenchPost } from './benchPost';

const ALERTS = Number(process.env.VIGIE_BENCH_ALERTS ?? 60);
/** Tracks moving at 1 Hz while the console is measured (issue 17: 10,000). */
const TRACKS = Number(process.env.VIGIE_BENCH_TRACKS ?? 10_000);

function percentile(sorted: number[], q: number): number {
  return Math.round(sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]! * 10) / 10;
}

export async function benchConsole() {
  const post = await startBenchPost(TRACKS, {
    // When each bench detection first reaches the page over the WebSocket (a
    // listener added before the app's own), to split alert-to-screen into
    // "core and network" and "page".
    initScript: `(() => {
      const received = (window.__benchReceived = {});
      // What the picture deltas cost this console on the wire (compact deltas, issue 17).
      const deltas = (window.__benchDeltas = { bytes: 0, messages: 0 });
      const Native = window.WebSocket;
      window.WebSocket = class extends Native {
        constructor(...args) {
          super(...args);
          this.addEventListener('message', (event) => {
            if (typeof event.data === 'string' && event.data.includes('"picture.delta"')) {
              deltas.bytes += new TextEncoder().encode(event.data).length;
              deltas.messages += 1;
            }
            if (typeof event.data !== 'string' || !event.data.includes('BENCH-')) return;
            const now = Date.now();
            for (const match of event.data.matchAll(/BENCH-\\d+/g)) if (!(match[0] in received)) received[match[0]] = now;
          });
        }
      };
    })()`,
  });
  const { page, jsonPort, origin, token } = post;
  try {
    // One zoom level out (zoom 9): the whole regional picture, the bench
    // radars' lanes off the Somme included, is in view and drawn (M focuses
    // the map; − is Leaflet's own zoom-out key).
    await page.keyboard.press('m');
    await page.keyboard.press('Minus');
    await page.waitForTimeout(1500);
    // Record when each alert row first appears. (Scripts as strings: the TypeScript
    // loader adds helpers to compiled functions that do not exist in the page.)
    await page.evaluate(`(() => {
      const seen = (window.__alertSeen = {});
      const marked = (window.__alertMarked = {});
      new MutationObserver(() => {
        const now = Date.now();
        for (const row of document.querySelectorAll('[data-alert-id]')) {
          if (!(row.dataset.alertId in seen)) seen[row.dataset.alertId] = now;
        }
        for (const marker of document.querySelectorAll('[data-alert-marker]')) {
          if (!(marker.dataset.alertMarker in marked)) marked[marker.dataset.alertMarker] = now;
        }
      }).observe(document.body, { subtree: true, childList: true });
    })()`);

    // Map frame rate over 5 s with the tracks moving; the delta bytes over the same window.
    await page.evaluate('window.__benchDeltas.bytes = 0; window.__benchDeltas.messages = 0');
    // VIGIE_BENCH_PROFILE=FILE: the page's CPU profile over the same window (open in Chromium's DevTools).
    const profiler = process.env.VIGIE_BENCH_PROFILE ? await page.context().newCDPSession(page) : undefined;
    if (profiler) {
      await profiler.send('Profiler.enable');
      await profiler.send('Profiler.start');
    }
    // VIGIE_BENCH_TRACE=FILE: Chromium's trace of the same window (what the page's "(program)" samples are: paint, raster, layout…).
    if (process.env.VIGIE_BENCH_TRACE)
      await post.browser.startTracing(page, {
        path: process.env.VIGIE_BENCH_TRACE,
        categories: ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'blink', 'cc', 'gpu', 'skia'],
      });
    const windowStart = Date.now();
    const fps = await framesPerSecond(page);
    if (profiler) fs.writeFileSync(process.env.VIGIE_BENCH_PROFILE!, JSON.stringify((await profiler.send('Profiler.stop')).profile));
    if (process.env.VIGIE_BENCH_TRACE) await post.browser.stopTracing();
    // VIGIE_BENCH_SCREENSHOT=FILE: what the map showed under that load, to look at.
    if (process.env.VIGIE_BENCH_SCREENSHOT) await page.screenshot({ path: process.env.VIGIE_BENCH_SCREENSHOT });
    const deltas = (await page.evaluate('window.__benchDeltas')) as { bytes: number; messages: number };
    const windowSeconds = (Date.now() - windowStart) / 1000;
    const tracksOnMap = Number(await page.getAttribute('[data-testid="live-canvas"]', 'data-tracks'));
    const tracksInView = Number(await page.getAttribute('[data-testid="live-canvas"]', 'data-tracks-in-view'));

    // VIGIE_BENCH_NODE_CONSOLE=1: a second console in Node, signed in on its
    // own socket — when the core's push of each alert reaches a process that
    // does nothing else (the core and the loopback, without the page's busy
    // main thread). Off by default: it takes every delta too, and its CPU is
    // taken from the two cores the page and the core share.
    const signedIn = (await (
      await fetch(`${origin}/api/session.signIn`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}` },
        body: JSON.stringify({ name: 'bench', password: BENCH_PASSWORD }),
      })
    ).json()) as { result: { session: string } };
    const atListener: Record<string, number> = {};
    const listener =
      process.env.VIGIE_BENCH_NODE_CONSOLE !== '1'
        ? undefined
        : new WebSocket(`${origin.replace('http', 'ws')}/ws`, [WS_SUBPROTOCOL, WS_TOKEN_PREFIX + token], { headers: { origin } });
    listener?.on('message', (data) => {
      const text = data.toString();
      if (!text.includes('BENCH-')) return;
      const now = Date.now();
      for (const match of text.matchAll(/BENCH-\d+/g)) if (!(match[0] in atListener)) atListener[match[0]] = now;
    });
    if (listener) await new Promise((resolve, reject) => listener.once('open', resolve).once('error', reject));
    // A request with the session makes the socket a signed-in console's (pushes go only to those).
    listener?.send(JSON.stringify({ type: 'request', id: 1, method: 'feeds.listeners', params: {}, session: signedIn.result.session }));

    // Alerts through the feed socket, one every 250 ms.
    const socket = await new Promise<net.Socket>((resolve) => {
      const s = net.connect(jsonPort, '127.0.0.1', () => resolve(s));
    });
    const sentAt = new Map<string, number>();
    const alertsFrom = Date.now();
    for (let i = 0; i < ALERTS; i++) {
      const detection = `BENCH-${i}`;
      sentAt.set(detection, Date.now());
      socket.write(
        `${JSON.stringify({ v: 1, type: 'detection', sensor: 'CAM-SANGATTE', detection, kind: 'boat-launch', lat: 50.95 + i / 10000, lon: 1.74, confidence: 0.9 })}\n`,
      );
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    await new Promise((resolve) => setTimeout(resolve, 1500));
    socket.destroy();
    listener?.close();
    // The core's event loop while the alerts went through: what an alert can wait behind.
    const coreLoopDelayMs = post.coreLoopDelay(alertsFrom, Date.now());
    // Map alert ids back to detections through the core's picture.
    const picture = (await (
      await fetch(`${origin}/api/picture.get`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'x-vigie-session': signedIn.result.session },
        body: '{}',
      })
    ).json()) as {
      result: { alerts: { id: string; subject: string | null }[] };
    };
    const rows = (await page.evaluate('window.__alertSeen')) as Record<string, number>;
    const marks = (await page.evaluate('window.__alertMarked')) as Record<string, number>;
    // On screen once both the row and the map symbol are.
    const seen: Record<string, number> = {};
    for (const id of Object.keys(rows)) if (marks[id] !== undefined) seen[id] = Math.max(rows[id]!, marks[id]!);
    const received = (await page.evaluate('window.__benchReceived')) as Record<string, number>;
    const latencies: number[] = [];
    const toPage: number[] = [];
    const inPage: number[] = [];
    const toListener: number[] = [];
    let missing = 0;
    for (const alert of picture.result.alerts) {
      const detection = alert.subject?.split('/')[1];
      if (!detection || !sentAt.has(detection)) continue;
      if (atListener[detection] !== undefined) toListener.push(atListener[detection]! - sentAt.get(detection)!);
      if (seen[alert.id] === undefined) missing += 1;
      else {
        latencies.push(seen[alert.id]! - sentAt.get(detection)!);
        if (received[detection] !== undefined) {
          toPage.push(received[detection]! - sentAt.get(detection)!);
          inPage.push(seen[alert.id]! - received[detection]!);
        }
      }
    }
    for (const list of [latencies, toPage, inPage, toListener]) list.sort((a, b) => a - b);
    return {
      tracksOffered: TRACKS,
      tracksOnMap,
      tracksInView,
      mapFramesPerSecond: Math.round(fps * 10) / 10,
      mapFpsBudget: 50,
      // Picture deltas received by this console, tracks column by column (shared/contract/trackColumns.ts).
      deltaBytesPerSecond: Math.round(deltas.bytes / windowSeconds),
      deltasPerSecond: Math.round((deltas.messages / windowSeconds) * 10) / 10,
      alertToScreenMs: { alerts: latencies.length, missing, p50: percentile(latencies, 0.5), p99: percentile(latencies, 0.99), max: latencies.at(-1) ?? null },
      // The architecture's budget is 100 ms at the demo's 2,000 tracks; issue 17 asks 50 ms at 10,000.
      alertToScreenBudgetP99Ms: TRACKS >= 10_000 ? 50 : 100,
      // The same alerts split at the moment their frame reached the page.
      socketToPageMs: { p50: percentile(toPage, 0.5), p99: percentile(toPage, 0.99) },
      pageToScreenMs: { p50: percentile(inPage, 0.5), p99: percentile(inPage, 0.99) },
      // Feed socket → the same push at a Node console that does nothing else (the core's share; VIGIE_BENCH_NODE_CONSOLE=1).
      socketToNodeConsoleMs: listener ? { alerts: toListener.length, p50: percentile(toListener, 0.5), p99: percentile(toListener, 0.99) } : undefined,
      coreLoopDelayMs,
    };
  } finally {
    await post.close();
  }
}
