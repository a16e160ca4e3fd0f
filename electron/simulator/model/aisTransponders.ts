// AIS transponders on the simulated ships. Merchant ships and ferries carry
// Class A: a type 1 position report at the rate ITU-R M.1371 sets for their
// speed (every 10 s up to 14 kn, 6 s up to 23 kn, 2 s above; 3 minutes at
// anchor or moored) and a type 5 (two sentences) every 6 minutes. About half
// the fishing boats carry Class B (type 18 every 30 s, type 5-equivalent
// identity not sent); the other half, and every small boat, transmit nothing.
// Reports are the ship's true state plus GPS noise — the same ships the
// radars track, so fusion has something real to associate.
import type { LonLat } from './geo';
import { KNOT_MS, destinationPoint } from './geo';
import type { Random } from './random';
import type { SeaTarget } from './traffic';

export interface AisShip {
  mmsi: number;
  imo?: number;
  name: string;
  callsign: string;
  /** ITU ship type: 60 passenger, 70 cargo, 80 tanker, 30 fishing. */
  shipType: number;
  classB: boolean;
  toBow: number;
  toStern: number;
  toPort: number;
  toStarboard: number;
  draught: number;
  destination: string;
}

export type AisReport =
  | { type: 'position'; ship: AisShip; lat: number; lon: number; speed: number; course: number; heading: number; second: number }
  | { type: 'static'; ship: AisShip };

/** Share of fishing boats that carry a (Class B) transponder. */
export const FISHING_WITH_AIS = 0.5;
const STATIC_EVERY_MS = 6 * 60_000;
/** GPS position noise, metres (1 σ), and course and speed noise. */
const GPS_SIGMA_M = 8;

const FERRY_NAMES = [
  'SPIRIT OF BRITAIN',
  'SPIRIT OF FRANCE',
  'PRIDE OF KENT',
  'PRIDE OF CANTERBURY',
  'COTE DES FLANDRES',
  'COTE DES DUNES',
  'CALAIS SEAWAYS',
  'DUNKERQUE SEAWAYS',
  'DELFT SEAWAYS',
  'DOVER SEAWAYS',
];
const MERCHANT_PREFIX = ['NORDIC', 'ATLANTIC', 'BALTIC', 'MSC', 'CMA CGM', 'MAERSK', 'EVER', 'STOLT', 'BOW', 'ARKLOW'];
const MERCHANT_SUFFIX = ['STAR', 'PRIDE', 'TRADER', 'SPIRIT', 'HORIZON', 'VOYAGER', 'PIONEER', 'BREEZE', 'CROWN', 'RIVER'];
const DESTINATIONS = ['ROTTERDAM', 'ANTWERP', 'HAMBURG', 'LE HAVRE', 'SOUTHAMPTON', 'BREMERHAVEN', 'ZEEBRUGGE', 'FELIXSTOWE'];
/** Flag MID prefixes: France, UK, Malta, Liberia, Panama, Netherlands. */
const MIDS = [227, 235, 248, 636, 352, 244];

interface Transponder {
  ship: AisShip;
  nextPosition: number;
  nextStatic: number;
}

export class AisTransponders {
  private readonly byTarget = new Map<string, Transponder | null>();
  private readonly usedMmsi = new Set<number>();

  constructor(private readonly random: Random) {}

  /** The ship a target transmits as, or undefined when it carries no transponder. */
  shipOf(target: SeaTarget): AisShip | undefined {
    return this.transponder(target, 0)?.ship;
  }

  /** The reports every transponder makes by `now` (simulated ms), within reach of `receiver`. */
  step(now: number, targets: readonly SeaTarget[], heard: (position: LonLat) => boolean, emit: (report: AisReport) => void): void {
    for (const target of targets) {
      const transponder = this.transponder(target, now);
      if (!transponder || !heard(target.position)) continue;
      if (now >= transponder.nextStatic) {
        transponder.nextStatic = now + STATIC_EVERY_MS;
        if (!transponder.ship.classB) emit({ type: 'static', ship: transponder.ship });
      }
      if (now < transponder.nextPosition) continue;
      transponder.nextPosition = now + reportIntervalMs(target.speedMs / KNOT_MS, transponder.ship.classB);
      const noisy = destinationPoint(target.position, this.random.range(0, 360), Math.abs(this.random.gaussian() * GPS_SIGMA_M));
      const knots = target.speedMs / KNOT_MS;
      emit({
        type: 'position',
        ship: transponder.ship,
        lat: noisy[1],
        lon: noisy[0],
        speed: Math.max(0, Math.round((knots + this.random.gaussian() * 0.1) * 10) / 10),
        course: (((target.course + this.random.gaussian() * 0.8) % 360) + 360) % 360,
        heading: Math.round((((target.course + this.random.gaussian() * 2) % 360) + 360) % 360) % 360,
        second: Math.floor(now / 1000) % 60,
      });
    }
  }

  private transponder(target: SeaTarget, now: number): Transponder | undefined {
    const known = this.byTarget.get(target.id);
    if (known !== undefined) return known ?? undefined;
    const made = this.make(target, now);
    this.byTarget.set(target.id, made);
    return made ?? undefined;
  }

  private make(target: SeaTarget, now: number): Transponder | null {
    if (target.cls === 'small-boat' || target.kind === undefined) return null;
    if (target.kind === 'fishing' && !this.random.chance(FISHING_WITH_AIS)) return null;
    const mmsi = this.mmsi();
    const ship = this.identity(target.kind, mmsi);
    // Transponders are not in step with each other, nor with the start of the night.
    return { ship, nextPosition: now + this.random.range(0, 2_000), nextStatic: now + this.random.range(0, STATIC_EVERY_MS / 4) };
  }

  private mmsi(): number {
    for (;;) {
      const mmsi = MIDS[Math.floor(this.random.range(0, MIDS.length))]! * 1_000_000 + Math.floor(this.random.range(0, 1_000_000));
      if (!this.usedMmsi.has(mmsi)) {
        this.usedMmsi.add(mmsi);
        return mmsi;
      }
    }
  }

  private identity(kind: 'merchant' | 'ferry' | 'fishing', mmsi: number): AisShip {
    const pick = <T>(list: readonly T[]) => list[Math.floor(this.random.range(0, list.length))]!;
    const callsign = `${String.fromCharCode(65 + (mmsi % 26))}${String.fromCharCode(65 + (Math.floor(mmsi / 26) % 26))}${mmsi % 10_000}`;
    switch (kind) {
      case 'ferry':
        return {
          mmsi,
          imo: 9_000_000 + (mmsi % 999_999),
          name: pick(FERRY_NAMES),
          callsign,
          shipType: 60,
          classB: false,
          toBow: 140,
          toStern: 56,
          toPort: 14,
          toStarboard: 14,
          draught: 6.5,
          destination: pick(['CALAIS', 'DOVER', 'DUNKERQUE']),
        };
      case 'merchant':
        return {
          mmsi,
          imo: 9_000_000 + (mmsi % 999_999),
          name: `${pick(MERCHANT_PREFIX)} ${pick(MERCHANT_SUFFIX)}`,
          callsign,
          shipType: pick([70, 70, 70, 80, 80, 71, 79]),
          classB: false,
          toBow: Math.round(this.random.range(80, 250)),
          toStern: Math.round(this.random.range(20, 60)),
          toPort: Math.round(this.random.range(8, 22)),
          toStarboard: Math.round(this.random.range(8, 22)),
          draught: Math.round(this.random.range(60, 140)) / 10,
          destination: pick(DESTINATIONS),
        };
      case 'fishing':
        return {
          mmsi,
          name: `${pick(['BOULONNAIS', 'OPALE', 'NAUSICAA', 'ETOILE', 'MARIE'])} ${Math.floor(this.random.range(1, 40))}`,
          callsign,
          shipType: 30,
          classB: true,
          toBow: 15,
          toStern: 5,
          toPort: 3,
          toStarboard: 3,
          draught: 2.5,
          destination: 'BOULOGNE',
        };
    }
  }
}

/** ITU-R M.1371 reporting intervals (Class A under way; Class B "CS" 30 s), simplified. */
export function reportIntervalMs(knots: number, classB: boolean): number {
  if (classB) return knots > 2 ? 30_000 : 180_000;
  if (knots < 0.2) return 180_000;
  if (knots <= 14) return 10_000;
  if (knots <= 23) return 6_000;
  return 2_000;
}
