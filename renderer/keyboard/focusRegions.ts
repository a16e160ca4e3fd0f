// The places the focus shortcuts (M, S, A, N) jump to. Each region registers
// the element that should take the focus; a region may pick a better
// element inside itself (the selected sector, say) when asked.
export type FocusRegion = 'map' | 'sectors' | 'alerts' | 'note';

type Target = HTMLElement | (() => HTMLElement | null);
const regions = new Map<FocusRegion, Target>();

/** Registers (or, with null, forgets) a region's focus target. */
export function registerFocusRegion(region: FocusRegion, target: Target | null): void {
  if (target) regions.set(region, target);
  else regions.delete(region);
}

/** Moves the focus to a region; false if it is not on screen. */
export function focusRegion(region: FocusRegion): boolean {
  const target = regions.get(region);
  const element = typeof target === 'function' ? target() : target;
  if (!element || !element.isConnected) return false;
  element.focus();
  element.scrollIntoView?.({ block: 'nearest' });
  return document.activeElement === element;
}
