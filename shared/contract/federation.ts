// The post's uplink to the regional centre (issue 16; docs/federation.md):
// whether its log is reaching the stream, how far behind it is, and why not.
import { z } from 'zod';

/** Why the uplink is not publishing; each console words it (uplink.problem.* in renderer/i18n). */
export const UplinkProblemCode = z.enum(['unreachable', 'auth', 'tls', 'no-jetstream', 'name-claimed', 'stream-ahead', 'error']);
export type UplinkProblemCode = z.infer<typeof UplinkProblemCode>;

export const UplinkView = z.object({
  /** The post's name on the uplink. */
  post: z.string(),
  /** The NATS server(s), without credentials. */
  server: z.string(),
  /** connecting: first attempt; connected: publishing or caught up; offline: the server cannot be reached; refused: reached, but publishing is refused (see problem). */
  state: z.enum(['connecting', 'connected', 'offline', 'refused']),
  /** Since when (ms, UTC) it is in this state. */
  since: z.number().int(),
  /** The log's last seq and the highest one the stream acknowledged: behind = lastSeq − ackedSeq. */
  lastSeq: z.number().int(),
  ackedSeq: z.number().int(),
  behind: z.number().int(),
  problem: z.object({ code: UplinkProblemCode, detail: z.string() }).nullable(),
});
export type UplinkView = z.infer<typeof UplinkView>;

export const federationRequests = {
  /** The uplink's state; null when the post has none. */
  'uplink.status': { params: z.object({}).strict(), result: z.object({ uplink: UplinkView.nullable() }) },
} as const;
