// Spherical-earth geodesy, good to a few metres over the tens of kilometres
// a coastal post covers: distances, bearings and destination points.
export const EARTH_RADIUS_M = 6_371_008.8;
const rad = Math.PI / 180;

/** Great-circle distance in metres. */
export function distanceMeters(lat1: number, lon1: number, lat2: number, lon2: number): number {
  const dLat = (lat2 - lat1) * rad;
  const dLon = (lon2 - lon1) * rad;
  const a = Math.sin(dLat / 2) ** 2 + Math.cos(lat1 * rad) * Math.cos(lat2 * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(a)));
}

/** Initial bearing from the first point to the second, degrees true 0–360. */
export function bearingDegrees(lat1: number, lon1: number, lat2: number, lon2: number): number {
  const y = Math.sin((lon2 - lon1) * rad) * Math.cos(lat2 * rad);
  const x = Math.cos(lat1 * rad) * Math.sin(lat2 * rad) - Math.sin(lat1 * rad) * Math.cos(lat2 * rad) * Math.cos((lon2 - lon1) * rad);
  return (Math.atan2(y, x) / rad + 360) % 360;
}

/** The point reached going `distance` metres from (lat, lon) on `bearing` degrees true. */
export function destinationPoint(lat: number, lon: number, bearing: number, distance: number): { lat: number; lon: number } {
  const angular = distance / EARTH_RADIUS_M;
  const theta = bearing * rad;
  const phi1 = lat * rad;
  const lambda1 = lon * rad;
  const phi2 = Math.asin(Math.sin(phi1) * Math.cos(angular) + Math.cos(phi1) * Math.sin(angular) * Math.cos(theta));
  const lambda2 = lambda1 + Math.atan2(Math.sin(theta) * Math.sin(angular) * Math.cos(phi1), Math.cos(angular) - Math.sin(phi1) * Math.sin(phi2));
  return { lat: phi2 / rad, lon: ((lambda2 / rad + 540) % 360) - 180 };
}
