// MIL-STD-2525 frames for CoT atoms, as small SVGs: the affiliation decides
// the colour and the frame (friend rectangle or circle, hostile diamond,
// neutral square, unknown quatrefoil), the dimension its shape (ground full,
// sea surface full with a round friend, air open at the bottom, subsurface
// open at the top). Colours are 2525C's light fills. Only fixed strings and
// numbers go into the SVG: labels are shown by React, never as markup.

export type Affiliation = 'friend' | 'hostile' | 'neutral' | 'unknown';
export type Dimension = 'ground' | 'sea' | 'air' | 'subsurface' | 'other';

export const AFFILIATION_FILL: Record<Affiliation, string> = {
  friend: '#80e0ff',
  hostile: '#ff8080',
  neutral: '#aaffaa',
  unknown: '#ffff80',
};

/**
 * CoT's second field → the frame it is drawn with: f and a (assumed friend)
 * are friends; h, s (suspect), j (joker), k (faker) take the hostile frame;
 * n neutral; u, p (pending) and o (none) the unknown frame.
 */
export function affiliationOf(cotType: string): Affiliation {
  switch (cotType.split('-')[1]) {
    case 'f':
    case 'a':
      return 'friend';
    case 'h':
    case 's':
    case 'j':
    case 'k':
      return 'hostile';
    case 'n':
      return 'neutral';
    default:
      return 'unknown';
  }
}

export function dimensionOf(cotType: string): Dimension {
  switch (cotType.split('-')[2]) {
    case 'G':
      return 'ground';
    case 'S':
      return 'sea';
    case 'A':
      return 'air';
    case 'U':
      return 'subsurface';
    default:
      return 'other';
  }
}

/** The frame's SVG path in a 24×24 box. */
function framePath(affiliation: Affiliation, dimension: Dimension): string {
  const air = dimension === 'air';
  const under = dimension === 'subsurface';
  switch (affiliation) {
    case 'friend':
      if (air) return 'M3 20 A9 9 0 0 1 21 20 Z';
      if (under) return 'M3 4 A9 9 0 0 0 21 4 Z';
      if (dimension === 'sea') return 'M12 3 A9 9 0 1 1 11.99 3 Z';
      return 'M2 6 H22 V18 H2 Z';
    case 'hostile':
      if (air) return 'M3 20 L12 4 L21 20 Z';
      if (under) return 'M3 4 L12 20 L21 4 Z';
      return 'M12 1 L23 12 L12 23 L1 12 Z';
    case 'neutral':
      if (air) return 'M4 20 V5 H20 V20 Z';
      if (under) return 'M4 4 V19 H20 V4 Z';
      return 'M4 4 H20 V20 H4 Z';
    case 'unknown':
      if (air) return 'M3 20 A4.5 4.5 0 0 1 7.5 11 A4.5 4.5 0 0 1 16.5 11 A4.5 4.5 0 0 1 21 20 Z';
      if (under) return 'M3 4 A4.5 4.5 0 0 0 7.5 13 A4.5 4.5 0 0 0 16.5 13 A4.5 4.5 0 0 0 21 4 Z';
      return 'M12 2 A5 5 0 0 1 17 7 A5 5 0 0 1 17 17 A5 5 0 0 1 7 17 A5 5 0 0 1 7 7 A5 5 0 0 1 12 2 Z';
  }
}

/** The symbol of a CoT atom as SVG markup (fixed strings only). */
export function frameSvg(cotType: string, stale: boolean): string {
  const affiliation = affiliationOf(cotType);
  const dimension = dimensionOf(cotType);
  const opacity = stale ? 0.4 : 1;
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="24" height="24" viewBox="0 0 24 24" opacity="${opacity}" data-affiliation="${affiliation}" data-dimension="${dimension}">` +
    `<path d="${framePath(affiliation, dimension)}" fill="${AFFILIATION_FILL[affiliation]}" stroke="#000" stroke-width="1.5"/></svg>`
  );
}

/** ATAK's signed 32-bit ARGB as a CSS colour (alpha dropped); white when absent. */
export function argbToCss(argb: number | null): string {
  if (argb === null) return '#ffffff';
  const rgb = (argb >>> 0) & 0xffffff;
  return `#${rgb.toString(16).padStart(6, '0')}`;
}

/** A spot marker: a round dot of the device's chosen colour. */
export function markerSvg(argb: number | null, stale: boolean): string {
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="16" height="16" viewBox="0 0 16 16" opacity="${stale ? 0.4 : 1}">` +
    `<circle cx="8" cy="8" r="6" fill="${argbToCss(argb)}" stroke="#000" stroke-width="1.5"/></svg>`
  );
}
