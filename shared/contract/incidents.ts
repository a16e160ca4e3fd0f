// Alerts and incidents: what sensors raised, what operators made of it.
import { z } from 'zod';
import { AlertKind, Outcome, Severity, UnitStatus } from '../domain';

export const AlertView = z.object({
  id: z.string(),
  kind: AlertKind,
  severity: Severity,
  sensor: z.string(),
  subject: z.string().nullable(),
  lat: z.number().nullable(),
  lon: z.number().nullable(),
  sector: z.string().nullable(),
  confidence: z.number().nullable(),
  count: z.number().int().nullable(),
  time: z.number().int(),
  /** new → acknowledged (into an incident) → closed with its incident. */
  status: z.enum(['new', 'acknowledged', 'closed']),
  /** Not acknowledged within the site's escalation time. */
  escalated: z.boolean(),
  incident: z.string().nullable(),
  /** Why it was raised, for kinds that say (dark contacts: docs/fusion.md), as reason codes. */
  reasons: z.array(z.string()).optional(),
});
export type AlertView = z.infer<typeof AlertView>;

/** One unit sent to an incident, with the time of each step. */
export const AssignmentView = z.object({
  id: z.string(),
  unit: z.string(),
  status: UnitStatus,
  assignedAt: z.number().int(),
  enRouteAt: z.number().int().nullable(),
  onSceneAt: z.number().int().nullable(),
  clearedAt: z.number().int().nullable(),
});
export type AssignmentView = z.infer<typeof AssignmentView>;

/** A note added to an incident while it was open. */
export const IncidentNote = z.object({ time: z.number().int(), operator: z.string().nullable(), text: z.string() });
export type IncidentNote = z.infer<typeof IncidentNote>;

export const IncidentView = z.object({
  id: z.string(),
  status: z.enum(['open', 'closed']),
  lat: z.number(),
  lon: z.number(),
  sector: z.string().nullable(),
  alerts: z.array(z.string()),
  assignments: z.array(AssignmentView),
  openedAt: z.number().int(),
  closedAt: z.number().int().nullable(),
  outcome: Outcome.nullable(),
  /** The closing notes. */
  notes: z.string(),
  /** Notes added while it was open, oldest first. */
  noteLog: z.array(IncidentNote),
  /** Who works it: the operator who acknowledged it, until they hand it over (issue 15). Null for incidents opened before owners existed. */
  owner: z.string().nullable(),
});
export type IncidentView = z.infer<typeof IncidentView>;

export const incidentRequests = {
  /** Acknowledge an alert: it opens a new incident, or joins the one given. */
  'alert.acknowledge': {
    params: z.object({ alert: z.string().min(1).max(64), incident: z.string().min(1).max(64).optional() }).strict(),
    result: z.object({ incident: z.string(), opened: z.boolean() }),
  },
  /** Open incidents an alert probably belongs to: near in space and time, seen by another sensor. */
  'alert.mergeCandidates': {
    params: z.object({ alert: z.string().min(1).max(64) }).strict(),
    result: z.object({ candidates: z.array(z.object({ incident: z.string(), meters: z.number(), seconds: z.number() })) }),
  },
  /** The operator muted or unmuted the alert sounds (a logged action). */
  'console.setMute': {
    params: z.object({ muted: z.boolean() }).strict(),
    result: z.object({ muted: z.boolean() }),
  },
  /** Adds a note to an open incident (logged with the operator). */
  'incident.addNote': {
    params: z.object({ incident: z.string().min(1).max(64), text: z.string().trim().min(1).max(2000) }).strict(),
    result: z.object({ time: z.number().int() }),
  },
  /** Hands an open incident over to another operator (logged; everyone sees the new owner). */
  'incident.transfer': {
    params: z.object({ incident: z.string().min(1).max(64), to: z.string().min(1).max(64) }).strict(),
    result: z.object({ owner: z.string() }),
  },
  /** Close an incident with its outcome; its units are cleared and its alerts closed. */
  'incident.close': {
    params: z.object({ incident: z.string().min(1).max(64), outcome: Outcome, notes: z.string().max(4000) }).strict(),
    result: z.object({ closedAt: z.number().int() }),
  },
} as const;
