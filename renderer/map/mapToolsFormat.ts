// Small pure helpers of the map tools: distances as operators read them,
// and the place-name search over the bundled gazetteer.
import type { Translator } from '../i18n/translate';
import type { VesselView } from '../../shared/contract';
import type { Place } from './baseMapData';

/** "850 m" under a kilometre, "12.4 km" above; with nautical miles for the sea. */
export function formatDistance(t: Translator, meters: number): string {
  const nm = meters / 1852;
  const land =
    meters < 1000
      ? `${t.number(Math.round(meters))} m`
      : `${new Intl.NumberFormat(t.language, { maximumFractionDigits: meters < 10_000 ? 2 : 1 }).format(meters / 1000)} km`;
  return `${land} (${new Intl.NumberFormat(t.language, { maximumFractionDigits: 2 }).format(nm)} NM)`;
}

export function formatBearing(degrees: number): string {
  return `${String(Math.round(degrees) % 360).padStart(3, '0')}°`;
}

/** Lower case, accents off, punctuation as spaces: "Équihen-Plage" → "equihen plage". */
export function foldName(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

/** Places whose name starts with the query first, then those containing it; bigger towns first. */
export function searchPlaces(places: Place[], query: string, limit = 8): Place[] {
  const folded = foldName(query);
  if (!folded) return [];
  const scored: { place: Place; rank: number }[] = [];
  for (const place of places) {
    const name = foldName(place.properties.name);
    const rank = name.startsWith(folded) ? 0 : name.split(' ').some((word) => word.startsWith(folded)) ? 1 : name.includes(folded) ? 2 : -1;
    if (rank >= 0) scored.push({ place, rank });
  }
  scored.sort(
    (a, b) =>
      a.rank - b.rank || b.place.properties.population - a.place.properties.population || a.place.properties.name.localeCompare(b.place.properties.name),
  );
  return scored.slice(0, limit).map((entry) => entry.place);
}

/** Ships heard on AIS whose name matches the query (as places do), or whose MMSI starts with its digits; named ships first. */
export function searchVessels(vessels: Iterable<VesselView>, query: string, limit = 5): VesselView[] {
  const folded = foldName(query);
  if (!folded) return [];
  const digits = /^\d{3,9}$/.test(folded) ? folded : null;
  const scored: { vessel: VesselView; rank: number }[] = [];
  for (const vessel of vessels) {
    let rank = -1;
    if (digits && String(vessel.mmsi).startsWith(digits)) rank = 0;
    else if (vessel.name) {
      const name = foldName(vessel.name);
      rank = name.startsWith(folded) ? 0 : name.split(' ').some((word) => word.startsWith(folded)) ? 1 : name.includes(folded) ? 2 : -1;
    }
    if (rank >= 0) scored.push({ vessel, rank });
  }
  scored.sort((a, b) => a.rank - b.rank || (a.vessel.name ?? '~').localeCompare(b.vessel.name ?? '~') || a.vessel.mmsi - b.vessel.mmsi);
  return scored.slice(0, limit).map((entry) => entry.vessel);
}
