// The sector editor's screen state (issue 6): the ring being drawn and the
// last answer from the core. Kept apart from the console store: only the
// editor panel and its map layer read it.
import { create } from 'zustand';

/** The last outcome shown in the panel: a refusal carries the core's reason as worded. */
export type SectorEditorMessage =
  { kind: 'saved'; id: string } | { kind: 'unchanged'; id: string } | { kind: 'imported'; count: number } | { kind: 'refused'; reason: string };

export interface SectorEditorState {
  /** A new ring being clicked on the map for `sector`, [lon, lat] corners. */
  drawing: { sector: string; points: [number, number][] } | null;
  message: SectorEditorMessage | null;
  busy: boolean;
  startDrawing(sector: string): void;
  addPoint(point: [number, number]): void;
  cancelDrawing(): void;
  setMessage(message: SectorEditorMessage | null): void;
  setBusy(busy: boolean): void;
}

export const useSectorEditor = create<SectorEditorState>()((set) => ({
  drawing: null,
  message: null,
  busy: false,
  startDrawing: (sector) => set({ drawing: { sector, points: [] }, message: null }),
  addPoint: (point) => set((state) => (state.drawing ? { drawing: { ...state.drawing, points: [...state.drawing.points, point] } } : {})),
  cancelDrawing: () => set({ drawing: null }),
  setMessage: (message) => set({ message }),
  setBusy: (busy) => set({ busy }),
}));
