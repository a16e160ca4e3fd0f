// What the desktop app does at start (issue 15): run its own post (optionally
// open to the room at --room HOST:PORT) or join a post's room address as a
// seat (--join HOST:PORT [--fingerprint AA:BB:…]). The command line wins over
// the saved settings (desktop-settings.json in userData), which the Settings
// window edits. Plain Node (no electron import), so it is unit-tested.
import { readFile } from 'node:fs/promises';
import { DEFAULT_SETTINGS, DesktopSettings, normaliseFingerprint } from '../../shared/desktopSettings';
import { formatHostPort, parseHostPort, type HostPort } from '../../shared/hostPort';
import { describeIssues } from '../../shared/contract';
import { writeJsonAtomically } from './postTrust';

export const SETTINGS_FILE = 'desktop-settings.json';

export type LaunchPlan =
  | { mode: 'own'; room: HostPort | null }
  /** `address` is the canonical HOST:PORT (the key of its pin); `fingerprint` what the operator said to expect, if anything. */
  | { mode: 'join'; post: HostPort; address: string; fingerprint: string | null };

/** A command line the app cannot act on: said in one sentence, before any window opens. */
export class LaunchArgumentError extends Error {}

/** Value of `--name VALUE` or `--name=VALUE`. */
export function argValue(argv: readonly string[], name: string): string | undefined {
  const index = argv.indexOf(name);
  if (index >= 0) return argv[index + 1];
  return argv.find((arg) => arg.startsWith(`${name}=`))?.slice(name.length + 1);
}

function hasArg(argv: readonly string[], name: string): boolean {
  return argv.includes(name) || argv.some((arg) => arg.startsWith(`${name}=`));
}

function address(value: string | undefined, flag: string): HostPort {
  const parsed = value === undefined || value.startsWith('--') ? null : parseHostPort(value);
  if (!parsed) throw new LaunchArgumentError(`${flag} is HOST:PORT (e.g. 192.168.10.5:8443, or [::1]:8443), got ${JSON.stringify(value ?? '')}`);
  return parsed;
}

/** The plan from the command line if it says one (--join or --room), else from the settings. */
export function launchPlan(argv: readonly string[], settings: DesktopSettings): LaunchPlan {
  const joining = hasArg(argv, '--join');
  const rooming = hasArg(argv, '--room');
  const fingerprintArg = hasArg(argv, '--fingerprint') ? (argValue(argv, '--fingerprint') ?? '') : undefined;
  if (joining && rooming) throw new LaunchArgumentError('--join and --room cannot go together: a seat that joins a post runs no post of its own');
  if (fingerprintArg !== undefined && !joining) throw new LaunchArgumentError('--fingerprint goes with --join HOST:PORT');
  // --demo is what `npm start` always passes; --join simply runs no demo. A port, though, would be silently ignored.
  if (joining && hasArg(argv, '--port')) throw new LaunchArgumentError('--port is the port of this machine’s own post; --join runs none');
  if (joining) {
    const post = address(argValue(argv, '--join'), '--join');
    let fingerprint: string | null = null;
    if (fingerprintArg !== undefined) {
      fingerprint = normaliseFingerprint(fingerprintArg);
      if (!fingerprint)
        throw new LaunchArgumentError(`--fingerprint is the 32-byte SHA-256 the post printed (AA:BB:… , 64 hex digits), got ${JSON.stringify(fingerprintArg)}`);
    }
    return { mode: 'join', post, address: formatHostPort(post), fingerprint };
  }
  if (rooming) return { mode: 'own', room: address(argValue(argv, '--room'), '--room') };
  // --demo always runs the demo post, whatever the settings say.
  if (settings.mode === 'join' && settings.join && !hasArg(argv, '--demo')) {
    const post = parseHostPort(settings.join.address)!; // the schema checked it
    return { mode: 'join', post, address: formatHostPort(post), fingerprint: settings.join.fingerprint };
  }
  return { mode: 'own', room: settings.room === null ? null : parseHostPort(settings.room) };
}

/** What the command line overrides, for the Settings window ("started with --join …"); null when it overrides nothing. */
export function commandLineOverride(argv: readonly string[]): string | null {
  const flags = ['--join', '--fingerprint', '--room'].filter((flag) => hasArg(argv, flag));
  return flags.length === 0 ? null : flags.map((flag) => `${flag} ${argValue(argv, flag) ?? ''}`.trim()).join(' ');
}

/** desktop-settings.json: missing means the defaults (own post, loopback only); a damaged file is an error naming what is wrong. */
export async function readSettings(file: string): Promise<DesktopSettings> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return DEFAULT_SETTINGS;
    throw error;
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new Error(`${file} is not JSON: fix it, or delete it to start from the defaults`);
  }
  const parsed = DesktopSettings.safeParse(value);
  if (!parsed.success) throw new Error(`${file}: ${describeIssues(parsed.error)}; fix it, or delete it to start from the defaults`);
  return parsed.data;
}

/** Checks the settings (the page's word is not trusted) and writes them; the problem in one sentence if they are wrong. */
export async function writeSettings(file: string, candidate: unknown): Promise<{ saved: true } | { saved: false; problem: string }> {
  const parsed = DesktopSettings.safeParse(candidate);
  if (!parsed.success) return { saved: false, problem: describeIssues(parsed.error) };
  const settings = parsed.data;
  if (settings.mode === 'join' && settings.join === null) return { saved: false, problem: 'join: the post’s HOST:PORT is needed to join it' };
  await writeJsonAtomically(file, settings);
  return { saved: true };
}
