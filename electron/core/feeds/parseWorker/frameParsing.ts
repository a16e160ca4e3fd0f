// What turns one TCP frame of the JSON, NMEA or CoT XML feed into checked
// feed messages: the adapter, then the FeedMessage schema. Pure and the same
// code on both sides of the parse worker (parseWorker.ts runs it off the main
// thread; the main thread runs it itself when no worker is up), so a frame
// means the same wherever it was read.
import { describeIssues } from '../../../../shared/contract';
import type { Site } from '../../../../shared/site';
import { cotAuth, splitNmeaAuth } from '../auth';
import { parseCotEvent, type RegisteredDevices } from '../cot/parseCotEvent';
import { FeedMessage, isPlainTrack, type FrameAuth, type Parsed, type RejectReason } from '../feedMessage';
import { parseJsonLine } from '../jsonLines/parseJsonLine';
import { parseNmeaSentence, type NmeaRadar } from '../nmea/parseNmeaSentence';

/** The feeds whose TCP frames are parsed off the main thread. */
export type ParsedFeed = 'json' | 'nmea' | 'cot';

/** One message of a frame after the schema: its checked data, or why it does not fit. */
export type CheckedMessage = { data: FeedMessage } | { issue: string };

/**
 * A frame read and checked: what FeedIngest.receive takes instead of parsing
 * it again. A JSON `hello` comes back as it is (binding the connection is the
 * main thread's business).
 */
export type ParsedFrame =
  | { ok: true; checked: CheckedMessage[]; auth?: FrameAuth }
  | { ok: true; hello: { sensor?: string; unit?: string; secret?: string } }
  | { ok: false; reason: RejectReason; detail: string };

export interface FrameContext {
  site: Site;
  registered?: RegisteredDevices;
}

/** The radars of the site, by id (NMEA sentences do not say who sent them: the listener does). */
export function nmeaRadar(site: Site, sensor: string): NmeaRadar {
  const radar = site.sensors.find((candidate) => candidate.id === sensor);
  if (!radar) throw new Error(`no sensor ${sensor} in the site file`);
  return { id: radar.id, position: radar.position };
}

/** Adapter only (no schema): the NMEA frame of `radar`, a Vigie TAG block (signature) taken off first. */
export function parseNmeaFrame(frame: Buffer, radar: NmeaRadar, receivedAt: number): Parsed {
  // Any other TAG block stays and is refused as before.
  const line = frame.toString('latin1');
  const { sentence, auth } = splitNmeaAuth(line);
  if (!auth?.ok) return parseNmeaSentence(line, radar, receivedAt);
  const parsed = parseNmeaSentence(sentence, radar, receivedAt);
  return parsed.ok ? { ...parsed, auth } : parsed;
}

/** Adapter only (no schema): one CoT XML event with its signature, if any. */
export function parseCotFrame(frame: Buffer, site: Site, receivedAt: number, registered?: RegisteredDevices): Parsed {
  const parsed = parseCotEvent(frame, site, receivedAt, registered);
  if (!parsed.ok) return parsed;
  const auth = cotAuth(frame);
  return auth ? { ...parsed, auth } : parsed;
}

/** Each message against the FeedMessage schema, as FeedIngest.receive checks them. */
export function checkMessages(messages: readonly unknown[]): CheckedMessage[] {
  return messages.map((candidate) => {
    // A track that plainly fits is what the schema would return (bar its copy); the schema checks, and words refusals for, the rest.
    if (isPlainTrack(candidate)) return { data: candidate };
    const checked = FeedMessage.safeParse(candidate);
    return checked.success ? { data: checked.data } : { issue: describeIssues(checked.error) };
  });
}

/**
 * One frame, read and checked. `source` is the radar's id for NMEA. An
 * adapter that throws is a refusal (bad-schema, "adapter failed"), as on the
 * main thread: its bug must not take the feed down.
 */
export function parseFrame(feed: ParsedFeed, frame: Buffer, receivedAt: number, context: FrameContext, source?: string): ParsedFrame {
  try {
    if (feed === 'json') {
      const parsed = parseJsonLine(frame.toString('utf8'), receivedAt);
      if (!parsed.ok || 'hello' in parsed) return parsed;
      return { ok: true, checked: checkMessages([parsed.message]), auth: parsed.auth };
    }
    const parsed =
      feed === 'nmea'
        ? parseNmeaFrame(frame, nmeaRadar(context.site, source!), receivedAt)
        : parseCotFrame(frame, context.site, receivedAt, context.registered);
    if (!parsed.ok) return parsed;
    return { ok: true, checked: checkMessages(parsed.messages), auth: parsed.auth };
  } catch (error) {
    return { ok: false, reason: 'bad-schema', detail: `adapter failed: ${error instanceof Error ? error.message : String(error)}` };
  }
}
