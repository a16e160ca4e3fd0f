// The replay sliders (a post's replay bar, the centre's replay of a post's
// shift) move in whole seconds from the shift's start. Their top is the first
// whole step at or past the shift's end: with `max` at the end itself the
// browser snaps End, and a drag to the right, down to the last whole second,
// and the events of the shift's last part-second could never be shown (a
// shift shorter than a second could not be moved at all). The core clamps a
// moment past the end to the end.
export const SLIDER_STEP_MS = 1000;

export function sliderMax(from: number, to: number): number {
  return from + Math.max(0, Math.ceil((to - from) / SLIDER_STEP_MS)) * SLIDER_STEP_MS;
}
