// The centre console's frame: the post list (the mirrors' state, as the old
// status page showed it) and the open incidents of all posts beside the
// regional map. The picture is polled once a second.
import { useEffect, useMemo, useState } from 'react';
import type { CentrePicture, CentrePostPicture, CentreSentMessage } from '../../shared/contract';
import { initialLanguage, otherLanguage, saveLanguage } from '../i18n/language';
import { loadBaseMap, type BaseMapData } from '../map/baseMapData';
import { CentreApiError, centreToken, fetchMessages, fetchPicture, type ReplayedPost } from './centreApi';
import { CentreReplay } from './CentreReplay';
import { CentreFiguresPanel } from './CentreFiguresPanel';
import { RequestAssistance } from './RequestAssistance';
import { CentreMap } from './CentreMap';
import { centreTranslator, type CentreT } from './messages';
import { postColours, type PostColour } from './postColours';

const POLL_MS = 1_000;

export function CentreApp() {
  const [language, setLanguage] = useState(initialLanguage);
  const t = useMemo(() => centreTranslator(language), [language]);
  const [token] = useState(centreToken);
  const [picture, setPicture] = useState<CentrePicture | null>(null);
  const [sent, setSent] = useState<CentreSentMessage[]>([]);
  const [pollNow, setPollNow] = useState(0);
  const [replay, setReplay] = useState<ReplayedPost | null>(null);
  const [trouble, setTrouble] = useState<'unauthorized' | 'unreachable' | null>(token ? null : 'unauthorized');
  const [baseMap, setBaseMap] = useState<BaseMapData | null>(null);
  const [focus, setFocus] = useState<{ post: string; at: number } | null>(null);

  useEffect(() => {
    document.documentElement.lang = language;
    document.title = t('title');
  }, [language, t]);
  useEffect(() => {
    void loadBaseMap().then(setBaseMap);
  }, []);
  useEffect(() => {
    if (!token) return;
    let stopped = false;
    let timer: number | undefined;
    const poll = async () => {
      try {
        const [next, messages] = await Promise.all([fetchPicture(token), fetchMessages(token)]);
        if (stopped) return;
        setPicture(next);
        setSent(messages);
        setTrouble(null);
      } catch (error) {
        setTrouble(error instanceof CentreApiError && error.status === 401 ? 'unauthorized' : 'unreachable');
      }
      if (!stopped) timer = window.setTimeout(() => void poll(), POLL_MS);
    };
    void poll();
    return () => {
      stopped = true;
      window.clearTimeout(timer);
    };
  }, [token, pollNow]);

  // A replayed post is drawn as it was at the cursor; the others as they are now.
  const shownPosts = useMemo(
    () => (picture?.posts ?? []).map((post) => (replay && post.post === replay.post ? { ...post, ...replay.picture } : post)),
    [picture, replay],
  );
  const colours = useMemo(() => postColours((picture?.posts ?? []).map((p) => p.post)), [picture]);
  const switchLanguage = () => {
    const next = otherLanguage(language);
    saveLanguage(next);
    setLanguage(next);
  };

  return (
    <div className="centre">
      <header className="centre-header">
        <h1>{t('title')}</h1>
        <span className="centre-connection" data-state={picture?.connection.state ?? 'connecting'}>
          {t(`connection.${picture?.connection.state ?? 'connecting'}` as 'connection.connected')}
        </span>
        {picture && <span className="muted">{t('updated', { time: new Date(picture.at).toLocaleTimeString(language) })}</span>}
        <button type="button" className="centre-language" onClick={switchLanguage} lang={otherLanguage(language)}>
          {t('language')}
        </button>
      </header>
      {trouble && (
        <p role="alert" className="centre-trouble">
          {t(trouble)}
        </p>
      )}
      <main className="centre-body">
        <aside className="centre-side">
          <h2>{t('posts')}</h2>
          {picture && picture.posts.length === 0 && <p className="muted">{t('noPosts')}</p>}
          <ul className="centre-posts">
            {picture?.posts.map((post) => (
              <PostRow key={post.post} post={post} colour={colours.get(post.post)!.colour} t={t} onShow={() => setFocus({ post: post.post, at: Date.now() })} />
            ))}
          </ul>
          <h2>{t('incidents')}</h2>
          <IncidentList posts={picture?.posts ?? []} colours={colours} t={t} />
          {token && <CentreFiguresPanel token={token} t={t} />}
          {token && (
            <CentreReplay token={token} posts={(picture?.posts ?? []).map((p) => p.post)} replay={replay} onReplay={setReplay} t={t} language={language} />
          )}
          {token && (
            <RequestAssistance
              token={token}
              posts={(picture?.posts ?? []).map((p) => p.post)}
              sent={sent}
              onSent={() => setPollNow((n) => n + 1)}
              t={t}
              language={language}
            />
          )}
        </aside>
        {baseMap && <CentreMap baseMap={baseMap} posts={shownPosts} colours={colours} focus={focus} t={t} />}
      </main>
    </div>
  );
}

function PostRow({ post, colour, t, onShow }: { post: CentrePostPicture; colour: string; t: CentreT; onShow(): void }) {
  const mirror = post.mirror;
  return (
    <li className="centre-post" data-post={post.post} data-state={mirror.state} style={{ borderLeftColor: colour }}>
      <button type="button" className="centre-post-name" onClick={onShow} title={t('showPost', { post: post.post })} style={{ color: colour }}>
        {post.post}
      </button>
      <span className={mirror.state === 'following' ? 'centre-post-state' : 'centre-post-state bad'}>{t(`state.${mirror.state}`)}</span>
      <div className="muted centre-post-head">{t('head', { seq: mirror.lastSeq, hash: `${mirror.headHash.slice(0, 12)}…` })}</div>
      <div className="centre-post-counts">{t('counts', { units: post.units.length, tracks: post.tracks.length, incidents: post.incidents.length })}</div>
      {mirror.problem && (
        <div className="bad">{t('problem', { kind: mirror.problem.kind.toUpperCase(), seq: mirror.problem.seq, detail: mirror.problem.detail })}</div>
      )}
      {mirror.foreign.count > 0 && <div className="muted">{t('foreign', { count: mirror.foreign.count })}</div>}
    </li>
  );
}

function IncidentList({ posts, colours, t }: { posts: CentrePostPicture[]; colours: Map<string, PostColour>; t: CentreT }) {
  const incidents = posts.flatMap((post) => post.incidents.map((incident) => ({ post: post.post, incident })));
  if (incidents.length === 0) return <p className="muted">{t('noIncidents')}</p>;
  return (
    <ul className="centre-incidents">
      {incidents
        .sort((a, b) => b.incident.openedAt - a.incident.openedAt)
        .map(({ post, incident }) => (
          <li key={`${post}/${incident.id}`} data-post={post} data-incident={incident.id}>
            <span className="post-tag" style={{ color: colours.get(post)?.colour }}>
              {post}
            </span>{' '}
            {incident.id} {incident.sector ?? ''} · {new Date(incident.openedAt).toISOString().slice(11, 16)}Z
          </li>
        ))}
    </ul>
  );
}
