// The shape every language's messages must have, derived from English: the
// same keys, text where English has text, plural forms where English has
// them, and the same {placeholders}. Also the typed parameters of t().
import type { en } from './en';

/** Plural forms by CLDR category (Intl.PluralRules); `other` is the fallback. */
export interface Plural {
  readonly zero?: string;
  readonly one?: string;
  readonly two?: string;
  readonly few?: string;
  readonly many?: string;
  readonly other: string;
}
export type Message = string | Plural;

type English = typeof en;
export type MessageKey = keyof English;

/** What a translation must provide: each English key, as text or as plural forms. */
export type Messages = { readonly [K in MessageKey]: English[K] extends string ? string : Plural };

/** `{name}` placeholders of one template. */
type PlaceholdersOf<S> = S extends `${string}{${infer Name}}${infer Rest}` ? Name | PlaceholdersOf<Rest> : never;
/** Placeholders of a message; a plural message always takes `count`. */
export type PlaceholderNames<M> = M extends string ? PlaceholdersOf<M> : M extends Plural ? 'count' | PlaceholdersOf<M[keyof M]> : never;

/** Parameters of t(key): every placeholder English uses; `count` is a number. */
export type Params<K extends MessageKey> = { readonly [P in PlaceholderNames<English[K]>]: P extends 'count' ? number : string | number };
export type ParamsArg<K extends MessageKey> = [PlaceholderNames<English[K]>] extends [never] ? [] : [params: Params<K>];

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
/** Keys whose placeholders differ from English's (never when all match). */
export type PlaceholderMismatches<T extends Record<MessageKey, Message>> = {
  [K in MessageKey]: Same<PlaceholderNames<T[K]>, PlaceholderNames<English[K]>> extends true ? never : K;
}[MessageKey];

/** Keys of messages without placeholders: the kind a table of labels may hold. */
export type PlainMessageKey = { [K in MessageKey]: [PlaceholderNames<English[K]>] extends [never] ? K : never }[MessageKey];
