// The one contract between the core and every console: each request the
// renderer can make and each event the core pushes, as zod schemas, one file
// per domain beside this one. Types are inferred from them, and both ends
// validate what they receive, so nothing restates a method name or a payload
// shape by hand. Callers import this index ('shared/contract'), never a
// domain file, so a shape can move between domains without touching them.
import type { z } from 'zod';
import { accountRequests } from './accounts';
import { chatEvents, chatRequests } from './chat';
import { deviceEvents, deviceRequests, fieldPointEvents, fieldPointRequests } from './devices';
import { dispatchRequests } from './dispatch';
import { evidenceRequests } from './evidence';
import { feedRequests } from './feeds';
import { federationEvents, federationRequests } from './federation';
import { figureRequests } from './figures';
import { incidentRequests } from './incidents';
import { keepingRequests } from './keeping';
import { mapRequests } from './maps';
import { pictureEvents, pictureRequests } from './picture';
import { replayRequests } from './replay';
import { roomEvents, roomRequests } from './room';
import { sectorEvents, sectorRequests } from './sectors';
import { wireRequests } from './wire';

export * from './accounts';
export * from './chat';
export * from './devices';
export * from './dispatch';
export * from './evidence';
export * from './feeds';
export * from './federation';
export * from './figures';
export * from './geo';
export * from './incidents';
export * from './keeping';
export * from './maps';
export * from './picture';
export * from './refusals';
export * from './replay';
export * from './room';
export * from './sectors';
export * from './shell';
export * from './trackColumns';
export * from './wire';

// ---------------------------------------------------------------------------
// Requests: method name → params and result.

export const requests = {
  ...wireRequests,
  ...pictureRequests,
  ...incidentRequests,
  ...dispatchRequests,
  ...feedRequests,
  ...accountRequests,
  ...evidenceRequests,
  ...replayRequests,
  ...mapRequests,
  ...figureRequests,
  ...sectorRequests,
  ...keepingRequests,
  ...deviceRequests,
  ...fieldPointRequests,
  ...chatRequests,
  ...roomRequests,
  ...federationRequests,
} as const;

export type RequestName = keyof typeof requests;
export type RequestParams<M extends RequestName> = z.infer<(typeof requests)[M]['params']>;
export type RequestResult<M extends RequestName> = z.infer<(typeof requests)[M]['result']>;

// ---------------------------------------------------------------------------
// Events the core pushes to every connected console.

export const events = {
  ...pictureEvents,
  ...sectorEvents,
  ...deviceEvents,
  ...fieldPointEvents,
  ...chatEvents,
  ...roomEvents,
  ...federationEvents,
} as const;

export type EventName = keyof typeof events;
export type EventPayload<E extends EventName> = z.infer<(typeof events)[E]>;

export function isRequestName(name: string): name is RequestName {
  return Object.hasOwn(requests, name);
}
export function isEventName(name: string): name is EventName {
  return Object.hasOwn(events, name);
}
