// Benchmark load generator (plain JavaScript, so it starts without a TypeScript loader), run as its own process so it does not share the
// core's CPU: writes N messages of one protocol to a TCP port as fast as TCP
// flow control allows, then reports how many it wrote.
import net from 'node:net';

const [protocol, portText, countText, rateText] = process.argv.slice(2);
/** Messages per second to offer; 0 or absent = as fast as TCP flow control allows. */
const rate = Number(rateText ?? 0);
const port = Number(portText);
const count = Number(countText);

/** @param {string} body */
function checksum(body) {
  let sum = 0;
  for (let i = 0; i < body.length; i++) sum ^= body.charCodeAt(i);
  return sum.toString(16).toUpperCase().padStart(2, '0');
}

/** @param {number} i */
function message(i) {
  const target = i % 2000;
  const lat = 50.8 + (target % 100) / 1000 + (i % 7) / 10000;
  const lon = 1.3 + Math.floor(target / 100) / 100;
  switch (protocol) {
    case 'json':
      return `{"v":1,"type":"track","sensor":"RAD-GRISNEZ","track":"T${target}","lat":${lat.toFixed(5)},"lon":${lon.toFixed(5)},"course":${i % 360},"speed":${(i % 150) / 10},"class":"vessel"}\n`;
    case 'nmea': {
      const body = `RATTM,${String(target % 100).padStart(2, '0')},${(1 + (i % 120) / 10).toFixed(2)},${(i % 3600) / 10},T,${(i % 150) / 10},${i % 360},T,1.0,10.0,N,V${target},T,,221500.00,A`;
      return `$${body}*${checksum(body)}\r\n`;
    }
    case 'cot': {
      const now = new Date().toISOString();
      // Valid for the whole run.
      const stale = new Date(Date.now() + 3_600_000).toISOString();
      return `<event version="2.0" uid="RAD-GRISNEZ.T${target}" type="a-n-S-X-M" time="${now}" start="${now}" stale="${stale}" how="m-r"><point lat="${lat.toFixed(5)}" lon="${lon.toFixed(5)}" hae="0" ce="50" le="9999999"/><detail><link uid="RAD-GRISNEZ" relation="p-p" type="a-f-G-E-S"/><track course="${i % 360}" speed="${((i % 150) / 10).toFixed(1)}"/><contact callsign="V${target}"/></detail></event>`;
    }
    default:
      throw new Error(`unknown protocol ${protocol}`);
  }
}

// Messages are made up front and cycled, so the generator is never the bottleneck.
const POOL = 20_000;
const pool = Array.from({ length: Math.min(POOL, count) }, (_, i) => message(i));

const socket = net.connect(port, '127.0.0.1', () => {
  let i = 0;
  const started = performance.now();
  const pump = () => {
    while (i < count) {
      if (rate > 0) {
        // Paced: never ahead of the schedule; come back when the next batch is due.
        const due = started + (i / rate) * 1000;
        const wait = due - performance.now();
        if (wait > 1) return setTimeout(pump, wait);
      }
      // Batch a few hundred messages per write to keep syscalls reasonable.
      let chunk = '';
      for (let k = 0; k < (rate > 0 ? Math.max(1, Math.round(rate / 1000)) : 200) && i < count; k++, i++) chunk += pool[i % pool.length];
      if (!socket.write(chunk)) return socket.once('drain', pump);
    }
    socket.end(() => {
      process.stdout.write(JSON.stringify({ sent: count }) + '\n');
    });
  };
  pump();
});
socket.on('error', (error) => {
  process.stderr.write(`sender: ${error.message}\n`);
  process.exit(1);
});
