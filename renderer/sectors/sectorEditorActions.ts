// The sector editor's requests (issue 6): each is a contract call; a refusal
// is worded from its reason code in the operator's language ("S05: edges 1 and 3 cross.").
import type { RequestParams } from '../../shared/contract';
import { callCore } from '../core/activeClient';
import { saveFile } from '../core/saveFile';
import { describeFailureNow } from '../i18n/refusals';
import { useSectorEditor } from './sectorEditorStore';

const editor = () => useSectorEditor.getState();
const reason = (error: unknown) => describeFailureNow(error);

async function busy(work: () => Promise<void>): Promise<void> {
  editor().setBusy(true);
  try {
    await work();
  } catch (error) {
    editor().setMessage({ kind: 'refused', reason: reason(error) });
  } finally {
    editor().setBusy(false);
  }
}

/** Rename, set the risk level or redraw (the console's list follows the core's pushed `sectors.changed`). */
export function updateSector(params: RequestParams<'sectors.update'>): Promise<void> {
  return busy(async () => {
    const { changed } = await callCore('sectors.update', params);
    editor().setMessage({ kind: changed ? 'saved' : 'unchanged', id: params.id });
  });
}

/** Ends the drawing and sends its ring; the core closes it and checks it. */
export function finishDrawing(): Promise<void> {
  const drawing = editor().drawing;
  if (!drawing) return Promise.resolve();
  editor().cancelDrawing();
  return updateSector({ id: drawing.sector, ring: drawing.points });
}

export function importSectors(file: File): Promise<void> {
  return busy(async () => {
    const { changed } = await callCore('sectors.import', { geojson: await file.text() });
    editor().setMessage({ kind: 'imported', count: changed.length });
  });
}

export function exportSectors(): Promise<void> {
  return busy(async () => {
    const { geojson } = await callCore('sectors.export', {});
    saveFile(geojson, `vigie-sectors-${new Date().toISOString().slice(0, 10)}.geojson`, 'application/geo+json');
  });
}
