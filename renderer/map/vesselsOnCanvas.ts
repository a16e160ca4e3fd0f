// Whether the map's AIS ships are drawn on the tracks' canvas rather than as
// DOM markers. A marker is a positioned element with an SVG and a name: a
// few hundred are cheap, but with the whole coast in view at regional scale
// (issue 17: 4,600 ships heard beside 10,000 tracks) laying them out every
// delta cost the page most of its frames. So past MAX_VESSEL_MARKERS ships in
// view, VesselsLayer keeps a marker for the picked ship only and the canvas
// layer draws the others as plain arrows (no names: too many to read anyway),
// picked like tracks. Zooming in brings the markers and names back.

/** Ships in view beyond which they go on the canvas. */
export const MAX_VESSEL_MARKERS = 300;

let onCanvas = false;
const listeners = new Set<() => void>();

export const vesselsOnCanvas = (): boolean => onCanvas;

/** Set by VesselsLayer; the canvas redraws. */
export function setVesselsOnCanvas(value: boolean): void {
  if (value === onCanvas) return;
  onCanvas = value;
  notifyVesselsOnCanvas();
}

/** The ships changed while on the canvas: it redraws. */
export function notifyVesselsOnCanvas(): void {
  for (const listener of listeners) listener();
}

export function subscribeVesselsOnCanvas(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}
