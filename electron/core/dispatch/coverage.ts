// Coverage: the high-risk sectors that no available unit could reach within
// the site's coverage time (docs/dispatch.md). A sector is reached at its
// centroid, by the same ETA model that ranks units for an incident.
import type { Sector, UnitView } from '../../../shared/contract';
import type { EtaModel } from './eta';

export interface CoverageGap {
  sector: string;
  /** The fastest available unit's ETA in seconds; null when none can reach it. */
  bestSeconds: number | null;
}

/** A unit free to send without an override. */
export function isAvailable(unit: UnitView): boolean {
  return unit.assignment === null && unit.status !== 'unavailable';
}

export function coverageGaps(model: EtaModel, units: Iterable<UnitView>, sectors: readonly Sector[], thresholdSeconds: number): CoverageGap[] {
  const available = [...units].filter(isAvailable);
  const gaps: CoverageGap[] = [];
  for (const sector of sectors) {
    if (sector.risk !== 'high') continue;
    const points = sector.ring.slice(0, -1);
    const target = { lon: points.reduce((sum, p) => sum + p[0], 0) / points.length, lat: points.reduce((sum, p) => sum + p[1], 0) / points.length };
    const best = model.rank(available, target).find((ranked) => ranked.eta.reachable);
    const bestSeconds = best ? Math.round(best.eta.seconds) : null;
    if (bestSeconds === null || bestSeconds > thresholdSeconds) gaps.push({ sector: sector.id, bestSeconds });
  }
  return gaps;
}
