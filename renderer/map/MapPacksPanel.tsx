// The map packs the core found or was given: each with its name, file,
// format and zooms, a button to make it the base map, and — for a file that
// cannot be used — its problem in words (in the operator's language, with
// the core's technical detail below). Opening a pack by path is here too.
import { useState, type FormEvent } from 'react';
import type { MapPackProblemCode, MapPackView } from '../../shared/contract';
import { useT } from '../i18n/useT';
import { chooseBaseMap, effectiveChoice, forgetMapPack, openMapPack, useMapPacks } from './mapPacks';

/** Files listed that cannot be drawn (errors and vector packs). */
export function usePackProblemCount(): number {
  return useMapPacks((state) => state.list?.packs.filter((pack) => pack.status === 'error').length ?? 0);
}

export function MapPacksPanel() {
  const t = useT();
  const list = useMapPacks((state) => state.list);
  const error = useMapPacks((state) => state.error);
  const chosen = effectiveChoice(list);
  const [path, setPath] = useState('');
  const [refusal, setRefusal] = useState<string | null>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!path.trim()) return;
    const reason = await openMapPack(path.trim());
    setRefusal(reason);
    if (!reason) setPath('');
  };

  return (
    <div className="map-tool-body map-packs" data-testid="packs-panel">
      {error ? (
        <p className="map-tool-error" role="alert">
          {t('packs.unreachable', { error })}
        </p>
      ) : null}
      {list ? <p className="muted packs-folder">{list.folderProblem ?? t('packs.folder', { folder: list.folder })}</p> : null}
      {list && list.packs.length === 0 ? <p className="muted">{t('packs.none')}</p> : null}
      <ul className="pack-list">
        {chosen !== null ? (
          <li>
            <button type="button" onClick={() => void chooseBaseMap(null)}>
              {t('packs.useCoast')}
            </button>
          </li>
        ) : null}
        {list?.packs.map((pack) => (
          <PackRow key={pack.id} pack={pack} chosen={chosen === pack.id} />
        ))}
      </ul>
      <form className="pack-open" onSubmit={(event) => void submit(event)}>
        <label>
          {t('packs.open')}
          <input
            value={path}
            onChange={(event) => setPath(event.target.value)}
            placeholder={t('packs.openPlaceholder')}
            spellCheck={false}
            autoComplete="off"
            data-testid="pack-open-input"
          />
        </label>
        <button type="submit">{t('packs.openSubmit')}</button>
      </form>
      {refusal ? (
        <p className="map-tool-error" role="alert" data-testid="pack-open-refusal">
          {t('packs.refused', { reason: refusal })}
        </p>
      ) : null}
    </div>
  );
}

function PackRow({ pack, chosen }: { pack: MapPackView; chosen: boolean }) {
  const t = useT();
  // Every code of the contract has its wording (a missing one does not compile).
  const words = (code: MapPackProblemCode) => t(`packProblem.${code}`);
  return (
    <li className={`pack-row pack-${pack.status}`} data-testid="pack-row" data-pack-file={pack.file} data-status={pack.status}>
      <div className="pack-title">
        <strong>{pack.name}</strong>
        <span className="muted">
          {' '}
          {pack.file !== pack.name ? `${pack.file} · ` : ''}
          {pack.kind === 'mbtiles' ? 'MBTiles' : 'PMTiles'}
          {pack.format ? ` ${pack.format.toUpperCase()}` : ''}
          {pack.minZoom !== null && pack.maxZoom !== null ? ` · ${t('packs.zooms', { min: pack.minZoom, max: pack.maxZoom })}` : ''}
          {pack.source === 'opened' ? ` · ${t('packs.opened')}` : ''}
        </span>
      </div>
      {pack.problem ? (
        <p className="pack-problem" data-testid="pack-problem">
          <span>{words(pack.problem.code)}</span>
          <span className="pack-detail">{pack.problem.message}</span>
        </p>
      ) : null}
      {pack.warnings.map((warning) => (
        <p key={warning.message} className="pack-warning" data-testid="pack-warning">
          <span>{words(warning.code)}</span>
          <span className="pack-detail">{warning.message}</span>
        </p>
      ))}
      <div className="pack-actions">
        {pack.status === 'ok' ? (
          chosen ? (
            <span className="pack-in-use">{t('packs.inUse')}</span>
          ) : (
            <button type="button" onClick={() => void chooseBaseMap(pack.id)} data-testid="pack-use">
              {t('packs.use')}
            </button>
          )
        ) : null}
        {pack.source === 'opened' ? (
          <button type="button" onClick={() => void forgetMapPack(pack.id)}>
            {t('packs.forget')}
          </button>
        ) : null}
      </div>
    </li>
  );
}
