// Words the core's refusals in the operator's language. Every reason code of
// shared/contract/refusals.ts has a `refusal.<reason>` message in en.ts (and
// so in fr.ts), whose placeholders are among the reason's params: both are
// checked at compile time below, so a new reason does not compile until it is
// worded in both languages. Params that are codes themselves (a role, a map
// pack problem, a storage problem) are worded too.
import { Role } from '../../shared/domain';
import { isRefusalReason, refusalParamsOf, type RefusalParams, type RefusalReason } from '../../shared/contract';
import { CoreError } from '../core/coreClient';
import type { en } from './en';
import type { MessageKey, PlaceholderNames } from './messages';
import { useConsole } from '../state/store';
import { translatorFor, type Translator } from './translate';

type English = typeof en;
type RefusalKey<R extends RefusalReason> = `refusal.${R}`;

/** Reasons without an English (hence French) wording: never, or the names of those missing. */
type Unworded = Exclude<RefusalKey<RefusalReason>, MessageKey>;
export const everyReasonIsWorded: [Unworded] extends [never] ? true : Unworded = true;

/** Reasons whose wording names a placeholder that is not one of its params. */
type BadPlaceholders = {
  [R in RefusalReason]: RefusalKey<R> extends MessageKey
    ? [Exclude<PlaceholderNames<English[RefusalKey<R>]>, keyof RefusalParams<R>>] extends [never]
      ? never
      : R
    : never;
}[RefusalReason];
export const placeholdersAreParams: [BadPlaceholders] extends [never] ? true : BadPlaceholders = true;

/** The refusal in the operator's words; undefined when the params do not fit the reason (a core of another version). */
export function wordRefusal(t: Translator, reason: RefusalReason, rawParams: unknown): string | undefined {
  const params = refusalParamsOf(reason, rawParams) as Record<string, string | number> | undefined;
  if (!params) return undefined;
  const values = { ...params };
  if (reason === 'forbidden-for-role' && Role.safeParse(values.role).success) values.role = t(`role.${Role.parse(values.role)}`);
  if (reason === 'map-pack-problem') values.problem = t(`packProblem.${params.problem as RefusalParams<'map-pack-problem'>['problem']}`);
  if (reason === 'archive-unreadable') values.problem = t(`archiveProblem.${params.problem as RefusalParams<'archive-unreadable'>['problem']}`);
  if (reason === 'storage-unavailable') values.problem = t(params.problem === 'disk-full' ? 'storage.diskFull' : 'storage.locked');
  // The checks above make this key and these params right for every reason.
  return (t as (key: MessageKey, params: Record<string, string | number>) => string)(`refusal.${reason}`, values);
}

/**
 * What went wrong, for the operator: a core refusal in their language; a lost
 * connection or a mismatched core said plainly; anything else as it came.
 */
export function describeFailure(t: Translator, error: unknown): string {
  if (error instanceof CoreError) {
    if (isRefusalReason(error.reason)) return wordRefusal(t, error.reason, error.params) ?? error.message;
    if (error.code === 'disconnected') return t('error.disconnected');
    if (error.code === 'contract') return t('error.contract');
  }
  return error instanceof Error ? error.message : String(error);
}

/** describeFailure in the console's current language, for code outside React's render (actions, effects). */
export function describeFailureNow(error: unknown): string {
  return describeFailure(translatorFor(useConsole.getState().language), error);
}
