// Coordinate formatting for the screen: decimal degrees and degrees-minutes,
// the two forms operators read out over the radio.

export function formatDecimal(lat: number, lon: number, digits = 5): string {
  return `${lat.toFixed(digits)}, ${lon.toFixed(digits)}`;
}

/** 50°57.123′N 1°51.456′E */
export function formatDegreesMinutes(lat: number, lon: number): string {
  return `${dm(lat, 'N', 'S', 2)} ${dm(lon, 'E', 'W', 3)}`;
}

function dm(value: number, positive: string, negative: string, degreeWidth: number): string {
  const hemisphere = value >= 0 ? positive : negative;
  const abs = Math.abs(value);
  let degrees = Math.floor(abs);
  let minutes = Math.round((abs - degrees) * 60 * 1000) / 1000;
  if (minutes >= 60) {
    degrees += 1;
    minutes -= 60;
  }
  const minuteText = minutes.toFixed(3).padStart(6, '0');
  return `${String(degrees).padStart(degreeWidth, '0')}°${minuteText}′${hemisphere}`;
}

// ---------------------------------------------------------------------------
// Map tools (issue 6): degrees-minutes-seconds, MGRS, and reading back any
// of the forms an operator types. MGRS follows NGA's standard (WGS 84, UTM
// zones with the Norway and Svalbard exceptions, the "AA" 100 km lettering);
// the UTM projection uses Krüger's series to sixth order in n (Karney 2011),
// good to well under a millimetre within a zone. Polar areas (UPS, beyond
// 84°N and 80°S) have no MGRS reference here.

/** 50°57′12.3″N 001°51′27.6″E */
export function formatDms(lat: number, lon: number): string {
  return `${dms(lat, 'N', 'S', 2)} ${dms(lon, 'E', 'W', 3)}`;
}

function dms(value: number, positive: string, negative: string, degreeWidth: number): string {
  const hemisphere = value >= 0 ? positive : negative;
  // Work in tenths of a second so rounding carries into minutes and degrees.
  const tenths = Math.round(Math.abs(value) * 36000);
  const degrees = Math.floor(tenths / 36000);
  const minutes = Math.floor((tenths % 36000) / 600);
  const seconds = (tenths % 600) / 10;
  return `${String(degrees).padStart(degreeWidth, '0')}°${String(minutes).padStart(2, '0')}′${seconds.toFixed(1).padStart(4, '0')}″${hemisphere}`;
}

const WGS84_A = 6_378_137;
const WGS84_F = 1 / 298.257223563;
const UTM_K0 = 0.9996;
const DEG = Math.PI / 180;
const N3 = WGS84_F / (2 - WGS84_F);
const E = Math.sqrt(WGS84_F * (2 - WGS84_F));
const RECTIFYING_A = (WGS84_A / (1 + N3)) * (1 + N3 ** 2 / 4 + N3 ** 4 / 64 + N3 ** 6 / 256);
const n = N3;
const ALPHA = [
  n / 2 - (2 / 3) * n ** 2 + (5 / 16) * n ** 3 + (41 / 180) * n ** 4 - (127 / 288) * n ** 5 + (7891 / 37800) * n ** 6,
  (13 / 48) * n ** 2 - (3 / 5) * n ** 3 + (557 / 1440) * n ** 4 + (281 / 630) * n ** 5 - (1983433 / 1935360) * n ** 6,
  (61 / 240) * n ** 3 - (103 / 140) * n ** 4 + (15061 / 26880) * n ** 5 + (167603 / 181440) * n ** 6,
  (49561 / 161280) * n ** 4 - (179 / 168) * n ** 5 + (6601661 / 7257600) * n ** 6,
  (34729 / 80640) * n ** 5 - (3418889 / 1995840) * n ** 6,
  (212378941 / 319334400) * n ** 6,
];
const BETA = [
  n / 2 - (2 / 3) * n ** 2 + (37 / 96) * n ** 3 - (1 / 360) * n ** 4 - (81 / 512) * n ** 5 + (96199 / 604800) * n ** 6,
  (1 / 48) * n ** 2 + (1 / 15) * n ** 3 - (437 / 1440) * n ** 4 + (46 / 105) * n ** 5 - (1118711 / 3870720) * n ** 6,
  (17 / 480) * n ** 3 - (37 / 840) * n ** 4 - (209 / 4480) * n ** 5 + (5569 / 90720) * n ** 6,
  (4397 / 161280) * n ** 4 - (11 / 504) * n ** 5 - (830251 / 7257600) * n ** 6,
  (4583 / 161280) * n ** 5 - (108847 / 3991680) * n ** 6,
  (20648693 / 638668800) * n ** 6,
];

export interface Utm {
  zone: number;
  hemisphere: 'N' | 'S';
  easting: number;
  northing: number;
}

const BANDS = 'CDEFGHJKLMNPQRSTUVWX';
const COLUMN_LETTERS = ['ABCDEFGH', 'JKLMNPQR', 'STUVWXYZ'];
const ROW_LETTERS = 'ABCDEFGHJKLMNPQRSTUV';

/** The UTM zone of a point, with the Norway (32V) and Svalbard (31X–37X) exceptions. */
export function utmZone(lat: number, lon: number): number {
  const wrapped = ((((lon + 180) % 360) + 360) % 360) - 180;
  let zone = Math.min(60, Math.floor((wrapped + 180) / 6) + 1);
  if (lat >= 56 && lat < 64 && wrapped >= 3 && wrapped < 12) zone = 32;
  if (lat >= 72 && lat <= 84 && wrapped >= 0) {
    if (wrapped < 9) zone = 31;
    else if (wrapped < 21) zone = 33;
    else if (wrapped < 33) zone = 35;
    else if (wrapped < 42) zone = 37;
  }
  return zone;
}

/** WGS 84 latitude/longitude to UTM in a given zone (default: the point's own). */
export function toUtm(lat: number, lon: number, zone = utmZone(lat, lon)): Utm {
  const lambda = (((lon - (zone * 6 - 183) + 540) % 360) - 180) * DEG;
  const phi = lat * DEG;
  const tau = Math.tan(phi);
  const sigma = Math.sinh(E * Math.atanh((E * tau) / Math.sqrt(1 + tau * tau)));
  const tauPrime = tau * Math.sqrt(1 + sigma * sigma) - sigma * Math.sqrt(1 + tau * tau);
  const xiPrime = Math.atan2(tauPrime, Math.cos(lambda));
  const etaPrime = Math.asinh(Math.sin(lambda) / Math.sqrt(tauPrime * tauPrime + Math.cos(lambda) ** 2));
  let xi = xiPrime;
  let eta = etaPrime;
  ALPHA.forEach((alpha, i) => {
    const j = 2 * (i + 1);
    xi += alpha * Math.sin(j * xiPrime) * Math.cosh(j * etaPrime);
    eta += alpha * Math.cos(j * xiPrime) * Math.sinh(j * etaPrime);
  });
  const easting = UTM_K0 * RECTIFYING_A * eta + 500_000;
  const northing = UTM_K0 * RECTIFYING_A * xi + (lat < 0 ? 10_000_000 : 0);
  return { zone, hemisphere: lat < 0 ? 'S' : 'N', easting, northing };
}

/** UTM back to WGS 84 latitude/longitude. */
export function fromUtm({ zone, hemisphere, easting, northing }: Utm): { lat: number; lon: number } {
  const xi = (northing - (hemisphere === 'S' ? 10_000_000 : 0)) / (UTM_K0 * RECTIFYING_A);
  const eta = (easting - 500_000) / (UTM_K0 * RECTIFYING_A);
  let xiPrime = xi;
  let etaPrime = eta;
  BETA.forEach((beta, i) => {
    const j = 2 * (i + 1);
    xiPrime -= beta * Math.sin(j * xi) * Math.cosh(j * eta);
    etaPrime -= beta * Math.cos(j * xi) * Math.sinh(j * eta);
  });
  const tauPrime = Math.sin(xiPrime) / Math.sqrt(Math.sinh(etaPrime) ** 2 + Math.cos(xiPrime) ** 2);
  let tau = tauPrime;
  for (let i = 0; i < 10; i++) {
    const sigma = Math.sinh(E * Math.atanh((E * tau) / Math.sqrt(1 + tau * tau)));
    const guess = tau * Math.sqrt(1 + sigma * sigma) - sigma * Math.sqrt(1 + tau * tau);
    const step = ((tauPrime - guess) / Math.sqrt(1 + guess * guess)) * ((1 + (1 - E * E) * tau * tau) / ((1 - E * E) * Math.sqrt(1 + tau * tau)));
    tau += step;
    if (Math.abs(step) < 1e-12) break;
  }
  const lat = Math.atan(tau) / DEG;
  const lon = Math.atan2(Math.sinh(etaPrime), Math.cos(xiPrime)) / DEG + (zone * 6 - 183);
  return { lat, lon: ((lon + 540) % 360) - 180 };
}

/**
 * The MGRS reference of a point: "31U DS 12345 67890" with `digits` per axis
 * (5: 1 m, 4: 10 m … 1: 10 km), truncated as the standard says. Null in the
 * polar areas or for a point that is not a number.
 */
export function formatMgrs(lat: number, lon: number, digits = 5): string | null {
  if (!Number.isFinite(lat) || !Number.isFinite(lon) || lat < -80 || lat > 84) return null;
  const utm = toUtm(lat, lon);
  const band = BANDS[Math.min(19, Math.floor((lat + 80) / 8))]!;
  const column = COLUMN_LETTERS[(utm.zone - 1) % 3]![Math.floor(utm.easting / 100_000) - 1];
  const row = ROW_LETTERS[(Math.floor(utm.northing / 100_000) + (utm.zone % 2 === 0 ? 5 : 0)) % 20]!;
  if (!column) return null;
  // A hair of tolerance so a value like 48250.9999999 reads as the 48251 it is.
  const unit = 10 ** (5 - digits);
  const part = (metres: number) => String(Math.floor((Math.floor(metres + 1e-6) % 100_000) / unit)).padStart(digits, '0');
  return `${utm.zone}${band} ${column}${row} ${part(utm.easting)} ${part(utm.northing)}`;
}

/** Reads an MGRS reference (spaces optional, 0–5 digits per axis); the centre of the square it names. */
export function parseMgrs(text: string): { lat: number; lon: number } | null {
  const match = /^(\d{1,2})\s*([C-HJ-NP-X])\s*([A-HJ-NP-Z])\s*([A-HJ-NP-V])\s*(\d*)\s*(\d*)$/i.exec(text.trim());
  if (!match) return null;
  const zone = Number(match[1]);
  const band = match[2]!.toUpperCase();
  const digits = match[5]! + match[6]!;
  if (zone < 1 || zone > 60 || digits.length % 2 !== 0 || digits.length > 10) return null;
  const half = digits.length / 2;
  const unit = 10 ** (5 - half);
  const eastIn = half ? Number(digits.slice(0, half)) * unit : 0;
  const northIn = half ? Number(digits.slice(half)) * unit : 0;
  const columnIndex = COLUMN_LETTERS[(zone - 1) % 3]!.indexOf(match[3]!.toUpperCase());
  const rowIndex = ROW_LETTERS.indexOf(match[4]!.toUpperCase());
  if (columnIndex < 0 || rowIndex < 0) return null;
  const easting = (columnIndex + 1) * 100_000 + eastIn + unit / 2;
  const rowNorthing = ((((rowIndex - (zone % 2 === 0 ? 5 : 0)) % 20) + 20) % 20) * 100_000 + northIn + unit / 2;
  // Rows repeat every 2,000 km: take the repeat that falls in the latitude band.
  const bandIndex = BANDS.indexOf(band);
  const bandSouth = -80 + bandIndex * 8;
  const hemisphere: 'N' | 'S' = bandSouth < 0 ? 'S' : 'N';
  const centralMeridian = zone * 6 - 183;
  // The band's lowest northing in this zone: at the central meridian in the north, at the zone's edge in the south.
  const lowest = Math.min(...[0, 3, 6].map((offset) => toUtm(bandSouth, centralMeridian + offset, zone).northing)) - 1000;
  let northing = rowNorthing;
  while (northing < lowest) northing += 2_000_000;
  const point = fromUtm({ zone, hemisphere, easting, northing });
  // The latitude must land in the band named (a little slack for squares across its edge).
  if (point.lat < bandSouth - 0.5 || point.lat > bandSouth + (band === 'X' ? 12 : 8) + 0.5) return null;
  return point;
}

/**
 * A coordinate as an operator types it: decimal degrees ("50.95, 1.85",
 * "50.95N 1.85E", or with decimal commas "50,95 1,85"), degrees and minutes ("50°57.1′N 1°51.5′E"), degrees,
 * minutes and seconds ("50 57 12.3 N 1 51 27.6 E") or MGRS ("31U DS 12345 67890").
 * Null when it reads as none of them or lies outside the globe.
 */
export function parseCoordinate(text: string): { lat: number; lon: number } | null {
  const trimmed = text.trim();
  if (/^\d{1,2}\s*[A-Z]\s*[A-Z]{2}/i.test(trimmed)) return parseMgrs(trimmed);
  // Unify the marks people type for degrees, minutes and seconds; with no
  // decimal point anywhere, a comma between digits is a decimal comma ("50,958 1,853").
  const cleaned = (trimmed.includes('.') ? trimmed : trimmed.replace(/(\d),(\d)/g, '$1.$2'))
    .toUpperCase()
    .replace(/[°º]/g, ' ')
    .replace(/[′’'`]/g, ' ')
    .replace(/[″”"]|''/g, ' ')
    .replace(/([NSEW])/g, ' $1 ')
    .replace(/,(?=\s*[-+]?\d)/g, ' , ')
    .trim();
  const tokens = cleaned.split(/[\s;]+/).filter((token) => token !== '');
  const halves: string[][] = [[]];
  for (const token of tokens) {
    const current = halves[halves.length - 1]!;
    if (token === ',') {
      if (halves.length === 1) halves.push([]);
      continue;
    }
    current.push(token);
    if (/^[NSEW]$/.test(token) && halves.length === 1) halves.push([]);
  }
  let [first, second] = halves.map((half) => half.filter(Boolean));
  // "50 57 12 1 51 27" or "50.95 1.85": split the numbers evenly.
  if (halves.length === 1 || !second || second.length === 0) {
    const all = (first ?? []).filter((token) => !/^[NSEW]$/.test(token));
    if (all.length % 2 !== 0 || all.length === 0) return null;
    first = all.slice(0, all.length / 2);
    second = all.slice(all.length / 2);
  }
  const a = readAngle(first ?? []);
  const b = readAngle(second ?? []);
  if (!a || !b || (a.axis !== null && a.axis === b.axis)) return null;
  let lat: number;
  let lon: number;
  if (a.axis === 'lon' || b.axis === 'lat') [lat, lon] = [b.value, a.value];
  else [lat, lon] = [a.value, b.value];
  if (Math.abs(lat) > 90 || Math.abs(lon) > 180) return null;
  return { lat, lon };
}

function readAngle(tokens: string[]): { value: number; axis: 'lat' | 'lon' | null } | null {
  let sign = 1;
  let axis: 'lat' | 'lon' | null = null;
  const numbers: number[] = [];
  for (const token of tokens) {
    if (/^[NSEW]$/.test(token)) {
      if (axis) return null;
      axis = token === 'N' || token === 'S' ? 'lat' : 'lon';
      if (token === 'S' || token === 'W') sign = -1;
      continue;
    }
    if (!/^[-+]?\d+(\.\d+)?$/.test(token)) return null;
    numbers.push(Number(token));
  }
  if (numbers.length === 0 || numbers.length > 3) return null;
  const [degrees, minutes = 0, seconds = 0] = numbers as [number, number?, number?];
  if (numbers.length > 1 && (!Number.isInteger(degrees) || minutes < 0 || minutes >= 60 || seconds < 0 || seconds >= 60)) return null;
  if (numbers.length > 2 && !Number.isInteger(minutes)) return null;
  if (degrees < 0) sign = -sign;
  return { value: sign * (Math.abs(degrees) + minutes / 60 + seconds / 3600), axis };
}
