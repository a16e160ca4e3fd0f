// The alert queue: open alerts, most severe first, then newest. One listbox
// (A jumps here): ↑ ↓ Home End move the selection, Enter acknowledges a new
// alert (or opens the incident of an acknowledged one), G takes the merge
// proposal. Only the rows in view are rendered — a busy night can queue
// hundreds of alerts and the list must stay instant.
import { openPopout, popoutKind } from '../room/popout';
import { useCallback, useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import type { AlertView } from '../../shared/contract';
import { confirmMerge, startAcknowledge } from '../dispatch/actions';
import { useT } from '../i18n/useT';
import { registerFocusRegion } from '../keyboard/focusRegions';
import { pictureNow, useConsole, useShownPicture } from '../state/store';
import { AlertRow } from './AlertRow';
import { queueOrder, ROW_HEIGHT } from './alertFormat';
import { MergeProposal } from './MergeProposal';

const VISIBLE_ROWS = 6;
const OVERSCAN = 4;

const MOVES: Record<string, (index: number, count: number) => number> = {
  ArrowDown: (index, count) => Math.min(index + 1, count - 1),
  ArrowUp: (index) => Math.max(index - 1, 0),
  Home: () => 0,
  End: (_index, count) => count - 1,
};

/** Renders again every second, for the ages; they count from the picture's moment (replayed or now) at each render. */
function useNow(): number {
  const [, setTick] = useState(0);
  useEffect(() => {
    const timer = setInterval(() => setTick((tick) => tick + 1), 1000);
    return () => clearInterval(timer);
  }, []);
  return pictureNow();
}

export function AlertQueue() {
  const t = useT();
  const alerts = useShownPicture((picture) => picture.alerts);
  const selectedAlert = useConsole((state) => state.selectedAlert);
  const selectAlert = useConsole((state) => state.selectAlert);
  const selectIncident = useConsole((state) => state.selectIncident);
  const mergeProposal = useConsole((state) => state.mergeProposal);
  // A refusal with no incident panel to show it (an acknowledgement refused, say) is shown here.
  const orphanMessage = useConsole((state) => (state.selectedIncident ? null : state.dispatchMessage));
  const setMergeProposal = useConsole((state) => state.setMergeProposal);
  const now = useNow();
  const queue = useMemo(() => alerts.filter((alert) => alert.status !== 'closed').sort(queueOrder), [alerts]);
  const activeIndex = queue.findIndex((alert) => alert.id === selectedAlert);
  const listbox = useRef<HTMLDivElement | null>(null);
  const [scrollTop, setScrollTop] = useState(0);

  const focusTarget = useCallback((element: HTMLDivElement | null) => {
    listbox.current = element;
    registerFocusRegion('alerts', element);
  }, []);

  const choose = useCallback(
    (alert: AlertView) => {
      selectAlert(alert.id);
      if (alert.incident) selectIncident(alert.incident);
    },
    [selectAlert, selectIncident],
  );

  // Keep the active row in view (it must be rendered for aria-activedescendant).
  useEffect(() => {
    const element = listbox.current;
    if (!element || activeIndex < 0) return;
    const top = activeIndex * ROW_HEIGHT;
    if (top < element.scrollTop) element.scrollTop = top;
    else if (top + ROW_HEIGHT > element.scrollTop + element.clientHeight) element.scrollTop = top + ROW_HEIGHT - element.clientHeight;
  }, [activeIndex]);

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    const move = MOVES[event.key];
    if (move && queue.length > 0) {
      event.preventDefault();
      const next = queue[move(Math.max(activeIndex, 0), queue.length)];
      if (next) choose(next);
      return;
    }
    const active = queue[activeIndex];
    if (event.key === 'Enter' && active) {
      event.preventDefault();
      if (active.status === 'new') void startAcknowledge(active.id);
      else if (active.incident) selectIncident(active.incident);
    } else if ((event.key === 'g' || event.key === 'G') && mergeProposal) {
      event.preventDefault();
      confirmMerge();
    } else if (event.key === 'Escape' && mergeProposal) {
      event.preventDefault();
      setMergeProposal(null);
    }
  };

  // The first arrow press should not be needed: focusing the queue selects its top alert.
  const onFocus = () => {
    const first = queue[0];
    if (activeIndex < 0 && first) choose(first);
  };

  const first = Math.max(0, Math.floor(scrollTop / ROW_HEIGHT) - OVERSCAN);
  const last = Math.min(queue.length, Math.ceil((scrollTop + VISIBLE_ROWS * ROW_HEIGHT) / ROW_HEIGHT) + OVERSCAN);
  const active = queue[activeIndex];

  return (
    <section className="panel-section" aria-label={t('alerts.title')}>
      <h2>
        {t('alerts.title')} <span className="muted">({t.number(queue.length)})</span>
      </h2>
      {/* Beside the heading, not in it: the heading names the region. */}
      {popoutKind() ? null : (
        <button type="button" className="popout-button" onClick={() => openPopout('queue')} title={t('popout.open')} data-testid="popout-queue-button">
          {t('popout.open')}
        </button>
      )}
      {queue.length === 0 ? <p className="alert-empty muted">{t('alerts.none')}</p> : null}
      <div
        className="alert-scroll"
        role="listbox"
        tabIndex={0}
        aria-label={t('alerts.listLabel', { count: queue.length })}
        aria-activedescendant={active ? `alert-option-${active.id}` : undefined}
        style={{ height: Math.min(Math.max(queue.length, 1), VISIBLE_ROWS) * ROW_HEIGHT }}
        ref={focusTarget}
        onKeyDown={onKeyDown}
        onFocus={onFocus}
        onScroll={(event) => setScrollTop(event.currentTarget.scrollTop)}
        data-testid="alert-region"
      >
        <ol className="alert-list" role="none" style={{ height: queue.length * ROW_HEIGHT }} data-testid="alert-list">
          {queue.slice(first, last).map((alert, offset) => (
            <AlertRow
              key={alert.id}
              alert={alert}
              index={first + offset}
              count={queue.length}
              selected={alert.id === selectedAlert}
              now={now}
              onChoose={() => {
                choose(alert);
                listbox.current?.focus();
              }}
            />
          ))}
        </ol>
      </div>
      {mergeProposal ? <MergeProposal proposal={mergeProposal} /> : null}
      {orphanMessage ? (
        <p className="dispatch-message queue-message" role="alert">
          {t('incident.refused', { reason: orphanMessage })}
        </p>
      ) : null}
    </section>
  );
}
