// The vocabulary of the operating picture, shared by the core, the feeds and
// the console: kinds of sensors, units, detections and alerts.
import { z } from 'zod';

export const UnitType = z.enum(['foot', '4x4', 'quad', 'boat', 'drone-team', 'dog-team']);
export type UnitType = z.infer<typeof UnitType>;

/** `ais`: a shore AIS receiver (it hears ships' transponders; it sees nothing itself). */
export const SensorKind = z.enum(['radar', 'camera', 'drone', 'optronic', 'ais']);
export type SensorKind = z.infer<typeof SensorKind>;

/** What a sensor saw. */
export const DetectionKind = z.enum(['group-on-beach', 'boat-launch', 'boat-at-sea', 'vehicle', 'suspicious-activity']);
export type DetectionKind = z.infer<typeof DetectionKind>;

/** How a track is classified: by the radar operator, by CoT affiliation, or by size/speed. */
export const TrackClass = z.enum(['small-boat', 'vessel', 'unknown']);
export type TrackClass = z.infer<typeof TrackClass>;

/** Unit status as reported by the unit's device (or set by the console). */
export const UnitStatus = z.enum(['available', 'assigned', 'en-route', 'on-scene', 'cleared', 'unavailable']);
export type UnitStatus = z.infer<typeof UnitStatus>;

/** field-report: a hostile or unknown point placed by a field device inside a beach sector (docs/tak.md). */
/** dark-contact: a radar track near the coast that no AIS explains (docs/fusion.md); ais-silent: a ship that stopped transmitting inside the coastal band. */
export const AlertKind = z.enum([...DetectionKind.options, 'sensor-silent', 'field-report', 'emergency', 'dark-contact', 'ais-silent']);
export type AlertKind = z.infer<typeof AlertKind>;

/** critical: a field device's emergency (docs/tak.md), above every sensor alert. */
export const Severity = z.enum(['critical', 'high', 'medium', 'low']);
export type Severity = z.infer<typeof Severity>;

export const SensorHealth = z.enum(['ok', 'silent']);
export type SensorHealth = z.infer<typeof SensorHealth>;

export const FeedProtocol = z.enum(['cot', 'nmea', 'json', 'ais']);
export type FeedProtocol = z.infer<typeof FeedProtocol>;

/** How an incident ended; one is required to close it. */
/**
 * Operator accounts: operators and supervisors dispatch; auditors replay and export but never dispatch; supervisors also manage accounts;
 * a display (the control room's wall screen, issue 15) only shows the live picture.
 */
export const Role = z.enum(['operator', 'supervisor', 'auditor', 'display']);
export type Role = z.infer<typeof Role>;

export const Outcome = z.enum(['intercepted-on-beach', 'launch-prevented', 'handed-to-rescue', 'false-alarm', 'nothing-found']);
export type Outcome = z.infer<typeof Outcome>;
