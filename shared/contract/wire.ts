// Wire frames on the WebSocket (and the body of HTTP calls), and the
// handshake every console makes first.
import { z } from 'zod';
import { RefusalParamsOnWire, type RefusalParams, type RefusalReason } from './refusals';

export const PROTOCOL_VERSION = 1 as const;
/** WebSocket subprotocol the core speaks; the secret travels as a second one. */
export const WS_SUBPROTOCOL = 'vigie.v1';
export const WS_TOKEN_PREFIX = 'vigie.token.';
/** The close code of a console socket whose seat a supervisor revoked (room address, issue 15): the console starts again, asking to join. */
export const WS_SEAT_REVOKED = 4401;

export const RequestFrame = z.object({
  type: z.literal('request'),
  id: z.number().int().nonnegative(),
  method: z.string().max(64),
  params: z.unknown(),
  /** The sign-in's session token (HTTP: the x-vigie-session header). */
  session: z.string().max(128).optional(),
});
export type RequestFrame = z.infer<typeof RequestFrame>;

export const ErrorBody = z.object({
  /** unauthorized: the console's secret is wrong; unauthenticated: nobody signed in; forbidden: not for this role; refused: the request broke a rule of the domain. */
  code: z.enum(['bad-request', 'unknown-method', 'internal', 'unauthorized', 'unauthenticated', 'forbidden', 'refused']),
  /**
   * Why, as a stable code that consoles word in their language (refusals.ts).
   * Any string on the wire: a console older than its core gets a reason it
   * does not know, and must still see the answer (it shows the English message).
   */
  reason: z.string().max(64),
  params: RefusalParamsOnWire,
  /** The same in English, for logs, the CLI and tests. */
  message: z.string(),
});
/** An error as the core sends it: its reason is one of the contract's. */
export type ErrorBody = Omit<z.infer<typeof ErrorBody>, 'reason'> & { reason: RefusalReason };
export type ErrorCode = ErrorBody['code'];

/** An error body whose params match its reason (checked by the compiler). */
export function errorBody<R extends RefusalReason>(code: ErrorCode, reason: R, params: RefusalParams<R>, message: string): ErrorBody {
  return { code, reason, params: params as Record<string, string | number>, message };
}

export const ResponseFrame = z.discriminatedUnion('ok', [
  z.object({ type: z.literal('response'), id: z.number().int(), ok: z.literal(true), result: z.unknown() }),
  z.object({ type: z.literal('response'), id: z.number().int(), ok: z.literal(false), error: ErrorBody }),
]);
export type ResponseFrame = z.infer<typeof ResponseFrame>;

export const EventFrame = z.object({
  type: z.literal('event'),
  name: z.string(),
  payload: z.unknown(),
});
export type EventFrame = z.infer<typeof EventFrame>;

export const ServerFrame = z.union([ResponseFrame, EventFrame]);
export type ServerFrame = z.infer<typeof ServerFrame>;

export const wireRequests = {
  'core.hello': {
    params: z.object({}).strict(),
    result: z.object({
      product: z.literal('vigie'),
      version: z.string(),
      protocol: z.literal(1),
      startedAt: z.number().int(),
    }),
  },
} as const;

/** One readable line from a zod error: "params.limit: Too big: expected…". */
export function describeIssues(error: z.ZodError, prefix = ''): string {
  return error.issues
    .slice(0, 5)
    .map((issue) => {
      const where = [prefix, ...issue.path.map(String)].filter(Boolean).join('.');
      return where ? `${where}: ${issue.message}` : issue.message;
    })
    .join('; ');
}
