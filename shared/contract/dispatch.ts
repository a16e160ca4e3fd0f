// Dispatch: sending units, ranking them by time of arrival, unit status from
// the console, and the coverage of high-risk sectors (docs/dispatch.md).
import { z } from 'zod';
import { UnitStatus, UnitType } from '../domain';

export const dispatchRequests = {
  /** Send a unit to an incident; its device is told through the outbound feed. A unit already committed needs `override`. */
  'dispatch.assign': {
    params: z.object({ incident: z.string().min(1).max(64), unit: z.string().min(1).max(64), override: z.boolean().optional() }).strict(),
    result: z.object({ assignment: z.string(), delivered: z.boolean() }),
  },
  /** Units ranked by estimated time of arrival at an incident (docs/dispatch.md explains the model). */
  'dispatch.rank': {
    params: z.object({ incident: z.string().min(1).max(64) }).strict(),
    result: z.object({
      units: z.array(
        z.object({
          unit: z.string(),
          callsign: z.string(),
          type: UnitType,
          status: UnitStatus,
          /** Free to send without an override. */
          available: z.boolean(),
          /** The incident it is committed to, when it is. */
          committedTo: z.string().nullable(),
          reachable: z.boolean(),
          meters: z.number().nullable(),
          seconds: z.number().nullable(),
          mode: z.enum(['land', 'sea', 'to-shore']),
          note: z.string().nullable(),
        }),
      ),
    }),
  },
  /** High-risk sectors with no available unit within the site's coverage time. */
  'coverage.get': {
    params: z.object({}).strict(),
    result: z.object({ thresholdSeconds: z.number(), gaps: z.array(z.object({ sector: z.string(), bestSeconds: z.number().nullable() })) }),
  },
  /** A status set from the console (en route, on scene, cleared) for a unit on an assignment. */
  'dispatch.setStatus': {
    params: z.object({ unit: z.string().min(1).max(64), status: z.enum(['en-route', 'on-scene', 'cleared']) }).strict(),
    result: z.object({ delivered: z.boolean() }),
  },
} as const;
