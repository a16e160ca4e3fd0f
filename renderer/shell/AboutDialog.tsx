// About Vigie: the version, and the notices Vigie owes — every third-party
// package shipped in the app with its licence text (built by tools/build.mjs
// from esbuild's metafiles into third-party-notices.json, served beside the
// bundle), and the open geographic data shipped in assets/ with its licences.
import { useEffect, useId, useState, type MouseEvent } from 'react';
import { callCore } from '../core/activeClient';
import { useT } from '../i18n/useT';
import { useConsole } from '../state/store';
import { useModalDialog } from './useModalDialog';

export interface ThirdPartyNotice {
  name: string;
  version: string;
  license: string;
  homepage: string | null;
  text: string;
}

interface Notices {
  packages: ThirdPartyNotice[];
  dataAttribution: string;
  dataLicences: string;
}

async function loadNotices(): Promise<Notices> {
  const get = async (url: string) => {
    const response = await fetch(url);
    if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
    return response;
  };
  const [packages, attribution, licences] = await Promise.all([
    get('/third-party-notices.json').then((r) => r.json() as Promise<{ notices: ThirdPartyNotice[] }>),
    get('/assets/basemap/attribution.json').then((r) => r.json() as Promise<{ text: string }>),
    get('/assets/LICENSES.md').then((r) => r.text()),
  ]);
  return { packages: packages.notices, dataAttribution: attribution.text, dataLicences: licences };
}

export function AboutDialog({ onClose }: { onClose(): void }) {
  const t = useT();
  const titleId = useId();
  const version = useConsole((state) => state.coreVersion);
  const { dialog, initialFocus: closeButton, onKeyDown, onCancel } = useModalDialog<HTMLButtonElement>(onClose);
  const [notices, setNotices] = useState<Notices | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  // The post's signing key, for whoever checks its evidence files (signed-in consoles only).
  const signedIn = useConsole((state) => state.access === 'signed-in');
  const [identity, setIdentity] = useState<{ post: string; fingerprint: string } | null>(null);

  useEffect(() => {
    loadNotices().then(setNotices, (error: unknown) => setFailure(error instanceof Error ? error.message : String(error)));
  }, []);
  useEffect(() => {
    if (signedIn) callCore('post.identity', {}).then(setIdentity, () => undefined);
  }, [signedIn]);

  const onClick = (event: MouseEvent<HTMLDialogElement>) => {
    if (event.target === event.currentTarget) onClose();
  };

  return (
    <dialog
      ref={dialog}
      className="help-dialog about-dialog"
      aria-modal="true"
      aria-labelledby={titleId}
      onKeyDown={onKeyDown}
      onCancel={onCancel}
      onClose={onClose}
      onClick={onClick}
      data-testid="about-dialog"
    >
      <div className="help-content">
        <header className="help-header">
          <h2 id={titleId}>{t('about.title')}</h2>
          <button type="button" ref={closeButton} className="help-close" onClick={onClose}>
            {t('help.close')} <kbd>{t('keys.escape')}</kbd>
          </button>
        </header>
        <p className="muted help-intro">{version ? t('about.version', { version }) : null}</p>
        {identity ? (
          <p data-testid="about-post-key" title={t('about.postKeyTitle')}>
            {t('about.postKey', { post: identity.post })} <code className="about-fingerprint">{identity.fingerprint}</code>
          </p>
        ) : null}
        {failure ? (
          <p role="alert">{t('about.failed', { error: failure })}</p>
        ) : notices === null ? (
          <p className="muted">{t('about.loading')}</p>
        ) : (
          <>
            <section aria-labelledby={`${titleId}-software`}>
              <h3 id={`${titleId}-software`}>{t('about.software')}</h3>
              <p className="muted">{t('about.softwareIntro', { count: notices.packages.length })}</p>
              <ul className="about-notices" data-testid="about-packages">
                {notices.packages.map((notice) => (
                  <li key={notice.name} data-package={notice.name}>
                    <details>
                      <summary>
                        {notice.name} {notice.version} <span className="muted">— {notice.license}</span>
                      </summary>
                      <pre className="about-licence">{notice.text}</pre>
                    </details>
                  </li>
                ))}
              </ul>
            </section>
            <section aria-labelledby={`${titleId}-data`}>
              <h3 id={`${titleId}-data`}>{t('about.data')}</h3>
              <p data-testid="about-data-attribution">{notices.dataAttribution}</p>
              <details>
                <summary>{t('about.dataDetails')}</summary>
                <pre className="about-licence">{notices.dataLicences}</pre>
              </details>
            </section>
          </>
        )}
      </div>
    </dialog>
  );
}
