// Entering and leaving replay mode. The state is the store's replay slice
// (state/slices/replay.ts): while it is on, the map and the panels show the
// replayed picture and the live one goes on being updated beside it, so
// leaving shows the live picture as it is now, at once. A new live alert
// still sounds (main.tsx) and the replay bar counts them.
import { callCore } from '../core/activeClient';
import { useConsole } from '../state/store';

export function enterReplay(): void {
  useConsole.getState().enterReplay();
}

export function exitReplay(): void {
  if (!useConsole.getState().replay) return;
  useConsole.getState().leaveReplay();
  // The core drops this console's replay cursor.
  callCore('replay.close', {}).catch(() => undefined);
}
