// The parse worker's thread: reads and checks batches of TCP frames (JSON
// lines, NMEA sentences, CoT XML events) with the same code the main thread
// would run (frameParsing.ts), and answers each batch, in the order received,
// with one result per frame. It holds no socket and writes nothing: the main
// thread keeps the raw frames, the rate limiter, authorisation and the log.
import { parentPort, workerData } from 'node:worker_threads';
import type { Site } from '../../../../shared/site';
import { parseFrame, type ParsedFrame } from './frameParsing';
import type { ParseWorkerReply, ParseWorkerRequest } from './parsePool';

const site = (workerData as { site: Site }).site;
/** Registered devices' units (uid → unit), mirrored from the main thread before the batches that follow a change. */
let units = new Map<string, string>();
const registered = { unitOf: (uid: string) => units.get(uid) };

parentPort!.on('message', (request: ParseWorkerRequest) => {
  if (request.type === 'registry') {
    units = new Map(request.units);
    return;
  }
  if (request.type === 'crash') throw new Error('crash requested (test)');
  const bytes = Buffer.from(request.bytes.buffer, request.bytes.byteOffset, request.bytes.byteLength);
  const results: ParsedFrame[] = new Array(request.ends.length);
  let start = 0;
  for (let i = 0; i < request.ends.length; i++) {
    const end = request.ends[i]!;
    results[i] = parseFrame(request.feed, bytes.subarray(start, end), request.times[i]!, { site, registered }, request.source);
    start = end;
  }
  parentPort!.postMessage({ id: request.id, results } satisfies ParseWorkerReply);
});
