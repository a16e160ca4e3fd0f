// Every account made is logged (`operator.created`) by the core, whoever made
// it: the console (first supervisor, a supervisor's `user.add`) or `vigie user
// add` in another process while the core ran or was stopped. The accounts
// table remembers which are logged, so each is logged exactly once.
import { logEvent, type LogEvent } from '../log/eventCatalogue';
import { StorageUnavailableError } from '../log/logWriter';
import type { Accounts } from './accounts';

/**
 * Logs the creation of every account not logged yet. When the log cannot be
 * written now (disk full), the accounts stay unlogged and the next call logs
 * them: the account exists either way, so its creation is not refused for it.
 */
export function logNewAccounts(accounts: Accounts, append: (events: readonly LogEvent<'operator.created'>[]) => unknown): void {
  const fresh = accounts.unlogged();
  if (fresh.length === 0) return;
  try {
    // The operator column names an account: set when a signed-in supervisor made it, not for `vigie user add` or first run.
    append(
      fresh.map((account) => ({
        ...logEvent('operator.created', 'core', { name: account.name, role: account.role, by: account.createdBy }),
        operator: account.createdBy !== null && accounts.find(account.createdBy) ? account.createdBy : null,
      })),
    );
  } catch (error) {
    if (error instanceof StorageUnavailableError) return;
    throw error;
  }
  accounts.markLogged(fresh.map((account) => account.name));
}
