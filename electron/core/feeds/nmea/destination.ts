// Great-circle helpers on a spherical earth, for turning a radar's range and
// bearing into a position. At the Strait's latitude the sphere errs against
// WGS-84 by ≈ 0.05 % (north–south) to ≈ 0.3 % (east–west) of the distance —
// at most ≈ 80 m at 25 km, inside a radar's azimuth resolution there.

/** IUGG mean earth radius, metres. */
export const EARTH_RADIUS_M = 6_371_008.8;

const RAD = Math.PI / 180;

/**
 * The point `distanceMeters` from [lon, lat] along the great circle that
 * starts on `bearingDegrees` (true): the "destination point" formula.
 * Returns [lon, lat], longitude normalised to [-180, 180).
 */
export function destinationPoint(from: readonly [number, number], bearingDegrees: number, distanceMeters: number): [number, number] {
  const lat1 = from[1] * RAD;
  const lon1 = from[0] * RAD;
  const theta = bearingDegrees * RAD;
  const delta = distanceMeters / EARTH_RADIUS_M;
  const sinLat1 = Math.sin(lat1);
  const cosLat1 = Math.cos(lat1);
  const sinDelta = Math.sin(delta);
  const cosDelta = Math.cos(delta);
  const sinLat2 = Math.min(1, Math.max(-1, sinLat1 * cosDelta + cosLat1 * sinDelta * Math.cos(theta)));
  const lat2 = Math.asin(sinLat2);
  const lon2 = lon1 + Math.atan2(Math.sin(theta) * sinDelta * cosLat1, cosDelta - sinLat1 * sinLat2);
  const lon = ((((lon2 / RAD + 540) % 360) + 360) % 360) - 180;
  return [lon, lat2 / RAD];
}

/** Haversine distance in metres and initial bearing in degrees true, from a to b ([lon, lat]). */
export function distanceAndBearing(a: readonly [number, number], b: readonly [number, number]): { meters: number; bearing: number } {
  const lat1 = a[1] * RAD;
  const lat2 = b[1] * RAD;
  const dLat = lat2 - lat1;
  const dLon = (b[0] - a[0]) * RAD;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(lat1) * Math.cos(lat2) * Math.sin(dLon / 2) ** 2;
  const meters = 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(h)));
  const y = Math.sin(dLon) * Math.cos(lat2);
  const x = Math.cos(lat1) * Math.sin(lat2) - Math.sin(lat1) * Math.cos(lat2) * Math.cos(dLon);
  const bearing = ((Math.atan2(y, x) / RAD) % 360 + 360) % 360;
  return { meters, bearing };
}
