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
