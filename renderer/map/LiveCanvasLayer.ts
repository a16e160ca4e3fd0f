// Tracks and units drawn imperatively on one canvas, redrawn at most once per
// animation frame when the shown picture's positions (live, or replayed in
// replay mode), the pick or the view changes (and once a second, for the age
// of stale fixes). A Leaflet layer in the usual shape:
// options, onAdd/onRemove pairing every listener.
//
// 2,000 tracks are drawn as a handful of paths — one per colour for the
// symbols, one per colour for the trails — rather than one fill per track:
// the canvas calls, not the maths, are what cost under that load.
import L from 'leaflet';
import type { UnitView } from '../../shared/contract';
import type { Positions } from '../state/positions';
import { pictureNow, shownPicture, shownPositions, subscribeShownPositions, useConsole, type MapPick } from '../state/store';

const TRACK_COLOUR = { 'small-boat': '#ff6b4a', vessel: '#7f9bb8', unknown: '#c7d3e0' } as const;
const STALE_COLOUR = '#6b7785';
const PICK_COLOUR = '#ffffff';
const UNIT_COLOUR: Record<UnitView['status'], string> = {
  available: '#5cc48a',
  assigned: '#e0b84a',
  'en-route': '#e0b84a',
  'on-scene': '#5fb3c4',
  cleared: '#5cc48a',
  unavailable: STALE_COLOUR,
};
const UNIT_LETTER: Record<UnitView['type'], string> = { foot: 'P', '4x4': 'V', quad: 'Q', boat: 'B', 'drone-team': 'D', 'dog-team': 'C' };
/** A fix older than this is drawn greyed, with its age beside it. */
export const STALE_MS = 60_000;
/** How far from a symbol a click still picks it, pixels. */
const PICK_RADIUS = 12;
/** Beyond this many stale symbols in view, ages are not written (they would be unreadable anyway). */
const MAX_AGE_LABELS = 150;
const MARGIN = 12;

/** A fix's age for the map, in SI symbols (the same in English and French): 45 s, 12 min, 3 h. */
export function formatAge(ms: number): string {
  const seconds = Math.max(0, Math.round(ms / 1000));
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min`;
  return `${Math.floor(minutes / 60)} h`;
}

export function isStale(time: number | null, staleAt: number | null, now: number): boolean {
  return time === null || (staleAt !== null && staleAt < now) || now - time > STALE_MS;
}

const RADIANS = Math.PI / 180;
/** Web Mercator on the unit sphere: screen positions are an affine map of it at any one view. */
const mercatorY = (lat: number) => Math.log(Math.tan(Math.PI / 4 + (lat * RADIANS) / 2));

/**
 * latitude/longitude → container pixels for the current view, without
 * Leaflet's per-point objects (16,000 points a frame with the trails).
 */
function viewProjection(map: L.Map): (lat: number, lon: number) => [number, number] {
  const a = map.latLngToContainerPoint([50, 1]);
  const b = map.latLngToContainerPoint([51, 2]);
  const [ya, yb] = [mercatorY(50), mercatorY(51)];
  const sx = (b.x - a.x) / RADIANS;
  const sy = (b.y - a.y) / (yb - ya);
  return (lat, lon) => [a.x + (lon - 1) * RADIANS * sx, a.y + (mercatorY(lat) - ya) * sy];
}

/** Appends a trail (its previous fixes, then the symbol's position) to a batch. */
function addTrail(
  positions: Positions,
  project: (lat: number, lon: number) => [number, number],
  target: Batch,
  key: string,
  headX: number,
  headY: number,
): void {
  const trail = positions.trail(key);
  if (!trail || trail.length === 0) return;
  target.trails.push(trail.length / 2 + 1);
  for (let i = 0; i < trail.length; i += 2) target.trails.push(...project(trail[i]!, trail[i + 1]!));
  target.trails.push(headX, headY);
}

/** Symbols of one look, drawn as one path. */
interface Batch {
  colour: string;
  alpha: number;
  /** x, y, course (radians), scale per symbol. */
  symbols: number[];
  /** Trails: point counts then x, y pairs, per track. */
  trails: number[];
}

export class LiveCanvasLayer extends L.Layer {
  private canvas: HTMLCanvasElement | undefined;
  private frame = 0;
  private ageTimer: ReturnType<typeof setInterval> | undefined;
  private unsubscribers: (() => void)[] = [];
  private drawnCounts = { tracks: -1, units: -1, inView: -1 };

  override onAdd(map: L.Map): this {
    const pane = map.getPane('live') ?? map.createPane('live');
    pane.style.zIndex = '450';
    pane.style.pointerEvents = 'none';
    this.canvas = L.DomUtil.create('canvas', 'live-canvas', pane);
    this.canvas.dataset.testid = 'live-canvas';
    map.on('moveend zoomend resize', this.reset, this);
    map.on('move', this.schedule, this);
    this.unsubscribers = [
      subscribeShownPositions(this.schedule),
      useConsole.subscribe((state, previous) => {
        if (state.picked !== previous.picked) this.schedule();
      }),
    ];
    // Ages grow and fixes go stale with no update arriving.
    this.ageTimer = setInterval(this.schedule, 1000);
    this.reset();
    return this;
  }

  override onRemove(map: L.Map): this {
    map.off('moveend zoomend resize', this.reset, this);
    map.off('move', this.schedule, this);
    for (const unsubscribe of this.unsubscribers) unsubscribe();
    this.unsubscribers = [];
    clearInterval(this.ageTimer);
    cancelAnimationFrame(this.frame);
    this.frame = 0;
    this.canvas?.remove();
    this.canvas = undefined;
    return this;
  }

  /** The unit or track drawn nearest to a point of the map's container, within a few pixels. Units win ties: they are what the operator sends. */
  pickAt(point: L.Point): MapPick | null {
    const map = this._map;
    if (!map) return null;
    let best: MapPick | null = null;
    let bestDistance = PICK_RADIUS;
    const positions = shownPositions();
    for (const unit of positions.units.values()) {
      if (unit.lat === null || unit.lon === null) continue;
      const distance = map.latLngToContainerPoint([unit.lat, unit.lon]).distanceTo(point);
      if (distance <= bestDistance) [best, bestDistance] = [{ kind: 'unit', id: unit.id }, distance];
    }
    if (best) return best;
    for (const track of positions.tracks.values()) {
      const distance = map.latLngToContainerPoint([track.lat, track.lon]).distanceTo(point);
      if (distance < bestDistance) [best, bestDistance] = [{ kind: 'track', id: track.id }, distance];
    }
    return best;
  }

  /** Size and place the canvas over the visible map, then draw. */
  private reset = (): void => {
    const map = this._map;
    if (!map || !this.canvas) return;
    const size = map.getSize();
    const ratio = window.devicePixelRatio || 1;
    this.canvas.width = size.x * ratio;
    this.canvas.height = size.y * ratio;
    this.canvas.style.width = `${size.x}px`;
    this.canvas.style.height = `${size.y}px`;
    this.schedule();
  };

  private schedule = (): void => {
    if (this.frame || !this.canvas) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.draw();
    });
  };

  private draw(): void {
    const map = this._map;
    const canvas = this.canvas;
    if (!map || !canvas) return;
    // The pane moves with panning; keep the canvas pinned to the container.
    L.DomUtil.setPosition(canvas, map.containerPointToLayerPoint([0, 0]));
    const context = canvas.getContext('2d')!;
    const ratio = window.devicePixelRatio || 1;
    context.setTransform(ratio, 0, 0, ratio, 0, 0);
    context.clearRect(0, 0, canvas.width, canvas.height);
    const now = pictureNow();
    const positions = shownPositions();
    const size = map.getSize();
    const project = viewProjection(map);
    const visible = (x: number, y: number) => x >= -MARGIN && y >= -MARGIN && x <= size.x + MARGIN && y <= size.y + MARGIN;

    const batches = new Map<string, Batch>();
    const batch = (colour: string, alpha: number): Batch => {
      const key = `${colour}/${alpha}`;
      let found = batches.get(key);
      if (!found) batches.set(key, (found = { colour, alpha, symbols: [], trails: [] }));
      return found;
    };
    const ageLabels: number[] = [];
    const ageTexts: string[] = [];

    let tracksInView = 0;
    for (const track of positions.tracks.values()) {
      const [x, y] = project(track.lat, track.lon);
      if (!visible(x, y)) continue;
      tracksInView += 1;
      const stale = isStale(track.time, track.stale, now);
      const target = stale ? batch(STALE_COLOUR, 0.45) : batch(TRACK_COLOUR[track.cls], 1);
      target.symbols.push(x, y, (track.course ?? 0) * RADIANS, track.cls === 'small-boat' ? 6 : 4);
      addTrail(positions, project, target, `t:${track.id}`, x, y);
      if (stale && ageTexts.length < MAX_AGE_LABELS) {
        ageLabels.push(x, y);
        ageTexts.push(formatAge(now - track.time));
      }
    }

    for (const { colour, alpha, trails } of batches.values()) this.strokeTrails(context, colour, alpha * 0.45, trails);
    for (const { colour, alpha, symbols } of batches.values()) this.fillTriangles(context, colour, alpha, symbols);

    let unitsWithFix = 0;
    for (const unit of positions.units.values()) {
      if (unit.lat === null || unit.lon === null) continue;
      unitsWithFix += 1;
      const [x, y] = project(unit.lat, unit.lon);
      if (!visible(x, y)) continue;
      const stale = isStale(unit.fixTime, null, now);
      const trail: Batch = { colour: stale ? STALE_COLOUR : UNIT_COLOUR[unit.status], alpha: stale ? 0.45 : 1, symbols: [], trails: [] };
      addTrail(positions, project, trail, `u:${unit.id}`, x, y);
      this.strokeTrails(context, trail.colour, trail.alpha * 0.6, trail.trails);
      this.drawUnit(context, unit, x, y, stale);
      if (stale && unit.fixTime !== null && ageTexts.length < MAX_AGE_LABELS) {
        ageLabels.push(x + 4, y);
        ageTexts.push(formatAge(now - unit.fixTime));
      }
    }

    this.drawAges(context, ageLabels, ageTexts);
    this.drawPicked(context, map);

    // Read by tests and the benchmark; written only when they change.
    if (this.drawnCounts.tracks !== positions.tracks.size) canvas.dataset.tracks = String((this.drawnCounts.tracks = positions.tracks.size));
    if (this.drawnCounts.inView !== tracksInView) canvas.dataset.tracksInView = String((this.drawnCounts.inView = tracksInView));
    if (this.drawnCounts.units !== unitsWithFix) canvas.dataset.units = String((this.drawnCounts.units = unitsWithFix));
  }

  private strokeTrails(context: CanvasRenderingContext2D, colour: string, alpha: number, trails: number[]): void {
    if (trails.length === 0) return;
    context.globalAlpha = alpha;
    context.strokeStyle = colour;
    context.lineWidth = 1;
    context.beginPath();
    for (let i = 0; i < trails.length;) {
      const count = trails[i++]!;
      context.moveTo(trails[i]!, trails[i + 1]!);
      for (let k = 1; k < count; k++) context.lineTo(trails[i + 2 * k]!, trails[i + 2 * k + 1]!);
      i += 2 * count;
    }
    context.stroke();
    context.globalAlpha = 1;
  }

  /** One path of heading-up triangles (nose along the course). */
  private fillTriangles(context: CanvasRenderingContext2D, colour: string, alpha: number, symbols: number[]): void {
    if (symbols.length === 0) return;
    context.globalAlpha = alpha;
    context.fillStyle = colour;
    context.beginPath();
    for (let i = 0; i < symbols.length; i += 4) {
      const [x, y, course, scale] = [symbols[i]!, symbols[i + 1]!, symbols[i + 2]!, symbols[i + 3]!];
      const sin = Math.sin(course);
      const cos = Math.cos(course);
      // The nose (0, -1.4 s) and the two back corners (±s, s), turned by the
      // course clockwise from north (screen y grows downwards).
      const nose = scale * 1.4;
      context.moveTo(x + nose * sin, y - nose * cos);
      context.lineTo(x + scale * cos - scale * sin, y + scale * sin + scale * cos);
      context.lineTo(x - scale * cos - scale * sin, y - scale * sin + scale * cos);
      // No closePath(): fill() closes every subpath itself, and in Chromium's
      // canvas closePath() costs far more than the three points (it was half
      // the page's time at 10,000 tracks, profiled).
    }
    context.fill();
    context.globalAlpha = 1;
  }

  private drawUnit(context: CanvasRenderingContext2D, unit: UnitView, x: number, y: number, stale: boolean): void {
    context.globalAlpha = stale ? 0.45 : 1;
    context.fillStyle = '#0b1220';
    context.strokeStyle = stale ? STALE_COLOUR : UNIT_COLOUR[unit.status];
    context.lineWidth = 2;
    context.fillRect(x - 7, y - 7, 14, 14);
    context.strokeRect(x - 7, y - 7, 14, 14);
    context.fillStyle = context.strokeStyle;
    context.font = 'bold 10px DejaVu Sans, sans-serif';
    context.textAlign = 'center';
    context.textBaseline = 'middle';
    context.fillText(UNIT_LETTER[unit.type], x, y + 0.5);
    context.globalAlpha = 1;
  }

  private drawAges(context: CanvasRenderingContext2D, at: number[], texts: string[]): void {
    if (texts.length === 0) return;
    context.font = '10px DejaVu Sans, sans-serif';
    context.textAlign = 'left';
    context.textBaseline = 'middle';
    context.fillStyle = '#aab6c4';
    for (let i = 0; i < texts.length; i++) context.fillText(texts[i]!, at[2 * i]! + 9, at[2 * i + 1]!);
  }

  /** A ring and a name around the picked track or unit. */
  private drawPicked(context: CanvasRenderingContext2D, map: L.Map): void {
    const picked = useConsole.getState().picked;
    if (!picked) return;
    const position = pickedPosition(picked);
    if (!position) return;
    const p = map.latLngToContainerPoint(position.latLng);
    context.strokeStyle = PICK_COLOUR;
    context.lineWidth = 2;
    context.beginPath();
    context.arc(p.x, p.y, 13, 0, Math.PI * 2);
    context.stroke();
    context.font = 'bold 11px DejaVu Sans, sans-serif';
    context.textAlign = 'left';
    context.textBaseline = 'bottom';
    context.fillStyle = PICK_COLOUR;
    context.fillText(position.label, p.x + 15, p.y - 8);
  }
}

/** Where the picked track or unit is now in the picture shown, and its name; null once it is gone or has no fix. */
export function pickedPosition(picked: MapPick): { latLng: [number, number]; label: string } | null {
  if (picked.kind === 'vessel') {
    const vessel = shownPicture().vessels.byMmsi.get(Number(picked.id));
    return vessel && vessel.lat !== null && vessel.lon !== null ? { latLng: [vessel.lat, vessel.lon], label: vessel.name ?? picked.id } : null;
  }
  const positions = shownPositions();
  if (picked.kind === 'track') {
    const track = positions.tracks.get(picked.id);
    return track ? { latLng: [track.lat, track.lon], label: track.id } : null;
  }
  const unit = positions.units.get(picked.id);
  return unit && unit.lat !== null && unit.lon !== null ? { latLng: [unit.lat, unit.lon], label: unit.callsign } : null;
}
