// Night palette of the map: low luminance, colour kept for meaning (risk now,
// live activity later) so that nothing glares during a 12-hour shift.
import type { RiskLevel } from '../../shared/contract';

export const SEA_COLOUR = '#0a1626';
export const LAND_STYLE = { color: '#3b4a5c', weight: 1, fillColor: '#1b2430', fillOpacity: 1 } as const;
export const FOREIGN_LAND_STYLE = { color: '#2e3a48', weight: 1, fillColor: '#161d27', fillOpacity: 1 } as const;

export const RISK_COLOUR: Record<RiskLevel, string> = {
  high: '#e0793a',
  medium: '#c9b458',
  low: '#4d9fa8',
};

export const GAP_COLOUR = '#e24a3a';

/**
 * A sector's look: its risk colour, filled more strongly the more open alerts
 * it holds (live activity), and outlined dashed red when no available unit
 * can reach it in time (a coverage gap).
 */
export function sectorStyle(risk: RiskLevel, selected: boolean, openAlerts = 0, coverageGap = false) {
  const activity = Math.min(openAlerts, 3) * 0.14;
  return {
    color: coverageGap ? GAP_COLOUR : RISK_COLOUR[risk],
    weight: selected ? 3 : coverageGap ? 2.5 : 1.5,
    opacity: 0.9,
    dashArray: coverageGap ? '6 5' : undefined,
    fillColor: RISK_COLOUR[risk],
    fillOpacity: (selected ? 0.28 : 0.12) + activity,
  };
}
