// Why the core refused a request: a stable kebab-case `reason` and its
// `params`, beside an English `message` kept for logs, the CLI and tests.
// Each console words every reason in its own language from its typed
// catalogue (renderer/i18n: a `refusal.<reason>` message in English and
// French, with exactly these params as placeholders — a reason without both
// wordings does not compile). A reason is never renamed once shipped: add a
// new one instead, so older consoles fall back to the English message.
import { z } from 'zod';

const none = z.object({});
/** The longest text a refusal's param may carry (a longer one is cut by the core, ending in …). */
export const REFUSAL_TEXT_MAX = 2000;
const text = z.string().max(REFUSAL_TEXT_MAX);
const count = z.number();

/** What a map pack file can be wrong with (docs/maps.md); the console words each. */
export const MapPackProblemCode = z.enum([
  'empty',
  'not-sqlite',
  'damaged',
  'not-mbtiles',
  'unknown-format',
  'no-tiles',
  'null-tile',
  'pmtiles-header',
  'pmtiles-version',
  'pmtiles-compression',
  'pmtiles-zoom',
  'unreadable',
  'vector',
  'missing',
]);
export type MapPackProblemCode = z.infer<typeof MapPackProblemCode>;

export const refusalParams = {
  // Who may ask (server/access.ts, server/httpServer.ts)
  'wrong-secret': none,
  'sign-in-first': none,
  'wrong-credentials': none,
  'forbidden-for-role': z.object({ role: text, method: text }),
  'unknown-method': z.object({ method: text }),
  /** Params outside the contract; `detail` is zod's English description (a console bug, not an operator's mistake). */
  'bad-request': z.object({ method: text, detail: text }),
  'internal-error': z.object({ method: text }),
  /** The log cannot be written (disk full, database locked: docs/faults.md); the action was not done. */
  // The room address (issue 15): seats and where a session may be used
  'seat-not-admitted': z.object({ code: text }),
  'seat-revoked': none,
  'seat-unknown': none,
  'seat-code-unknown': z.object({ code: text }),
  'seat-requests-exhausted': z.object({ max: count }),
  'session-elsewhere': none,
  'display-without-shift': none,
  'storage-unavailable': z.object({ problem: z.enum(['disk-full', 'locked']) }),

  // Alerts and incidents
  'alert-not-open': z.object({ alert: text }),
  'alert-already-in-incident': z.object({ alert: text, incident: text }),
  'alert-without-position': z.object({ alert: text }),
  'incident-not-open': z.object({ incident: text }),
  'incident-owner-unknown': z.object({ name: text }),

  // Dispatch (`unit` is the unit's callsign where known)
  'unit-unknown': z.object({ unit: text }),
  // Field devices (docs/tak.md)
  'device-unknown': z.object({ device: text }),
  'device-already-registered': z.object({ device: text, unit: text }),
  'device-blocked': z.object({ device: text }),
  'callsign-taken': z.object({ callsign: text }),
  'point-unknown': z.object({ point: text }),
  'chat-unreachable': z.object({ to: text }),
  'team-unknown': z.object({ team: text }),
  'message-unknown': z.object({ message: text }),
  'unit-already-assigned': z.object({ unit: text, incident: text }),
  'unit-committed': z.object({ unit: text, incident: text }),
  'unit-no-assignment': z.object({ unit: text }),

  // Accounts and shifts
  'account-name-invalid': none,
  'password-too-short': z.object({ min: count }),
  'password-too-long': z.object({ max: count }),
  'first-account-exists': none,
  'account-exists': z.object({ name: text }),
  'shift-not-open': none,
  'shift-unknown': z.object({ shift: count }),

  // Evidence and replay: what the log holds
  'incident-not-in-log': z.object({ incident: text }),
  'evidence-empty': none,
  'log-event-missing': z.object({ seq: count }),
  'shift-archived': z.object({ shift: count, archive: text }),
  /** An archive the console named that is not one of the post's (archives.list). */
  'archive-unknown': z.object({ archive: text }),
  /** An archive file that cannot be opened: it does not decompress, is not a Vigie archive, cannot be read, or is from a newer Vigie. */
  'archive-unreadable': z.object({ archive: text, problem: z.enum(['damaged', 'foreign', 'unreadable', 'newer']), detail: text }),
  'log-unreplayable': z.object({ from: count, to: count, detail: text }),
  'replay-before-log': none,
  'replay-past-log': z.object({ last: count, target: count }),
  'core-stopping': none,

  // Map packs
  'map-pack-problem': z.object({ problem: MapPackProblemCode, file: text }),

  // Sectors: a drawn or imported ring (points and edges numbered from 1)
  'sector-unknown': z.object({ sector: text }),
  'ring-too-many-points': z.object({ sector: text, points: count, max: count }),
  'ring-point-invalid': z.object({ sector: text, point: count }),
  'ring-point-outside': z.object({ sector: text, point: count, lat: count, lon: count }),
  'ring-too-few-corners': z.object({ sector: text, corners: count }),
  'ring-edges-cross': z.object({ sector: text, first: count, second: count, lat: count, lon: count }),
  'ring-no-area': z.object({ sector: text }),
  'ring-too-large': z.object({ sector: text, km2: count, max: count }),
  /** A whole import refused: `count` problems, `detail` their English description (names features and fields of the file). */
  'sector-import-invalid': z.object({ count, detail: text }),
} as const;

export type RefusalReason = keyof typeof refusalParams;
export type RefusalParams<R extends RefusalReason> = z.infer<(typeof refusalParams)[R]>;

/** Whether a reason read off the wire is one of this contract's (a newer core may send others). */
export function isRefusalReason(reason: unknown): reason is RefusalReason {
  return typeof reason === 'string' && Object.hasOwn(refusalParams, reason);
}

/** A refusal as the wire carries it, before its params are checked against its reason. */
export const RefusalParamsOnWire = z.record(z.string(), z.union([z.string(), z.number()]));

/** The params of a refusal, checked against its reason; undefined when they do not match (an older or newer core). */
export function refusalParamsOf<R extends RefusalReason>(reason: R, params: unknown): RefusalParams<R> | undefined {
  const checked = refusalParams[reason].safeParse(params);
  return checked.success ? (checked.data as RefusalParams<R>) : undefined;
}
