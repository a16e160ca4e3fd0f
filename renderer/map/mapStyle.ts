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

export function sectorStyle(risk: RiskLevel, selected: boolean) {
  return {
    color: RISK_COLOUR[risk],
    weight: selected ? 3 : 1.5,
    opacity: 0.9,
    fillColor: RISK_COLOUR[risk],
    fillOpacity: selected ? 0.28 : 0.12,
  };
}
