// Field devices (ATAK, WinTAK, iTAK): what the console shows of each device
// heard on the CoT feeds, and a supervisor's registering and blocking
// (docs/tak.md).
import { z } from 'zod';
import { UnitType } from '../domain';

export const DeviceView = z.object({
  /** The device's uid as a Vigie id. */
  id: z.string(),
  uid: z.string(),
  callsign: z.string().nullable(),
  team: z.string().nullable(),
  role: z.string().nullable(),
  battery: z.number().nullable(),
  platform: z.string().nullable(),
  model: z.string().nullable(),
  os: z.string().nullable(),
  version: z.string().nullable(),
  cotType: z.string().nullable(),
  lat: z.number().nullable(),
  lon: z.number().nullable(),
  course: z.number().nullable(),
  speed: z.number().nullable(),
  /** When its last self-report arrived (ms), and until when the device said it holds. */
  time: z.number().nullable(),
  stale: z.number().nullable(),
  /** The unit it reports as, once registered. */
  unit: z.string().nullable(),
  /** Why a supervisor blocked it, when blocked. */
  blocked: z.string().nullable(),
  /** An emergency it raised and has not cancelled: its kind, since when, and the unit the device is, if any. */
  emergency: z
    .object({ kind: z.enum(['911', 'ring-the-bell', 'troops-in-contact', 'geofence-breach']), since: z.number(), unit: z.string().nullable() })
    .nullable(),
});
export type DeviceView = z.infer<typeof DeviceView>;

const DeviceId = z.string().min(1).max(64);

export const deviceRequests = {
  'devices.list': {
    params: z.object({}).strict(),
    result: z.object({ devices: z.array(DeviceView) }),
  },
  /** Registers a device as an existing unit, or as a new unit (callsign, type, crew); one action, logged. */
  'devices.register': {
    params: z
      .object({
        device: DeviceId,
        unit: z.string().min(1).max(64).optional(),
        create: z
          .object({ callsign: z.string().trim().min(1).max(32), type: UnitType, crew: z.number().int().min(1).max(20) })
          .strict()
          .optional(),
      })
      .strict()
      .refine((p) => (p.unit === undefined) !== (p.create === undefined), 'give either an existing unit or a new one'),
    result: z.object({ unit: z.string(), created: z.boolean() }),
  },
  /** Blocks a device: its messages are quarantined (blocked-device) until unblocked. */
  'devices.block': {
    params: z.object({ device: DeviceId, reason: z.string().trim().min(1).max(200) }).strict(),
    result: z.object({}),
  },
  'devices.unblock': {
    params: z.object({ device: DeviceId }).strict(),
    result: z.object({}),
  },
} as const;

export const deviceEvents = {
  /** Devices whose view changed (a report, a registration, a block), at most ten times a second. */
  'devices.changed': z.object({ devices: z.array(DeviceView) }),
} as const;

/** A point or marker placed on a field device (docs/tak.md). */
export const FieldPointView = z.object({
  id: z.string(),
  uid: z.string(),
  /** The CoT type: affiliation and dimension for atoms (a-h-G, a-u-S…), the marker kind for markers. */
  cotType: z.string(),
  category: z.enum(['atom', 'marker']),
  lat: z.number(),
  lon: z.number(),
  label: z.string().nullable(),
  remarks: z.string().nullable(),
  /** ARGB colour as ATAK writes it (signed 32-bit), for markers. */
  colour: z.number().nullable(),
  /** The device that placed it, and its callsign. */
  device: z.string().nullable(),
  placedBy: z.string().nullable(),
  /** When it arrived (ms) and until when the device said it holds. */
  time: z.number(),
  stale: z.number(),
  /** The incident an operator attached it to. */
  incident: z.string().nullable(),
});
export type FieldPointView = z.infer<typeof FieldPointView>;

export const fieldPointRequests = {
  'fieldPoints.list': {
    params: z.object({}).strict(),
    result: z.object({ points: z.array(FieldPointView) }),
  },
  /** Attaches a point or marker to an open incident (logged; it travels in the incident's evidence). */
  'fieldPoints.attach': {
    params: z.object({ point: z.string().min(1).max(64), incident: z.string().min(1).max(64) }).strict(),
    result: z.object({}),
  },
} as const;

export const fieldPointEvents = {
  /** Points placed, moved or attached, and points deleted on a device. */
  'fieldPoints.changed': z.object({ points: z.array(FieldPointView), removed: z.array(z.string()) }),
} as const;
