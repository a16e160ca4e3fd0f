// The sector list beside the map, north to south; choosing one flies the map
// to it. Buttons, so the keyboard reaches every sector.
import { useConsole } from '../state/store';

const riskText = { high: 'high', medium: 'medium', low: 'low' } as const;

export function SectorList({ selectedId, onSelect }: { selectedId: string | null; onSelect(id: string): void }) {
  const sectors = useConsole((state) => state.sectors);
  return (
    <nav className="panel-section" aria-label="Beach sectors">
      <h2>
        Beach sectors <span className="muted">({sectors.length})</span>
      </h2>
      <ol className="sector-list">
        {sectors.map((sector) => (
          <li key={sector.id}>
            <button type="button" className={sector.id === selectedId ? 'selected' : undefined} aria-pressed={sector.id === selectedId} onClick={() => onSelect(sector.id)}>
              <span className="sector-id">{sector.id}</span>
              <span className="sector-name">{sector.name}</span>
              <span className={`risk risk-${sector.risk}`}>{riskText[sector.risk]}</span>
            </button>
          </li>
        ))}
      </ol>
    </nav>
  );
}
