// The sector editor (issue 6), for supervisors only (the core refuses anyone
// else anyway): rename the selected sector, set its risk level, redraw it by
// clicking its corners on the map (SectorDrawLayer), import and export the
// sectors as GeoJSON. Every change is a logged event; a refusal shows the
// core's reason.
import { useRef, useState, type FormEvent } from 'react';
import type { RiskLevel, Sector } from '../../shared/contract';
import { useT } from '../i18n/useT';
import { useConsole, useShownPicture } from '../state/store';
import { exportSectors, finishDrawing, importSectors, updateSector } from './sectorEditorActions';
import { useSectorEditor, type SectorEditorMessage } from './sectorEditorStore';

const RISKS: readonly RiskLevel[] = ['low', 'medium', 'high'];

export function SectorEditor({ selectedId }: { selectedId: string | null }) {
  const t = useT();
  const role = useConsole((state) => state.session?.role);
  const sector = useShownPicture((picture) => picture.sectors.find((item) => item.id === selectedId));
  const drawing = useSectorEditor((state) => state.drawing);
  const busy = useSectorEditor((state) => state.busy);
  const fileInput = useRef<HTMLInputElement>(null);
  if (role !== 'supervisor') return null;

  return (
    <section className="panel-section sector-editor" aria-labelledby="sector-editor-title" data-testid="sector-editor">
      <h2 id="sector-editor-title" tabIndex={-1}>
        {t('sectorEditor.title')}
      </h2>
      {sector ? (
        // Keyed by the sector and its values: another sector, or a pushed change, starts the form afresh.
        <SectorForm key={`${sector.id}:${sector.name}:${sector.risk}`} sector={sector} busy={busy} />
      ) : (
        <p className="muted">{t('sectorEditor.choose')}</p>
      )}
      {drawing ? (
        <div className="sector-drawing" data-testid="sector-drawing">
          <p>{t('sectorEditor.drawHint', { id: drawing.sector })}</p>
          <p className="muted">{t('sectorEditor.points', { count: drawing.points.length })}</p>
          <div className="sector-editor-row">
            <button type="button" onClick={() => void finishDrawing()} disabled={drawing.points.length === 0}>
              {t('sectorEditor.finish')}
            </button>
            <button type="button" onClick={() => useSectorEditor.getState().cancelDrawing()}>
              {t('sectorEditor.cancel')}
            </button>
          </div>
        </div>
      ) : sector ? (
        <button type="button" onClick={() => useSectorEditor.getState().startDrawing(sector.id)} disabled={busy} data-testid="sector-redraw">
          {t('sectorEditor.redraw')}
        </button>
      ) : null}
      <div className="sector-editor-row">
        <button type="button" onClick={() => fileInput.current?.click()} disabled={busy}>
          {t('sectorEditor.import')}
        </button>
        <input
          ref={fileInput}
          type="file"
          accept=".geojson,.json,application/geo+json,application/json"
          hidden
          data-testid="sector-import-file"
          onChange={(event) => {
            const file = event.currentTarget.files?.[0];
            event.currentTarget.value = '';
            if (file) void importSectors(file);
          }}
        />
        <button type="button" onClick={() => void exportSectors()} disabled={busy}>
          {t('sectorEditor.export')}
        </button>
      </div>
      <EditorMessage />
    </section>
  );
}

function SectorForm({ sector, busy }: { sector: Sector; busy: boolean }) {
  const t = useT();
  const [name, setName] = useState(sector.name);
  const [risk, setRisk] = useState<RiskLevel>(sector.risk);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    void updateSector({ id: sector.id, name, risk });
  };
  return (
    <form className="sector-form" onSubmit={submit}>
      <p className="sector-form-id">
        <span className="sector-id">{sector.id}</span>
      </p>
      <label>
        {t('sectorEditor.name')}
        <input value={name} onChange={(event) => setName(event.target.value)} maxLength={80} required data-testid="sector-name" />
      </label>
      <label>
        {t('sectorEditor.risk')}
        <select value={risk} onChange={(event) => setRisk(event.target.value as RiskLevel)} data-testid="sector-risk">
          {RISKS.map((level) => (
            <option key={level} value={level}>
              {t(`risk.${level}`)}
            </option>
          ))}
        </select>
      </label>
      <button type="submit" disabled={busy || name.trim() === '' || (name.trim() === sector.name && risk === sector.risk)}>
        {t('sectorEditor.save')}
      </button>
    </form>
  );
}

function EditorMessage() {
  const t = useT();
  const message = useSectorEditor((state) => state.message);
  if (!message) return null;
  const refused = message.kind === 'refused';
  return (
    <p className={refused ? 'form-error' : 'muted'} role={refused ? 'alert' : 'status'} data-testid="sector-editor-message">
      {text(t, message)}
    </p>
  );
}

function text(t: ReturnType<typeof useT>, message: SectorEditorMessage): string {
  switch (message.kind) {
    case 'saved':
      return t('sectorEditor.saved', { id: message.id });
    case 'unchanged':
      return t('sectorEditor.unchanged', { id: message.id });
    case 'imported':
      return t('sectorEditor.imported', { count: message.count });
    case 'refused':
      return t('sectorEditor.refused', { reason: message.reason });
  }
}

/** B: the editor's first field (or its title when no sector is chosen); nothing for roles without the editor. */
export function focusSectorEditor(): void {
  const panel = document.querySelector<HTMLElement>('[data-testid="sector-editor"]');
  (panel?.querySelector<HTMLElement>('input:not([hidden]), h2') ?? null)?.focus();
}
