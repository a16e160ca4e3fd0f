// Messages between the Electron main process and the core it starts in a
// utilityProcess (electron/main/main.ts ↔ electron/cli/vigie.ts). Not part of
// the console API: they cross Electron's parent port, never a socket.
import { z } from 'zod';

/** The core → the shell: listening (its loopback port and per-launch secret), or failed to start. */
export const CoreToShellMessage = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('core-ready'), port: z.number().int().min(1).max(65535), token: z.string().min(1) }),
  z.object({ kind: z.literal('core-failed'), message: z.string() }),
]);
export type CoreToShellMessage = z.infer<typeof CoreToShellMessage>;

/** The shell → the core: stop cleanly (the stop is logged) because the desktop app quits. */
export const ShellToCoreMessage = z.discriminatedUnion('kind', [z.object({ kind: z.literal('shutdown') })]);
export type ShellToCoreMessage = z.infer<typeof ShellToCoreMessage>;
