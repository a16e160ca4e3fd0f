// The hook components use to speak the operator's language: re-renders the
// component when the language changes.
import { useConsole } from '../state/store';
import { translatorFor, type Translator } from './translate';

export function useT(): Translator {
  return translatorFor(useConsole((state) => state.language));
}
