// The sector list beside the map, north to south; choosing one flies the map
// to it. Buttons, so the keyboard reaches every sector; ↑ ↓ Home End move
// between them, and S jumps to the selected one (or the first).
import { useCallback, useRef, type KeyboardEvent } from 'react';
import { useT } from '../i18n/useT';
import { registerFocusRegion } from '../keyboard/focusRegions';
import { useShownPicture } from '../state/store';

const MOVES: Record<string, (index: number, count: number) => number> = {
  ArrowDown: (index, count) => Math.min(index + 1, count - 1),
  ArrowUp: (index) => Math.max(index - 1, 0),
  Home: () => 0,
  End: (_index, count) => count - 1,
};

export function SectorList({ selectedId, onSelect }: { selectedId: string | null; onSelect(id: string): void }) {
  const t = useT();
  const sectors = useShownPicture((picture) => picture.sectors);
  const nav = useRef<HTMLElement | null>(null);
  const buttons = () => [...(nav.current?.querySelectorAll<HTMLButtonElement>('.sector-list button') ?? [])];

  const focusTarget = useCallback((element: HTMLElement | null) => {
    nav.current = element;
    // The selected sector, else the first; the list itself while sectors are loading.
    registerFocusRegion(
      'sectors',
      element
        ? () =>
            element.querySelector<HTMLElement>('.sector-list button[aria-pressed="true"]') ??
            element.querySelector<HTMLElement>('.sector-list button') ??
            element
        : null,
    );
  }, []);

  const onKeyDown = (event: KeyboardEvent<HTMLElement>) => {
    const move = MOVES[event.key];
    if (!move || event.ctrlKey || event.metaKey || event.altKey || event.shiftKey) return;
    const list = buttons();
    const index = list.indexOf(document.activeElement as HTMLButtonElement);
    if (index < 0) return;
    event.preventDefault();
    list[move(index, list.length)]?.focus();
  };

  return (
    <nav className="panel-section" aria-label={t('sectors.title')} tabIndex={-1} ref={focusTarget} onKeyDown={onKeyDown} data-testid="sector-list">
      <h2>
        {t('sectors.title')} <span className="muted">({t.number(sectors.length)})</span>
      </h2>
      <ol className="sector-list">
        {sectors.map((sector) => (
          <li key={sector.id}>
            <button
              type="button"
              className={sector.id === selectedId ? 'selected' : undefined}
              aria-pressed={sector.id === selectedId}
              onClick={() => onSelect(sector.id)}
            >
              <span className="sector-id">{sector.id}</span>
              <span className="sector-name">{sector.name}</span>
              <span className="visually-hidden">, {t('sectors.risk')}</span>
              <span className={`risk risk-${sector.risk}`} data-risk={sector.risk}>
                {t(`risk.${sector.risk}`)}
              </span>
            </button>
          </li>
        ))}
      </ol>
    </nav>
  );
}
