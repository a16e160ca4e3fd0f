// The map packs the core offers (maps.list), kept in a small store of their
// own: asked for when the map appears and every few seconds after (the core
// rescans its maps folder on each ask), and the operator's choice of base map
// sent to the core, which remembers it across restarts.
import { create } from 'zustand';
import type { MapPackList, MapPackView } from '../../shared/contract';
import { callCore } from '../core/activeClient';
import { describeFailureNow } from '../i18n/refusals';

/** How often the list is asked again: a pack dropped into the folder shows up within this. */
const REFRESH_MS = 10_000;

interface MapPacksState {
  list: MapPackList | null;
  /** The last failure talking to the core about packs (shown in the packs panel). */
  error: string | null;
  setList(list: MapPackList): void;
  setError(error: string | null): void;
  setChosen(chosen: string | null): void;
}

export const useMapPacks = create<MapPacksState>()((set) => ({
  list: null,
  error: null,
  setList: (list) => set({ list, error: null }),
  setError: (error) => set({ error }),
  setChosen: (chosen) => set((state) => (state.list ? { list: { ...state.list, chosen } } : {})),
}));

const message = (error: unknown) => describeFailureNow(error);

export async function refreshMapPacks(): Promise<void> {
  try {
    useMapPacks.getState().setList(await callCore('maps.list', {}));
  } catch (error) {
    useMapPacks.getState().setError(message(error));
  }
}

/** Keeps the list fresh while the map is on screen; returns the stop function. */
export function watchMapPacks(): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let stopped = false;
  const tick = async () => {
    await refreshMapPacks();
    // Until the first answer (the client may still be connecting), ask again soon.
    if (!stopped) timer = setTimeout(() => void tick(), useMapPacks.getState().list ? REFRESH_MS : 500);
  };
  void tick();
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}

/** The base map the operator picked: a pack id, or null for the bundled coast. */
export async function chooseBaseMap(id: string | null): Promise<void> {
  const store = useMapPacks.getState();
  const previous = store.list?.chosen ?? null;
  if (previous === id) return;
  store.setChosen(id);
  try {
    await callCore('maps.choose', { id });
  } catch (error) {
    store.setChosen(previous);
    store.setError(message(error));
  }
}

/** Registers a pack file by its path on this machine; the refusal's reason, or null when done. */
export async function openMapPack(path: string): Promise<string | null> {
  try {
    await callCore('maps.open', { path });
    await refreshMapPacks();
    return null;
  } catch (error) {
    return message(error);
  }
}

export async function forgetMapPack(id: string): Promise<void> {
  try {
    await callCore('maps.forget', { id });
  } finally {
    await refreshMapPacks();
  }
}

/** Packs the map can draw. */
export function drawablePacks(list: MapPackList | null): MapPackView[] {
  return list?.packs.filter((pack) => pack.status === 'ok') ?? [];
}

/** The chosen pack when it can be drawn; null means the coast. */
export function effectiveChoice(list: MapPackList | null): string | null {
  const chosen = list?.chosen ?? null;
  return chosen && drawablePacks(list).some((pack) => pack.id === chosen) ? chosen : null;
}

/** Leaflet writes layer names and attributions as HTML: a pack's metadata is text, never markup. */
export function asHtmlText(text: string): string {
  return text
    .replace(/<[^>]*>/g, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}

/** Names for the layer list (as HTML text), unique: two packs may share a metadata name. */
export function layerNames(packs: MapPackView[]): Map<string, string> {
  const counts = new Map<string, number>();
  for (const pack of packs) counts.set(pack.name, (counts.get(pack.name) ?? 0) + 1);
  return new Map(packs.map((pack) => [pack.id, asHtmlText(counts.get(pack.name)! > 1 ? `${pack.name} (${pack.file})` : pack.name)]));
}
