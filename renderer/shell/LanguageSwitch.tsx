// EN | FR in the top bar: two toggle buttons, the pressed one is the
// language on screen (L switches too).
import { LANGUAGES } from '../i18n/language';
import { useT } from '../i18n/useT';
import { useConsole } from '../state/store';

export function LanguageSwitch() {
  const t = useT();
  const setLanguage = useConsole((state) => state.setLanguage);
  return (
    <div className="segmented" role="group" aria-label={t('language.group')} data-testid="language-switch">
      {LANGUAGES.map((language) => (
        <button
          key={language}
          type="button"
          aria-pressed={t.language === language}
          title={t(`language.${language}`)}
          data-language={language}
          onClick={() => setLanguage(language)}
        >
          {language.toUpperCase()}
        </button>
      ))}
    </div>
  );
}
