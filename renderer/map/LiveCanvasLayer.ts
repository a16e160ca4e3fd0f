// Tracks and units drawn imperatively on one canvas, redrawn at most once per
// animation frame when the shown picture's positions (live, or replayed in
// replay mode), the pick or the view changes (and once a second, for the age
// of stale fixes). A Leaflet layer in the usual shape:
// options, onAdd/onRemove pairing every listener.
//
// 10,000 tracks (issue 17): the symbols (tracks, and AIS ships when there
// are many) are rasterised by the page into a second canvas's pixels and put
// there at once (spriteRaster.ts) — Chromium's raster of the same symbols as
// paths cost the main thread more than the rest of the frame; the trails,
// units and labels stay canvas paths on the top canvas, one path per colour.
// Only what is in view is drawn, trails are thinned to what shows at the
// zoom (canvasBatch.ts), the buffers are reused from frame to frame, and
// the symbols drawn are bucketed in a screen grid for picking (screenGrid.ts).
// docs/performance.md has the measurements behind each of these.
import L from 'leaflet';
import type { UnitView } from '../../shared/contract';
import { pictureNow, shownPicture, shownPositions, subscribeShownPositions, useConsole, type MapPick } from '../state/store';
import { NumberBuffer, appendTrail, projectX, projectY, viewProjectionFrom } from './canvasBatch';
import { ScreenGrid } from './screenGrid';
import { PixelLayer, SpriteSet, arrow, dot, rgb, triangle } from './spriteRaster';
import { VESSEL_COLOUR, vesselCategory } from '../state/vessels';
import { subscribeVesselsOnCanvas, vesselsOnCanvas } from './vesselsOnCanvas';

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

/** Symbols of one look (colour, size, opacity); the buffers are kept from frame to frame. */
interface Batch {
  colour: string;
  alpha: number;
  sprites: SpriteSet;
  /** x, y, course (radians) per symbol. */
  symbols: NumberBuffer;
  /** Trails: a point count then x, y pairs, per track. */
  trails: NumberBuffer;
}

/** Small boats are drawn larger than other tracks. */
const SMALL_BOAT_SCALE = 6;
const TRACK_SCALE = 4;

const newBatch = (colour: string, alpha: number, scale: number): Batch => ({
  colour,
  alpha,
  sprites: new SpriteSet(triangle(scale)),
  symbols: new NumberBuffer(),
  trails: new NumberBuffer(),
});

export class LiveCanvasLayer extends L.Layer {
  private canvas: HTMLCanvasElement | undefined;
  /** Under `canvas`: the symbols, as pixels the page rasterises itself. */
  private symbolCanvas: HTMLCanvasElement | undefined;
  private symbolPixels: { image: ImageData; layer: PixelLayer } | undefined;
  private frame = 0;
  private ageTimer: ReturnType<typeof setInterval> | undefined;
  private unsubscribers: (() => void)[] = [];
  private drawnCounts = { tracks: -1, units: -1, inView: -1 };
  /** One per look (class colour, or stale, and size), in drawing order. */
  private readonly batches = {
    'small-boat': newBatch(TRACK_COLOUR['small-boat'], 1, SMALL_BOAT_SCALE),
    vessel: newBatch(TRACK_COLOUR.vessel, 1, TRACK_SCALE),
    unknown: newBatch(TRACK_COLOUR.unknown, 1, TRACK_SCALE),
    staleSmallBoat: newBatch(STALE_COLOUR, 0.45, SMALL_BOAT_SCALE),
    stale: newBatch(STALE_COLOUR, 0.45, TRACK_SCALE),
  };
  private readonly unitTrail = new NumberBuffer();
  /** The tracks as last drawn, for picking. */
  private readonly grid = new ScreenGrid<string>();
  /** AIS ships drawn here when there are too many in view for markers (vesselsOnCanvas.ts): x, y, direction (radians, NaN: not moving) per ship, by colour. */
  private readonly vesselBatches = new Map<string, NumberBuffer>();
  private readonly vesselSprites = { moving: new SpriteSet(arrow), stopped: new SpriteSet(dot) };
  private readonly vesselGrid = new ScreenGrid<number>();

  override onAdd(map: L.Map): this {
    const pane = map.getPane('live') ?? map.createPane('live');
    pane.style.zIndex = '450';
    pane.style.pointerEvents = 'none';
    this.symbolCanvas = L.DomUtil.create('canvas', 'live-canvas', pane);
    this.symbolCanvas.dataset.testid = 'symbol-canvas';
    this.canvas = L.DomUtil.create('canvas', 'live-canvas', pane);
    this.canvas.dataset.testid = 'live-canvas';
    map.on('moveend zoomend resize', this.reset, this);
    map.on('move', this.schedule, this);
    this.unsubscribers = [
      subscribeShownPositions(this.schedule),
      subscribeVesselsOnCanvas(this.schedule),
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
    this.symbolCanvas?.remove();
    this.symbolCanvas = undefined;
    this.symbolPixels = undefined;
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
    // The tracks where they were last drawn: at most a frame old, and what the operator clicked on.
    const id = this.grid.nearest(point.x, point.y, PICK_RADIUS);
    if (id !== null && positions.tracks.has(id)) return { kind: 'track', id };
    const mmsi = vesselsOnCanvas() ? this.vesselGrid.nearest(point.x, point.y, PICK_RADIUS) : null;
    return mmsi !== null && shownPicture().vessels.byMmsi.has(mmsi) ? { kind: 'vessel', id: String(mmsi) } : null;
  }

  /** Size and place the canvas over the visible map, then draw. */
  private reset = (): void => {
    const map = this._map;
    if (!map || !this.canvas || !this.symbolCanvas) return;
    const size = map.getSize();
    const ratio = window.devicePixelRatio || 1;
    for (const canvas of [this.canvas, this.symbolCanvas]) {
      canvas.width = size.x * ratio;
      canvas.height = size.y * ratio;
      canvas.style.width = `${size.x}px`;
      canvas.style.height = `${size.y}px`;
    }
    this.symbolPixels = undefined;
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
    const symbolCanvas = this.symbolCanvas;
    if (!map || !canvas || !symbolCanvas) return;
    // The pane moves with panning; keep the canvases pinned to the container.
    const origin = map.containerPointToLayerPoint([0, 0]);
    L.DomUtil.setPosition(canvas, origin);
    L.DomUtil.setPosition(symbolCanvas, origin);
    const context = canvas.getContext('2d')!;
    const ratio = window.devicePixelRatio || 1;
    const symbolContext = symbolCanvas.getContext('2d')!;
    if (!this.symbolPixels) {
      const image = symbolContext.createImageData(symbolCanvas.width, symbolCanvas.height);
      this.symbolPixels = { image, layer: new PixelLayer(image.data, image.width, image.height) };
    }
    const pixels = this.symbolPixels.layer;
    pixels.clear();
    context.setTransform(ratio, 0, 0, ratio, 0, 0);
    context.clearRect(0, 0, canvas.width, canvas.height);
    const now = pictureNow();
    const positions = shownPositions();
    const size = map.getSize();
    const view = viewProjectionFrom(map.latLngToContainerPoint([50, 1]), map.latLngToContainerPoint([51, 2]));
    const [left, top, right, bottom] = [-MARGIN, -MARGIN, size.x + MARGIN, size.y + MARGIN];
    const visible = (x: number, y: number) => x >= left && y >= top && x <= right && y <= bottom;

    const batches = this.batches;
    for (const batch of Object.values(batches)) {
      batch.symbols.clear();
      batch.trails.clear();
    }
    this.grid.clear();
    const ageLabels: number[] = [];
    const ageTexts: string[] = [];

    let tracksInView = 0;
    for (const track of positions.tracks.values()) {
      const x = projectX(view, track.lon);
      if (x < left || x > right) continue;
      const y = projectY(view, track.lat);
      if (y < top || y > bottom) continue;
      tracksInView += 1;
      const stale = isStale(track.time, track.stale, now);
      const target = stale ? (track.cls === 'small-boat' ? batches.staleSmallBoat : batches.stale) : batches[track.cls];
      const symbols = target.symbols;
      symbols.push(x);
      symbols.push(y);
      symbols.push((track.course ?? 0) * RADIANS);
      appendTrail(positions.trackTrail(track.id), view, target.trails, x, y);
      this.grid.add(x, y, track.id);
      if (stale && ageTexts.length < MAX_AGE_LABELS) {
        ageLabels.push(x, y);
        ageTexts.push(formatAge(now - track.time));
      }
    }

    this.drawVessels(pixels, ratio, view, visible);
    for (const batch of Object.values(batches)) this.stampSymbols(pixels, ratio, batch);
    const changed = pixels.changed();
    if (changed) symbolContext.putImageData(this.symbolPixels.image, 0, 0, changed.x, changed.y, changed.width, changed.height);
    // On the canvas above: a trail is the colour of its symbol, so where it crosses the symbol it does not show.
    for (const { colour, alpha, trails } of Object.values(batches)) this.strokeTrails(context, colour, alpha * 0.45, trails);

    let unitsWithFix = 0;
    for (const unit of positions.units.values()) {
      if (unit.lat === null || unit.lon === null) continue;
      unitsWithFix += 1;
      const x = projectX(view, unit.lon);
      const y = projectY(view, unit.lat);
      if (!visible(x, y)) continue;
      const stale = isStale(unit.fixTime, null, now);
      const colour = stale ? STALE_COLOUR : UNIT_COLOUR[unit.status];
      this.unitTrail.clear();
      appendTrail(positions.unitTrail(unit.id), view, this.unitTrail, x, y);
      this.strokeTrails(context, colour, (stale ? 0.45 : 1) * 0.6, this.unitTrail);
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

  private strokeTrails(context: CanvasRenderingContext2D, colour: string, alpha: number, trails: NumberBuffer): void {
    if (trails.length === 0) return;
    const data = trails.data;
    context.globalAlpha = alpha;
    context.strokeStyle = colour;
    context.lineWidth = 1;
    context.beginPath();
    for (let i = 0; i < trails.length;) {
      const count = data[i++]!;
      context.moveTo(data[i]!, data[i + 1]!);
      for (let k = 1; k < count; k++) context.lineTo(data[i + 2 * k]!, data[i + 2 * k + 1]!);
      i += 2 * count;
    }
    context.stroke();
    context.globalAlpha = 1;
  }

  /** A batch's symbols, turned to their course, into the symbol pixels. */
  private stampSymbols(pixels: PixelLayer, ratio: number, batch: Batch): void {
    const { symbols, sprites, alpha } = batch;
    const colour = rgb(batch.colour);
    const data = symbols.data;
    for (let i = 0; i < symbols.length; i += 3) {
      pixels.stamp(sprites.at(data[i + 2]!, ratio), Math.floor(data[i]! * ratio), Math.floor(data[i + 1]! * ratio), colour, alpha);
    }
  }

  /** AIS ships as arrows along their heading (squares when not moving), in their category's colour, under the tracks. */
  private drawVessels(pixels: PixelLayer, ratio: number, view: ReturnType<typeof viewProjectionFrom>, visible: (x: number, y: number) => boolean): void {
    this.vesselGrid.clear();
    if (!vesselsOnCanvas()) return;
    for (const buffer of this.vesselBatches.values()) buffer.clear();
    const picked = useConsole.getState().picked;
    // The picked ship keeps its marker (VesselsLayer): not drawn twice.
    const pickedMmsi = picked?.kind === 'vessel' ? Number(picked.id) : null;
    for (const vessel of shownPicture().vessels.byMmsi.values()) {
      if (vessel.lat === null || vessel.lon === null || vessel.mmsi === pickedMmsi) continue;
      const x = projectX(view, vessel.lon);
      const y = projectY(view, vessel.lat);
      if (!visible(x, y)) continue;
      const colour = VESSEL_COLOUR[vesselCategory(vessel.shipType)];
      let buffer = this.vesselBatches.get(colour);
      if (!buffer) this.vesselBatches.set(colour, (buffer = new NumberBuffer()));
      const moving = vessel.heading !== null || (vessel.speed ?? 0) > 0.5;
      buffer.push(x);
      buffer.push(y);
      buffer.push(moving ? (vessel.heading ?? vessel.course ?? 0) * RADIANS : NaN);
      this.vesselGrid.add(x, y, vessel.mmsi);
    }
    const { moving, stopped } = this.vesselSprites;
    for (const [colour, buffer] of this.vesselBatches) {
      const components = rgb(colour);
      const data = buffer.data;
      for (let i = 0; i < buffer.length; i += 3) {
        const direction = data[i + 2]!;
        const sprite = Number.isNaN(direction) ? stopped.at(0, ratio) : moving.at(direction, ratio);
        pixels.stamp(sprite, Math.floor(data[i]! * ratio), Math.floor(data[i + 1]! * ratio), components, 0.9);
      }
    }
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
