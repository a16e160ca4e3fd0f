// Entry of the Settings window's page (bundled alone as dist/renderer/settings/settings.js).
import { createRoot } from 'react-dom/client';
import { initialLanguage } from '../i18n/language';
import { translatorFor } from '../i18n/translate';
import { SettingsPage } from './SettingsPage';
import './settings.css';

const t = translatorFor(initialLanguage());
document.documentElement.lang = t.language;
document.title = `Vigie — ${t('settings.title')}`;
const bridge = window.vigieSettings;
const root = createRoot(document.getElementById('root')!);
// Outside the desktop app there is no bridge, so nothing to show.
root.render(bridge ? <SettingsPage bridge={bridge} t={t} /> : <p>{t('settings.loadFailed', { problem: 'no desktop bridge' })}</p>);
