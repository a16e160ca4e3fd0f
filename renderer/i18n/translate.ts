// One translator per language: t(key, params) with interpolation, plurals
// (Intl.PluralRules) and locale numbers; 24-hour local times, with their UTC
// offset where a bare time would be ambiguous (shared/localTime.ts). Plain
// functions, so Leaflet code outside React can use them too.
import { formatLocalDateTime, offsetSuffix } from '../../shared/localTime';
import { en } from './en';
import { fr } from './fr';
import type { Language } from './language';
import type { Message, MessageKey, Messages, ParamsArg } from './messages';

const catalogues: Record<Language, Messages> = { en, fr };

export interface Translator {
  <K extends MessageKey>(key: K, ...params: ParamsArg<K>): string;
  readonly language: Language;
  /** A number in the language's grouping and decimal marks. */
  number(value: number): string;
  /** A time of day, local, 24-hour, with seconds; with its offset in the hour the clocks repeat (02:30:00 UTC+2), where it alone is ambiguous. */
  time(epochMs: number): string;
  /** A time of day, local, 24-hour, with seconds and always its offset: 23:41:03 UTC+1 (replay). */
  zonedTime(epochMs: number): string;
  /** A date and time, local, with its offset, as the console writes it in both languages: 2026-11-26 18:01:33 UTC+1 (replay). */
  dateTime(epochMs: number): string;
}

function createTranslator(language: Language): Translator {
  const messages = catalogues[language];
  const plurals = new Intl.PluralRules(language);
  const numbers = new Intl.NumberFormat(language);
  const times = new Intl.DateTimeFormat(language, { hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' });

  const pick = (message: Message, count: unknown): string => {
    if (typeof message === 'string') return message;
    const category = typeof count === 'number' ? plurals.select(count) : 'other';
    return message[category] ?? message.other;
  };
  const t = <K extends MessageKey>(key: K, ...[params]: ParamsArg<K>): string => {
    const values = (params ?? {}) as Record<string, string | number>;
    const template = pick(messages[key], values.count);
    return template.replace(/\{(\w+)\}/g, (placeholder, name: string) => {
      const value = values[name];
      if (value === undefined) return placeholder;
      return typeof value === 'number' ? numbers.format(value) : value;
    });
  };
  return Object.assign(t, {
    language,
    number: (value: number) => numbers.format(value),
    time: (epochMs: number) => times.format(epochMs) + offsetSuffix(epochMs, 'when-repeated'),
    zonedTime: (epochMs: number) => times.format(epochMs) + offsetSuffix(epochMs, 'always'),
    // Built by hand: cheap enough to run on every played frame of a replay.
    dateTime: (epochMs: number) => formatLocalDateTime(epochMs),
  });
}

const translators = new Map<Language, Translator>();

/** The translator of a language (created once, so its identity is stable). */
export function translatorFor(language: Language): Translator {
  let translator = translators.get(language);
  if (!translator) translators.set(language, (translator = createTranslator(language)));
  return translator;
}
