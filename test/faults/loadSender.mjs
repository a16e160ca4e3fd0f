// Load for the crash test, run as its own process (so it does not share the
// test's event loop): Vigie JSON lines and NMEA TTM sentences over two TCP
// connections, paced at RATE messages/s in total, until the core goes away.
// Every message carries a number that comes back in its log event, so the
// test can tell exactly which messages were committed:
//   JSON: "time" = JSON_EPOCH + i ms   → the event's `at` minus JSON_EPOCH is i
//   NMEA: hhmmss.ss = TOD_BASE + 10·k ms → (`at` − TOD_BASE) mod 1 day, ÷ 10, is k
// Usage: node loadSender.mjs JSON_PORT NMEA_PORT RATE JSON_FIRST NMEA_FIRST TOD_BASE
import net from 'node:net';

export const JSON_EPOCH = Date.UTC(2020, 0, 1);
const [jsonPort, nmeaPort, rate, jsonFirst, nmeaFirst, todBase] = process.argv.slice(2).map(Number);

function checksum(body) {
  let sum = 0;
  for (let i = 0; i < body.length; i++) sum ^= body.charCodeAt(i);
  return sum.toString(16).toUpperCase().padStart(2, '0');
}

function jsonLine(i) {
  const track = i % 300;
  const lat = (50.75 + (i % 1000) / 10000).toFixed(5);
  const lon = (1.4 + (track % 100) / 1000).toFixed(5);
  const cls = track % 50 === 0 ? 'small-boat' : 'vessel';
  return `{"v":1,"type":"track","sensor":"RAD-GRISNEZ","track":"J${track}","lat":${lat},"lon":${lon},"course":${i % 360},"speed":${(i % 150) / 10},"class":"${cls}","time":"${new Date(JSON_EPOCH + i).toISOString()}"}\n`;
}

function hhmmss(ms) {
  const t = ((ms % 86_400_000) + 86_400_000) % 86_400_000;
  const pad = (n, w = 2) => String(n).padStart(w, '0');
  return `${pad(Math.floor(t / 3_600_000))}${pad(Math.floor(t / 60_000) % 60)}${pad(Math.floor(t / 1000) % 60)}.${pad(Math.floor(t / 10) % 100)}`;
}

function nmeaLine(k) {
  const body = `RATTM,${String(k % 100).padStart(2, '0')},${(1 + (k % 100) / 10).toFixed(2)},${(200 + (k % 1400) / 10).toFixed(1)},T,${((k % 150) / 10).toFixed(1)},${k % 360},T,1.0,10.0,N,V${k % 100},T,,${hhmmss(todBase + 10 * k)},A`;
  return `$${body}*${checksum(body)}\r\n`;
}

let done = 0;
function stream(port, first, make) {
  const socket = net.connect(port, '127.0.0.1');
  socket.setNoDelay(true);
  socket.on('error', () => undefined);
  socket.on('close', () => {
    if (++done === 2) process.exit(0);
  });
  let next = first;
  const started = performance.now();
  const perStream = rate / 2;
  const pump = () => {
    if (socket.destroyed) return;
    // Paced: as many as are due by now, in one write; flow control may hold us back.
    const due = first + Math.floor(((performance.now() - started) / 1000) * perStream);
    let chunk = '';
    while (next < due) chunk += make(next++);
    const more = chunk === '' || socket.write(chunk);
    if (more) setTimeout(pump, 5);
    else socket.once('drain', pump);
  };
  socket.once('connect', pump);
}

stream(jsonPort, jsonFirst, jsonLine);
stream(nmeaPort, nmeaFirst, nmeaLine);
