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
