// The figures view (issue 5): a full-screen modal dialog over the console
// with a period (default: the last 12 hours), the figures of that period
// from the core (`figures.get`) as tables and plain-SVG bar charts, the CSV
// (`figures.csv`, saved through a Blob link) and a printable report (the
// `@media print` rules in styles.css print this dialog alone). Like the help,
// it keeps the focus inside (Tab wraps), closes on Escape, and gives the
// focus back to where it was.
//
// A shift's figures are the figures of its period: the shift picker sets the
// period to the shift's [openedAt, closedAt ?? now). The figures come from
// the live log, or from one of the post's archive files (read-only): the
// source picker lists them, and an archive's shifts replace the live ones.
import { useCallback, useEffect, useId, useState, type FormEvent } from 'react';
import type { ArchiveFileView, Figures, ShiftView } from '../../shared/contract';
import type { LocalTimeReading } from '../../shared/localTime';
import { callCore } from '../core/activeClient';
import type { Translator } from '../i18n/translate';
import { describeFailureNow } from '../i18n/refusals';
import { useT } from '../i18n/useT';
import { BarChart } from './BarChart';
import { formatDuration, formatLocal, formatShare, lastHours, parseLocal } from './figuresFormat';
import { saveFile } from '../core/saveFile';
import { useModalDialog } from '../shell/useModalDialog';

type Loaded = { status: 'loading' } | { status: 'ready'; figures: Figures } | { status: 'failed'; error: string };
/** Why the typed period is refused: a time that is none (unreadable, in a skipped or repeated hour, a wrong offset), or an end before the start. */
type PeriodProblem = Exclude<LocalTimeReading, { time: number }> | { problem: 'bad-range' };

function periodProblemText(t: Translator, refused: PeriodProblem): string {
  switch (refused.problem) {
    case 'unreadable':
      return t('figures.badTime');
    case 'bad-range':
      return t('figures.badRange');
    case 'skipped':
      return t('time.skipped', { time: refused.text, start: refused.start, end: refused.end, before: refused.before, after: refused.after });
    case 'repeated':
      return t('time.repeated', { time: refused.text, first: refused.first, second: refused.second });
    case 'wrong-offset':
      return t('time.wrongOffset', { time: refused.text, typed: refused.typed, actual: refused.actual });
  }
}

/** 2026-11-26_20h00 (in the hour the clocks repeat: 2026-10-25_02h30_UTC+2). */
function fileStamp(epochMs: number): string {
  return formatLocal(epochMs).replace(' ', '_').replace(':', 'h').replace(' ', '_');
}

export function FiguresDialog({ onClose }: { onClose(): void }) {
  const t = useT();
  const titleId = useId();
  const hintId = useId();
  const { dialog, initialFocus: closeButton, onKeyDown, onCancel } = useModalDialog<HTMLButtonElement>(onClose);
  const [range, setRange] = useState(() => lastHours(12, Date.now()));
  const [fromText, setFromText] = useState(() => formatLocal(range.from));
  const [toText, setToText] = useState(() => formatLocal(range.to));
  const [formError, setFormError] = useState<PeriodProblem | null>(null);
  const [loaded, setLoaded] = useState<Loaded>({ status: 'loading' });
  // A CSV download or PDF save that failed.
  const [exportError, setExportError] = useState<string | null>(null);
  const [pdfSaved, setPdfSaved] = useState<string | null>(null);
  const [shifts, setShifts] = useState<ShiftView[]>([]);
  const [archives, setArchives] = useState<ArchiveFileView[]>([]);
  /** The archive file the figures come from; null: the live log. */
  const [archive, setArchive] = useState<string | null>(null);
  const source = archive === null ? {} : { archive };
  useEffect(() => {
    callCore('archives.list', {}).then(
      (result) => setArchives(result.archives),
      () => undefined,
    );
  }, []);
  useEffect(() => {
    let current = true;
    setShifts([]);
    if (archive === null)
      callCore('shift.list', { limit: 50 }).then(
        ({ shifts: list }) => current && setShifts(list),
        () => undefined,
      );
    else
      callCore('archives.open', { archive }).then(
        (opened) => {
          if (!current) return;
          setShifts(opened.shifts);
          // The archive's whole span, to begin with.
          if (opened.from !== null && opened.to !== null) choose({ from: opened.from, to: opened.to + 1 });
        },
        (error: unknown) => current && setLoaded({ status: 'failed', error: describeFailureNow(error) }),
      );
    return () => {
      current = false;
    };
    // `choose` (below) is stable: the shifts follow the source only.
  }, [archive]);

  useEffect(() => {
    let current = true;
    setLoaded({ status: 'loading' });
    callCore('figures.get', { ...range, ...(archive === null ? {} : { archive }) }).then(
      (figures) => current && setLoaded({ status: 'ready', figures }),
      (error: unknown) => current && setLoaded({ status: 'failed', error: describeFailureNow(error) }),
    );
    return () => {
      current = false;
    };
  }, [range, archive]);

  const choose = useCallback((next: { from: number; to: number }) => {
    setFromText(formatLocal(next.from));
    setToText(formatLocal(next.to));
    setFormError(null);
    setRange(next);
  }, []);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const from = parseLocal(fromText);
    if (!('time' in from)) return setFormError(from);
    const to = parseLocal(toText);
    if (!('time' in to)) return setFormError(to);
    if (to.time <= from.time) return setFormError({ problem: 'bad-range' });
    setFormError(null);
    setRange({ from: from.time, to: to.time });
  };

  const downloadCsv = async () => {
    setExportError(null);
    try {
      const { csv } = await callCore('figures.csv', { ...range, ...source });
      saveFile(csv, `vigie-figures_${fileStamp(range.from)}_${fileStamp(range.to)}.csv`, 'text/csv;charset=utf-8', dialog.current ?? undefined);
    } catch (error) {
      setExportError(describeFailureNow(error));
    }
  };

  // In the desktop app: a PDF through Electron's printToPDF (the operator picks where); in a browser: its print dialog.
  const print = async () => {
    setExportError(null);
    setPdfSaved(null);
    if (!window.vigieDesktop) return window.print();
    try {
      const { saved } = await window.vigieDesktop.printToPdf({ fileName: `vigie-figures_${fileStamp(range.from)}_${fileStamp(range.to)}.pdf` });
      setPdfSaved(saved);
    } catch (error) {
      setExportError(describeFailureNow(error));
    }
  };

  return (
    <dialog
      ref={dialog}
      className="figures-dialog"
      aria-modal="true"
      aria-labelledby={titleId}
      onKeyDown={onKeyDown}
      onCancel={onCancel}
      data-testid="figures-dialog"
    >
      <header className="figures-header">
        <h2 id={titleId}>
          {t('figures.title')}{' '}
          <span className="figures-range" data-testid="figures-range">
            {t('figures.range', { from: formatLocal(range.from, 'always'), to: formatLocal(range.to, 'always') })}
          </span>
        </h2>
        <div className="figures-actions figures-no-print">
          <button type="button" onClick={() => void downloadCsv()} data-testid="figures-csv">
            {t('figures.csv')}
          </button>
          <button type="button" onClick={() => void print()} data-testid="figures-print">
            {t('figures.print')}
          </button>
          <button type="button" ref={closeButton} onClick={onClose}>
            {t('figures.close')} <kbd>{t('keys.escape')}</kbd>
          </button>
        </div>
      </header>

      <form className="figures-period figures-no-print" onSubmit={submit} aria-label={t('figures.period')}>
        <label>
          {t('figures.from')}
          <input
            type="text"
            value={fromText}
            onChange={(event) => setFromText(event.target.value)}
            aria-describedby={hintId}
            inputMode="numeric"
            size={16}
            data-testid="figures-from"
          />
        </label>
        <label>
          {t('figures.to')}
          <input
            type="text"
            value={toText}
            onChange={(event) => setToText(event.target.value)}
            aria-describedby={hintId}
            inputMode="numeric"
            size={16}
            data-testid="figures-to"
          />
        </label>
        <button type="submit" className="primary">
          {t('figures.show')}
        </button>
        <span className="figures-presets">
          <button type="button" onClick={() => choose(lastHours(12, Date.now()))}>
            {t('figures.last12h')}
          </button>
          <button type="button" onClick={() => choose(lastHours(24, Date.now()))}>
            {t('figures.last24h')}
          </button>
          <button type="button" onClick={() => choose(lastHours(24 * 7, Date.now()))}>
            {t('figures.last7d')}
          </button>
        </span>
        {archives.length > 0 ? (
          <label className="figures-shift">
            {t('figures.source')}
            <select value={archive ?? ''} onChange={(event) => setArchive(event.target.value || null)} data-testid="figures-source">
              <option value="">{t('figures.sourceLive')}</option>
              {archives.map((file) => (
                <option key={file.file} value={file.file}>
                  {t('figures.sourceArchive', { file: file.file })}
                </option>
              ))}
            </select>
          </label>
        ) : null}
        {shifts.length > 0 ? (
          <label className="figures-shift">
            {t('figures.shift')}
            <select
              value=""
              onChange={(event) => {
                const shift = shifts.find((candidate) => String(candidate.id) === event.target.value);
                // +1 ms: the range is [from, to) and the shift's closing event is its own.
                if (shift) choose({ from: shift.openedAt, to: (shift.closedAt ?? Date.now()) + 1 });
              }}
              data-testid="figures-shift"
            >
              <option value="">{t('figures.pickShift')}</option>
              {shifts.map((shift) => (
                <option key={shift.id} value={shift.id}>
                  {t('figures.shiftOption', {
                    id: shift.id,
                    from: formatLocal(shift.openedAt, 'always'),
                    to: shift.closedAt === null ? t('figures.shiftOpen') : formatLocal(shift.closedAt, 'always'),
                    by: shift.openedBy,
                  })}
                </option>
              ))}
            </select>
          </label>
        ) : null}
        <span id={hintId} className="muted figures-hint">
          {t('figures.timeHint')}
        </span>
        {formError ? (
          <p className="form-error" role="alert">
            {periodProblemText(t, formError)}
          </p>
        ) : null}
      </form>
      {exportError ? (
        <p className="form-error figures-no-print" role="alert">
          {t('figures.failed', { error: exportError })}
        </p>
      ) : null}
      {pdfSaved ? (
        <p className="figures-no-print" role="status" data-testid="figures-pdf-saved">
          {t('figures.pdfSaved', { path: pdfSaved })}
        </p>
      ) : null}

      <div aria-live="polite" className="figures-status">
        {loaded.status === 'loading' ? <p className="muted">{t('figures.loading')}</p> : null}
        {loaded.status === 'failed' ? <p className="form-error">{t('figures.failed', { error: loaded.error })}</p> : null}
      </div>
      {loaded.status === 'ready' ? <FiguresBody figures={loaded.figures} /> : null}
    </dialog>
  );
}

function FiguresBody({ figures }: { figures: Figures }) {
  const t = useT();
  const share = (value: number | null) => formatShare(value, t.language);
  const duration = (ms: number | null) => formatDuration(ms, t.language);
  const { alerts, times, incidents, units } = figures;
  const kindLabel = (kind: Figures['alerts']['byKind'][number]['kind']) => t(`alertKind.${kind}`);
  const sectorLabel = (sector: string | null, name: string | null) => (sector === null ? t('figures.noSector') : name ? `${sector} ${name}` : sector);
  const timeRows = [
    { key: 'acknowledge', label: t('figures.time.acknowledge'), value: times.acknowledge },
    { key: 'dispatch', label: t('figures.time.dispatch'), value: times.dispatch },
    { key: 'arrive', label: t('figures.time.arrive'), value: times.arrive },
  ] as const;

  return (
    <>
      {figures.until < figures.to ? <p className="muted figures-until">{t('figures.until', { time: formatLocal(figures.until, 'always') })}</p> : null}
      <div className="figures-body" data-testid="figures-body">
        <section className="figures-card figures-summary" aria-labelledby="figures-summary" data-testid="figures-summary">
          <h3 id="figures-summary">{t('figures.summary')}</h3>
          <ul>
            <li data-testid="figures-alert-total">{t('figures.alertCount', { count: alerts.total })}</li>
            <li data-testid="figures-incident-line">
              {t('figures.incidentLine', { count: incidents.opened, closed: incidents.closed, open: incidents.stillOpen })}
            </li>
            <li data-testid="figures-share">{incidents.share === null ? t('figures.shareNone') : t('figures.shareLine', { share: share(incidents.share) })}</li>
            {incidents.shareOfAttempts !== null ? <li>{t('figures.attemptsLine', { share: share(incidents.shareOfAttempts) })}</li> : null}
            <li data-testid="figures-utilisation">{t('figures.utilisationLine', { share: share(units.overall) })}</li>
            {figures.fusion ? (
              <>
                <li data-testid="figures-identified">
                  {t('figures.identifiedLine', {
                    share: share(figures.fusion.share),
                    identified: figures.fusion.identified,
                    tracks: figures.fusion.radarTracks,
                  })}
                </li>
                <li data-testid="figures-dark">
                  {t('figures.darkLine', {
                    count: figures.fusion.darkContacts.raised,
                    unacknowledged: figures.fusion.darkContacts.unacknowledged,
                    open: figures.fusion.darkContacts.stillOpen,
                  })}
                  {figures.fusion.darkContacts.byOutcome
                    .filter((row) => row.count > 0)
                    .map((row) => ` · ${t(`outcome.${row.outcome}`)} ${t.number(row.count)}`)
                    .join('')}
                </li>
              </>
            ) : null}
          </ul>
        </section>

        <section className="figures-card" aria-labelledby="figures-times" data-testid="figures-times">
          <h3 id="figures-times">{t('figures.times')}</h3>
          <table className="figures-table">
            <thead>
              <tr>
                <th scope="col">{t('figures.measure')}</th>
                <th scope="col">{t('figures.measured')}</th>
                <th scope="col">{t('figures.median')}</th>
                <th scope="col">{t('figures.p90')}</th>
                <th scope="col">{t('figures.incomplete')}</th>
              </tr>
            </thead>
            <tbody>
              {timeRows.map((row) => (
                <tr key={row.key} data-measure={row.key}>
                  <th scope="row">{row.label}</th>
                  <td>{t.number(row.value.count)}</td>
                  <td>{duration(row.value.medianMs)}</td>
                  <td>{duration(row.value.p90Ms)}</td>
                  <td>{t.number(row.value.incomplete)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <BarChart
            label={t('figures.chart', { title: t('figures.times') })}
            series={[t('figures.median'), t('figures.p90')]}
            rows={timeRows.map((row) => ({
              key: row.key,
              label: row.label,
              values: [row.value.medianMs, row.value.p90Ms],
              texts: [duration(row.value.medianMs), duration(row.value.p90Ms)],
            }))}
          />
          <p className="muted figures-note">{t('figures.timesNote')}</p>
        </section>

        <section className="figures-card" aria-labelledby="figures-sectors" data-testid="figures-sectors">
          <h3 id="figures-sectors">{t('figures.alertsBySector')}</h3>
          {alerts.total === 0 ? (
            <p className="muted">{t('figures.noAlerts')}</p>
          ) : (
            <>
              <BarChart
                label={t('figures.chart', { title: t('figures.alertsBySector') })}
                rows={alerts.bySector.map((row) => ({
                  key: row.sector ?? 'none',
                  label: sectorLabel(row.sector, row.name),
                  values: [row.total],
                  texts: [t.number(row.total)],
                }))}
              />
              <table className="figures-table">
                <thead>
                  <tr>
                    <th scope="col">{t('figures.sector')}</th>
                    <th scope="col">{t('figures.alerts')}</th>
                    <th scope="col">{t('figures.kind')}</th>
                  </tr>
                </thead>
                <tbody>
                  {alerts.bySector.map((row) => (
                    <tr key={row.sector ?? 'none'} data-sector={row.sector ?? 'none'}>
                      <th scope="row">{sectorLabel(row.sector, row.name)}</th>
                      <td>{t.number(row.total)}</td>
                      <td>{row.byKind.map(({ kind, count }) => `${kindLabel(kind)} ${t.number(count)}`).join(' · ')}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </>
          )}
        </section>

        <section className="figures-card" aria-labelledby="figures-kinds" data-testid="figures-kinds">
          <h3 id="figures-kinds">{t('figures.alertsByKind')}</h3>
          {alerts.total === 0 ? (
            <p className="muted">{t('figures.noAlerts')}</p>
          ) : (
            <>
              <BarChart
                label={t('figures.chart', { title: t('figures.alertsByKind') })}
                rows={alerts.byKind.map((row) => ({ key: row.kind, label: kindLabel(row.kind), values: [row.count], texts: [t.number(row.count)] }))}
              />
              <table className="figures-table">
                <thead>
                  <tr>
                    <th scope="col">{t('figures.kind')}</th>
                    <th scope="col">{t('figures.alerts')}</th>
                  </tr>
                </thead>
                <tbody>
                  {alerts.byKind.map((row) => (
                    <tr key={row.kind} data-kind={row.kind}>
                      <th scope="row">{kindLabel(row.kind)}</th>
                      <td>{t.number(row.count)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </>
          )}
        </section>

        <section className="figures-card" aria-labelledby="figures-outcomes" data-testid="figures-outcomes">
          <h3 id="figures-outcomes">{t('figures.outcomes')}</h3>
          <BarChart
            label={t('figures.chart', { title: t('figures.outcomes') })}
            rows={incidents.byOutcome.map((row) => ({
              key: row.outcome,
              label: t(`outcome.${row.outcome}`),
              values: [row.count],
              texts: [t.number(row.count)],
            }))}
          />
          <table className="figures-table">
            <thead>
              <tr>
                <th scope="col">{t('figures.outcome')}</th>
                <th scope="col">{t('figures.incidents')}</th>
              </tr>
            </thead>
            <tbody>
              {incidents.byOutcome.map((row) => (
                <tr key={row.outcome} data-outcome={row.outcome}>
                  <th scope="row">{t(`outcome.${row.outcome}`)}</th>
                  <td>{t.number(row.count)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <p>{incidents.share === null ? t('figures.shareNone') : t('figures.shareLine', { share: share(incidents.share) })}</p>
        </section>

        <section className="figures-card figures-wide" aria-labelledby="figures-units" data-testid="figures-units">
          <h3 id="figures-units">{t('figures.units')}</h3>
          {units.list.length === 0 ? (
            <p className="muted">{t('figures.noUnits')}</p>
          ) : (
            <>
              <BarChart
                label={t('figures.chart', { title: t('figures.units') })}
                max={1}
                rows={units.list.map((row) => ({ key: row.unit, label: row.callsign ?? row.unit, values: [row.share], texts: [share(row.share)] }))}
              />
              <table className="figures-table">
                <thead>
                  <tr>
                    <th scope="col">{t('figures.unit')}</th>
                    <th scope="col">{t('figures.type')}</th>
                    <th scope="col">{t('figures.assignments')}</th>
                    <th scope="col">{t('figures.committed')}</th>
                    <th scope="col">{t('figures.share')}</th>
                  </tr>
                </thead>
                <tbody>
                  {units.list.map((row) => (
                    <tr key={row.unit} data-unit={row.unit}>
                      <th scope="row">
                        {row.callsign ?? row.unit} <span className="muted">{row.unit}</span>
                      </th>
                      <td>{row.type ? t(`unitType.${row.type}`) : '—'}</td>
                      <td>{t.number(row.assignments)}</td>
                      <td>{duration(row.committedMs)}</td>
                      <td>{share(row.share)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
              <p className="muted figures-note">{t('figures.unitsNote')}</p>
            </>
          )}
        </section>
      </div>
    </>
  );
}
