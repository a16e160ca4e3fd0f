// Replay of any post's shift at the centre: pick a post and one of its
// shifts, move the cursor; the map shows that post's picture at that moment
// (the replay module on its mirror, read-only), the other posts live.
import { useEffect, useRef, useState } from 'react';
import type { ShiftView } from '../../shared/contract';
import { fetchReplay, fetchShifts, type ReplayedPost } from './centreApi';
import type { CentreT } from './messages';
import { SLIDER_STEP_MS, sliderMax } from '../replay/sliderRange';

export function CentreReplay({
  token,
  posts,
  replay,
  onReplay,
  t,
  language,
}: {
  token: string;
  posts: string[];
  replay: ReplayedPost | null;
  onReplay(replay: ReplayedPost | null): void;
  t: CentreT;
  language: string;
}) {
  const [post, setPost] = useState('');
  const [shifts, setShifts] = useState<ShiftView[]>([]);
  const [shift, setShift] = useState<number | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const chosen = posts.includes(post) ? post : (posts[0] ?? '');
  // Only the latest cursor move is shown: answers to earlier ones are dropped.
  const asked = useRef(0);

  useEffect(() => {
    if (!chosen) return;
    let live = true;
    fetchShifts(token, chosen).then(
      (list) => {
        if (!live) return;
        setShifts(list);
        setShift(list[0]?.id ?? null);
      },
      (error: Error) => live && setProblem(error.message),
    );
    return () => {
      live = false;
    };
  }, [token, chosen]);

  const show = (time?: number) => {
    if (shift === null) return;
    const ask = ++asked.current;
    fetchReplay(token, replay?.post ?? chosen, replay?.shift ?? shift, time).then(
      (answer) => {
        if (ask !== asked.current) return;
        setProblem(null);
        onReplay(answer);
      },
      (error: Error) => ask === asked.current && setProblem(error.message),
    );
  };
  const clock = (at: number) => new Date(at).toLocaleString(language);

  return (
    <section className="centre-replay" aria-labelledby="centre-replay-title">
      <h2 id="centre-replay-title">{t('replay.title')}</h2>
      {replay ? (
        <div className="centre-replay-bar" data-post={replay.post} data-shift={replay.shift}>
          <p className="centre-replay-banner" role="status">
            {t('replay.banner', { post: replay.post, shift: replay.shift, time: clock(replay.time) })}
          </p>
          <label>
            {t('replay.cursor')}
            <input
              type="range"
              min={replay.from}
              max={sliderMax(replay.from, replay.to)}
              step={SLIDER_STEP_MS}
              value={replay.time}
              onChange={(event) => show(Number(event.target.value))}
              aria-valuetext={clock(replay.time)}
            />
          </label>
          <div className="muted">
            {clock(replay.from)} – {clock(replay.to)} · seq {replay.seq}
          </div>
          <button
            type="button"
            onClick={() => {
              asked.current += 1;
              onReplay(null);
            }}
          >
            {t('replay.live')}
          </button>
        </div>
      ) : (
        <div className="centre-replay-pick">
          <label>
            {t('message.post')}{' '}
            <select value={chosen} onChange={(event) => setPost(event.target.value)} disabled={posts.length === 0}>
              {posts.map((name) => (
                <option key={name} value={name}>
                  {name}
                </option>
              ))}
            </select>
          </label>
          <label>
            {t('replay.shift')}{' '}
            <select value={shift ?? ''} onChange={(event) => setShift(Number(event.target.value))} disabled={shifts.length === 0}>
              {shifts.map((s) => (
                <option key={s.id} value={s.id}>
                  {t('replay.shiftOption', { id: s.id, by: s.openedBy, at: clock(s.openedAt) })}
                </option>
              ))}
            </select>
          </label>
          <button type="button" disabled={shift === null} onClick={() => show()}>
            {t('replay.start')}
          </button>
        </div>
      )}
      {problem && <p className="bad">{problem}</p>}
    </section>
  );
}
