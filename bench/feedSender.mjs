// Benchmark load generator (plain JavaScript, so it starts without a TypeScript loader), run as its own process so it does not share the
// core's CPU: writes N messages of one protocol to a TCP port as fast as TCP
// flow control allows, then reports how many it wrote.
import fs from 'node:fs';
import net from 'node:net';

/** poolFile: messages made by the bench (TAK: with the project's own protobuf encoder), a JSON array of base64 frames. */
const [protocol, portText, countText, rateText, poolFile] = process.argv.slice(2);
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

/**
 * An AIS type 1 position report as a receiver forwards it (!AIVDM, one sentence), written
 * bit by bit from ITU-R M.1371 here so the sender needs nothing from the project.
 * @param {number} mmsi @param {number} lat @param {number} lon @param {number} speed @param {number} course
 */
function aisType1(mmsi, lat, lon, speed, course) {
  /** @type {number[]} */
  const bits = [];
  /** @param {number} value @param {number} width */
  const put = (value, width) => {
    const v = value < 0 ? 2 ** width + value : value;
    for (let b = width - 1; b >= 0; b--) bits.push(Math.floor(v / 2 ** b) % 2);
  };
  put(1, 6);
  put(0, 2);
  put(mmsi, 30);
  put(0, 4);
  put(-128, 8);
  put(Math.round(speed * 10), 10);
  put(0, 1);
  put(Math.round(lon * 600000), 28);
  put(Math.round(lat * 600000), 27);
  put(Math.round(course * 10), 12);
  put(511, 9);
  put(30, 6);
  put(0, 2);
  put(0, 3);
  put(0, 1);
  put(0, 19);
  let payload = '';
  for (let k = 0; k < bits.length; k += 6) {
    const value = bits.slice(k, k + 6).reduce((sum, bit) => sum * 2 + bit, 0);
    payload += String.fromCharCode(value < 40 ? value + 48 : value + 56);
  }
  const body = `AIVDM,1,1,,A,${payload},0`;
  return `!${body}*${checksum(body)}\r\n`;
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
    case 'ais':
      return aisType1(227_000_000 + target, lat, lon, (i % 150) / 10, (i % 3600) / 10);
    default:
      throw new Error(`unknown protocol ${protocol}`);
  }
}

// Messages are made up front and cycled, so the generator is never the bottleneck.
const POOL = 20_000;
/** @type {(string | Buffer)[]} */
const pool = poolFile
  ? /** @type {string[]} */ (JSON.parse(fs.readFileSync(poolFile, 'utf8'))).map((frame) => Buffer.from(frame, 'base64'))
  : Array.from({ length: Math.min(POOL, count) }, (_, i) => message(i));

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
      /** @type {(string | Buffer)[]} */
      const batch = [];
      for (let k = 0; k < (rate > 0 ? Math.max(1, Math.round(rate / 1000)) : 200) && i < count; k++, i++) batch.push(pool[i % pool.length]);
      const chunk = poolFile ? Buffer.concat(/** @type {Buffer[]} */ (batch)) : batch.join('');
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
