// Replay mode's controls, above the map: the banner that says it is a replay
// (shift and moment), the shift picker, the chain check, play/pause, speeds,
// and the timeline — activity density, alert marks, and a slider for click,
// drag and keyboard seeking. The map and the panels show the replayed moment
// (the store's replay slice holds it, with the moment, play and speed); the
// core rebuilds it from the log — the live one, or one of the post's archive
// files (read-only, chosen in the bar; a shift the live log sends to its
// archive offers to open that archive).
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { ArchiveFileView, ReplayChain, ReplayTimeline, ShiftView } from '../../shared/contract';
import { callCore } from '../core/activeClient';
import { CoreError } from '../core/coreClient';
import { describeFailureNow } from '../i18n/refusals';
import { useT } from '../i18n/useT';
import { isTypingTarget } from '../keyboard/shortcuts';
import { useConsole } from '../state/store';
import { DEFAULT_REPLAY_SPEED } from '../state/slices/replay';
import { exitReplay } from './replayMode';
import { SLIDER_STEP_MS, sliderMax } from './sliderRange';

export const REPLAY_SPEEDS = [1, 2, 5, 10, 30, 60, 120] as const;
/** Arrow keys step 10 s (with Shift: 1 min); Page Up/Down 10 min. */
const STEP_MS = 10_000;

// The replay slice's actions. Played at 60×, the moment changes every
// animation frame: only the clock and the slider select it, not the whole bar
// (its marks, shift list and speed buttons).
const replayActions = () => useConsole.getState();
const setShift = (shift: number) => replayActions().chooseReplayShift(shift);
const setArchive = (archive: string | null) => replayActions().chooseReplayArchive(archive);
/** Where the replay reads from, as requests name it. */
const archiveParam = (archive: string | null) => (archive === null ? {} : { archive });
const setTime = (next: number | ((previous: number) => number)) => replayActions().setReplayTime(next);
const setPlaying = (next: boolean | ((playing: boolean) => boolean)) => replayActions().setReplayPlaying(next);
const setSpeed = (speed: number) => replayActions().setReplaySpeed(speed);
/** The moment wanted, read when needed rather than rendered. */
const momentWanted = () => replayActions().replay?.time;

export function ReplayBar() {
  const t = useT();
  const [shifts, setShifts] = useState<ShiftView[] | null>(null);
  const shift = useConsole((state) => state.replay?.shift ?? null);
  const archive = useConsole((state) => state.replay?.archive ?? null);
  const [archives, setArchives] = useState<ArchiveFileView[]>([]);
  /** The archive the live log named for the shift asked (a `shift-archived` refusal: its file name), offered to open. */
  const [archivedName, setArchivedIn] = useState<string | null>(null);
  const archivedIn = archivedName === null ? undefined : archives.find((file) => file.file === archivedName || file.file.split('/').pop() === archivedName);
  const [timeline, setTimeline] = useState<ReplayTimeline | null>(null);
  const [chain, setChain] = useState<ReplayChain | null>(null);
  const playing = useConsole((state) => state.replay?.playing ?? false);
  const speed = useConsole((state) => state.replay?.speed ?? DEFAULT_REPLAY_SPEED);
  const [error, setError] = useState<string | null>(null);
  const wanted = useRef<{ shift: number; time: number; archive: string | null } | null>(null);
  const inFlight = useRef(false);

  // The post's archive files (none, or an older core: the live log only).
  useEffect(() => {
    callCore('archives.list', {}).then(
      (result) => setArchives(result.archives),
      () => undefined,
    );
  }, []);

  // The shifts of the log chosen, newest first; the newest closed one is proposed (else the open one).
  useEffect(() => {
    let current = true;
    setShifts(null);
    setError(null);
    setArchivedIn(null);
    const listed =
      archive === null ? callCore('shift.list', { limit: 200 }) : callCore('archives.open', { archive }).then((result) => ({ shifts: result.shifts }));
    listed.then(
      (result) => {
        if (!current) return;
        setShifts(result.shifts);
        const proposed = result.shifts.find((s) => s.closedAt !== null) ?? result.shifts[0];
        if (proposed) setShift(proposed.id);
      },
      (e: unknown) => current && setError(describeFailureNow(e)),
    );
    return () => {
      current = false;
    };
  }, [archive]);

  // A refusal, said; a shift moved to an archive offers that archive (named by its file name).
  const failed = useCallback((e: unknown) => {
    setError(describeFailureNow(e));
    if (e instanceof CoreError && e.reason === 'shift-archived') setArchivedIn(String(e.params?.archive ?? ''));
  }, []);

  // A shift chosen (its picture starts empty, play stopped: chooseReplayShift): its timeline and chain check; start at its beginning.
  useEffect(() => {
    if (shift === null) return;
    setTimeline(null);
    setChain(null);
    setError(null);
    setArchivedIn(null);
    let current = true;
    callCore('replay.timeline', { shift, buckets: 240, ...archiveParam(archive) }).then(
      (result) => {
        if (!current) return;
        setTimeline(result);
        setTime(result.from);
      },
      (e: unknown) => current && failed(e),
    );
    callCore('replay.verify', { shift, ...archiveParam(archive) }).then(
      (result) => current && setChain(result),
      () => undefined,
    );
    return () => {
      current = false;
    };
  }, [shift, archive, failed]);

  // The picture follows the moment: one request at a time, always for the latest moment wanted.
  const load = useCallback(() => {
    const next = wanted.current;
    if (!next || inFlight.current) return;
    inFlight.current = true;
    wanted.current = null;
    callCore('replay.at', { shift: next.shift, time: next.time, ...archiveParam(next.archive) }).then(
      (result) => {
        inFlight.current = false;
        const replay = useConsole.getState().replay;
        if (replay?.shift !== result.shift || replay.archive !== next.archive) return;
        useConsole.getState().showReplayed(result);
        setError(null);
        load();
      },
      (e: unknown) => {
        inFlight.current = false;
        setError(describeFailureNow(e));
      },
    );
  }, []);
  useEffect(() => {
    if (!timeline) return;
    const follow = () => {
      const time = momentWanted();
      if (time === undefined) return; // replay left
      wanted.current = { shift: timeline.shift.id, time, archive };
      load();
    };
    follow();
    return useConsole.subscribe((now, before) => now.replay?.time !== before.replay?.time && follow());
  }, [timeline, load, archive]);

  // Play: the moment moves at `speed` times real time, drawn every animation frame.
  useEffect(() => {
    if (!playing || !timeline) return;
    let last = performance.now();
    let frame = requestAnimationFrame(function tick(now) {
      const elapsed = now - last;
      last = now;
      const next = Math.min(timeline.to, Math.round((momentWanted() ?? timeline.to) + elapsed * speed));
      setTime(next);
      if (next >= timeline.to) setPlaying(false);
      frame = requestAnimationFrame(tick);
    });
    return () => cancelAnimationFrame(frame);
  }, [playing, speed, timeline]);

  const seek = useCallback(
    (to: number) => {
      if (!timeline) return;
      setTime(Math.min(timeline.to, Math.max(timeline.from, Math.round(to))));
    },
    [timeline],
  );

  // Keys anywhere in replay mode (outside text fields and the map): Space, ← →, Home, End, Esc.
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey || isTypingTarget(event.target)) return;
      if (event.target instanceof Element && event.target.closest('.leaflet-container, dialog')) return;
      const step = event.shiftKey ? 6 * STEP_MS : STEP_MS;
      const handled: Record<string, () => void> = {
        ' ': () => setPlaying((p) => !p),
        ArrowLeft: () => setTime((p) => Math.max(timeline?.from ?? p, p - step)),
        ArrowRight: () => setTime((p) => Math.min(timeline?.to ?? p, p + step)),
        PageDown: () => setTime((p) => Math.max(timeline?.from ?? p, p - 60 * STEP_MS)),
        PageUp: () => setTime((p) => Math.min(timeline?.to ?? p, p + 60 * STEP_MS)),
        Home: () => timeline && setTime(timeline.from),
        End: () => timeline && setTime(timeline.to),
        Escape: () => void exitReplay(),
      };
      const action = handled[event.key];
      if (!action) return;
      event.preventDefault();
      action();
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, [timeline]);

  const span = timeline ? Math.max(1, timeline.to - timeline.from) : 1;
  // Played at 60×, the moment changes every animation frame: what does not
  // depend on it (density, alert marks, the shift list) is built once, not per frame.
  const density = useMemo(() => {
    if (!timeline) return null;
    const peak = Math.max(1, ...timeline.density.counts);
    return (
      <svg className="replay-density" viewBox={`0 0 ${timeline.density.counts.length} 100`} preserveAspectRatio="none" aria-hidden="true">
        {timeline.density.counts.map((count, i) => (
          <rect key={i} x={i} width={1} y={100 - (count / peak) * 100} height={(count / peak) * 100} />
        ))}
      </svg>
    );
  }, [timeline]);
  const marks = useMemo(() => {
    if (!timeline) return null;
    const at = (moment: number) => `${(((moment - timeline.from) / span) * 100).toFixed(3)}%`;
    return (
      <div className="replay-marks">
        {timeline.alerts.map((alert) => (
          <button
            key={alert.id}
            type="button"
            tabIndex={-1}
            className={`replay-mark severity-${alert.severity}`}
            style={{ left: at(alert.time) }}
            title={`${alert.id} · ${t.zonedTime(alert.time)}`}
            aria-label={t('replay.mark', { alert: alert.id, time: t.zonedTime(alert.time) })}
            onClick={() => seek(alert.time)}
            data-testid="replay-mark"
            data-alert={alert.id}
          />
        ))}
      </div>
    );
  }, [timeline, span, t, seek]);
  const shiftOptions = useMemo(
    () =>
      (shifts ?? []).map((s) => (
        <option key={s.id} value={s.id}>
          {s.closedAt === null
            ? t('replay.shiftOpen', { shift: s.id, from: t.dateTime(s.openedAt), by: s.openedBy })
            : t('replay.shiftClosed', { shift: s.id, from: t.dateTime(s.openedAt), to: t.zonedTime(s.closedAt), by: s.openedBy })}
        </option>
      )),
    [shifts, t],
  );

  return (
    <section className="replay-bar" aria-label={t('replay.title')} data-testid="replay-bar">
      <div className="replay-banner" role="status" data-testid="replay-banner">
        <strong>{t('replay.banner')}</strong>
        <span>{shift !== null ? t('replay.shift', { shift }) : t('replay.noShift')}</span>
        {archive !== null ? <span data-testid="replay-archive">{t('replay.fromArchive', { file: archive })}</span> : null}
        <ReplayClock active={timeline !== null} />
        <LiveAlertsWaiting />
        <button type="button" className="replay-exit" onClick={() => void exitReplay()} data-testid="replay-exit">
          {t('replay.exit')} <kbd>Esc</kbd>
        </button>
      </div>
      <div className="replay-controls">
        {archives.length > 0 ? (
          <label>
            {t('replay.source')}{' '}
            <select value={archive ?? ''} onChange={(event) => setArchive(event.target.value || null)} data-testid="replay-source">
              <option value="">{t('replay.sourceLive')}</option>
              {archives.map((file) => (
                <option key={file.file} value={file.file}>
                  {t('replay.sourceArchive', { file: file.file })}
                </option>
              ))}
            </select>
          </label>
        ) : null}
        <label>
          {t('replay.pickShift')}{' '}
          <select value={shift ?? ''} onChange={(event) => setShift(Number(event.target.value))} data-testid="replay-shift">
            {shiftOptions}
          </select>
        </label>
        <button type="button" onClick={() => setPlaying((p) => !p)} aria-pressed={playing} disabled={!timeline} data-testid="replay-play">
          {playing ? t('replay.pause') : t('replay.play')} <kbd>{t('replay.space')}</kbd>
        </button>
        <div role="group" aria-label={t('replay.speed')} className="replay-speeds">
          {REPLAY_SPEEDS.map((s) => (
            <button key={s} type="button" aria-pressed={speed === s} onClick={() => setSpeed(s)} data-testid={`replay-speed-${s}`}>
              {s}×
            </button>
          ))}
        </div>
        <span
          className={`replay-chain ${chain ? (chain.ok ? 'ok' : 'broken') : ''}`}
          data-testid="replay-chain"
          role={chain && !chain.ok ? 'alert' : undefined}
        >
          {chain === null
            ? t('replay.chainChecking')
            : chain.ok
              ? t('replay.chainOk', { count: chain.events })
              : t('replay.chainBroken', { seq: chain.firstBadSeq ?? 0, reason: chain.reason ?? '' })}
        </span>
        {archive !== null && shifts === null && !error ? <span className="muted">{t('replay.archiveOpening')}</span> : null}
        {archive !== null && shifts?.length === 0 ? <span className="muted">{t('replay.archiveEmpty')}</span> : null}
        {error ? (
          <span className="replay-error" role="alert" data-testid="replay-error">
            {error}
          </span>
        ) : null}
        {archivedIn ? (
          <button type="button" onClick={() => setArchive(archivedIn.file)} data-testid="replay-open-archive">
            {t('replay.openArchive', { archive: archivedIn.file })}
          </button>
        ) : null}
      </div>
      {timeline ? (
        <div className="replay-timeline">
          {density}
          {marks}
          <ReplaySlider timeline={timeline} seek={seek} />
          <div className="replay-ends">
            <span>{t.zonedTime(timeline.from)}</span>
            <span>{t('replay.alerts', { count: timeline.alerts.length })}</span>
            <span>{t.zonedTime(timeline.to)}</span>
          </div>
        </div>
      ) : null}
    </section>
  );
}

/** The moment and the event shown: the part of the banner that changes every played frame. */
function ReplayClock({ active }: { active: boolean }) {
  const t = useT();
  const time = useConsole((state) => state.replay?.time ?? 0);
  const seq = useConsole((state) => state.replay?.shownSeq ?? null);
  // Inside the banner's status region, but not announced: at 60× it changes every frame.
  return (
    <>
      <span data-testid="replay-time" aria-live="off">
        {active ? t.dateTime(time) : '—'}
      </span>
      {seq !== null ? (
        <span className="replay-seq" aria-live="off">
          {t('replay.event', { seq })}
        </span>
      ) : null}
    </>
  );
}

/** The timeline's slider: click, drag and keys seek. */
function ReplaySlider({ timeline, seek }: { timeline: ReplayTimeline; seek: (to: number) => void }) {
  const t = useT();
  const time = useConsole((state) => state.replay?.time ?? 0);
  return (
    <input
      type="range"
      className="replay-slider"
      min={timeline.from}
      max={sliderMax(timeline.from, timeline.to)}
      step={SLIDER_STEP_MS}
      value={time}
      onChange={(event) => seek(Number(event.target.value))}
      aria-label={t('replay.timeline')}
      aria-valuetext={t.dateTime(time)}
      data-testid="replay-timeline"
    />
  );
}

/** New live alerts raised while this replay is on screen: said at once (role alert), with the way back. */
function LiveAlertsWaiting() {
  const t = useT();
  const count = useConsole((state) => state.replay?.liveAlertsWaiting ?? 0);
  return (
    <span className="replay-live-alerts" role="alert" data-testid="replay-live-alerts">
      {count > 0 ? t('replay.liveAlerts', { count }) : null}
    </span>
  );
}
