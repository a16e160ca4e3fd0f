// Tracks and units drawn imperatively on one canvas, redrawn at most once per
// animation frame when the live store or the view changes. A Leaflet layer in
// the usual shape: options, onAdd/onRemove pairing every listener.
import L from 'leaflet';
import type { TrackView, UnitView } from '../../shared/contract';
import { liveStore } from '../state/liveStore';

const TRACK_COLOUR = { 'small-boat': '#ff6b4a', vessel: '#7f9bb8', unknown: '#c7d3e0' } as const;
const UNIT_COLOUR: Record<UnitView['status'], string> = {
  available: '#5cc48a',
  assigned: '#e0b84a',
  'en-route': '#e0b84a',
  'on-scene': '#5fb3c4',
  cleared: '#5cc48a',
  unavailable: '#6b7785',
};
const UNIT_LETTER: Record<UnitView['type'], string> = { foot: 'P', '4x4': 'V', quad: 'Q', boat: 'B', 'drone-team': 'D', 'dog-team': 'C' };
/** A fix older than this is drawn greyed. */
const STALE_MS = 60_000;

export class LiveCanvasLayer extends L.Layer {
  private canvas: HTMLCanvasElement | undefined;
  private frame = 0;
  private unsubscribe: (() => void) | undefined;

  override onAdd(map: L.Map): this {
    const pane = map.getPane('live') ?? map.createPane('live');
    pane.style.zIndex = '450';
    pane.style.pointerEvents = 'none';
    this.canvas = L.DomUtil.create('canvas', 'live-canvas', pane);
    this.canvas.dataset.testid = 'live-canvas';
    map.on('moveend zoomend resize', this.reset, this);
    map.on('move', this.schedule, this);
    this.unsubscribe = liveStore.subscribe(this.schedule);
    this.reset();
    return this;
  }

  override onRemove(map: L.Map): this {
    map.off('moveend zoomend resize', this.reset, this);
    map.off('move', this.schedule, this);
    this.unsubscribe?.();
    cancelAnimationFrame(this.frame);
    this.frame = 0;
    this.canvas?.remove();
    this.canvas = undefined;
    return this;
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
    const now = Date.now();
    const size = map.getSize();
    for (const track of liveStore.tracks.values()) this.drawTrack(context, map, track, now, size);
    for (const unit of liveStore.units.values()) this.drawUnit(context, map, unit, now, size);
    canvas.dataset.tracks = String(liveStore.tracks.size);
    canvas.dataset.units = String([...liveStore.units.values()].filter((unit) => unit.lat !== null).length);
  }

  private drawTrack(context: CanvasRenderingContext2D, map: L.Map, track: TrackView, now: number, size: L.Point): void {
    const p = map.latLngToContainerPoint([track.lat, track.lon]);
    if (p.x < -10 || p.y < -10 || p.x > size.x + 10 || p.y > size.y + 10) return;
    const stale = (track.stale !== null && track.stale < now) || now - track.time > STALE_MS;
    context.save();
    context.translate(p.x, p.y);
    context.rotate((((track.course ?? 0) as number) * Math.PI) / 180);
    context.globalAlpha = stale ? 0.35 : 1;
    context.fillStyle = stale ? '#6b7785' : TRACK_COLOUR[track.cls];
    const scale = track.cls === 'small-boat' ? 6 : 4;
    context.beginPath();
    context.moveTo(0, -scale * 1.4);
    context.lineTo(scale, scale);
    context.lineTo(-scale, scale);
    context.closePath();
    context.fill();
    context.restore();
  }

  private drawUnit(context: CanvasRenderingContext2D, map: L.Map, unit: UnitView, now: number, size: L.Point): void {
    if (unit.lat === null || unit.lon === null) return;
    const p = map.latLngToContainerPoint([unit.lat, unit.lon]);
    if (p.x < -12 || p.y < -12 || p.x > size.x + 12 || p.y > size.y + 12) return;
    const stale = unit.fixTime === null || now - unit.fixTime > STALE_MS;
    context.globalAlpha = stale ? 0.45 : 1;
    context.fillStyle = '#0b1220';
    context.strokeStyle = stale ? '#6b7785' : UNIT_COLOUR[unit.status];
    context.lineWidth = 2;
    context.fillRect(p.x - 7, p.y - 7, 14, 14);
    context.strokeRect(p.x - 7, p.y - 7, 14, 14);
    context.fillStyle = context.strokeStyle;
    context.font = 'bold 10px DejaVu Sans, sans-serif';
    context.textAlign = 'center';
    context.textBaseline = 'middle';
    context.fillText(UNIT_LETTER[unit.type], p.x, p.y + 0.5);
    context.globalAlpha = 1;
  }
}
