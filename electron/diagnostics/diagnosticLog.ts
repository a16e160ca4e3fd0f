// The diagnostic log: what a process did and why it failed, for whoever
// maintains the post (not evidence — that is the event log). The core and
// the desktop shell each write one JSON-lines file through pino in
// `DATA/logs/` (vigie-core.log, vigie-desktop.log), rotated by size. The
// destination is synchronous (sonic-boom with sync: true), not a worker
// transport: a line is on disk when the call returns, so a crash leaves its
// reason there, and the bundles need no worker files. Secrets never reach
// the file: the per-launch console secret and any `token=`, `Bearer` or
// `vigie.token.` value in a message are replaced, and fields named like a
// secret (password, token, secret…) are censored by pino's redaction.
import fs from 'node:fs';
import path from 'node:path';
import pino from 'pino';
import type { SonicBoom } from 'sonic-boom';

export type DiagnosticLevel = 'debug' | 'info' | 'warn' | 'error';

export interface DiagnosticLogOptions {
  /** The data directory; the file goes in its logs/ folder. */
  dataDir: string;
  /** `core` or `desktop`: the file is logs/vigie-NAME.log. */
  name: string;
  level?: DiagnosticLevel;
  /** Rotate when the file would pass this size (default 5 MiB). */
  maxBytes?: number;
  /** Files kept besides the current one: vigie-NAME.1.log (newest) … vigie-NAME.K.log (default 4). */
  keep?: number;
}

export const REDACTED = '[redacted]';

/** Field names whose values never reach the file, at the top level or one level down. */
const SECRET_FIELDS = ['password', 'passphrase', 'secret', 'token', 'authorization', 'cookie'];
const REDACT_PATHS = SECRET_FIELDS.flatMap((field) => [field, `*.${field}`]);

/** Secrets as they appear inside text: the console address's fragment, a bearer header, the WebSocket subprotocol. */
const SECRET_PATTERNS: [RegExp, string][] = [
  [/(token=)[^\s&#"']+/gi, `$1${REDACTED}`],
  [/(Bearer\s+)[^\s"',]+/gi, `$1${REDACTED}`],
  [/(vigie\.token\.)[^\s,"']+/gi, `$1${REDACTED}`],
  [/((?:password|passphrase|secret)\s*[=:]\s*)[^\s,"']+/gi, `$1${REDACTED}`],
];

export function diagnosticLogFile(dataDir: string, name: string): string {
  return path.join(dataDir, 'logs', `vigie-${name}.log`);
}

export class DiagnosticLog {
  readonly file: string;
  private readonly pino: pino.Logger;
  private readonly destination: SonicBoom;
  private readonly maxBytes: number;
  private readonly keep: number;
  private readonly secrets = new Set<string>();
  private size: number;
  private closed = false;

  constructor(options: DiagnosticLogOptions) {
    this.file = diagnosticLogFile(options.dataDir, options.name);
    this.maxBytes = options.maxBytes ?? 5 * 1024 * 1024;
    this.keep = Math.max(1, options.keep ?? 4);
    fs.mkdirSync(path.dirname(this.file), { recursive: true });
    this.size = fileSize(this.file);
    this.destination = pino.destination({ dest: this.file, sync: true, append: true });
    // pino writes each line through this object: it counts the bytes and rotates before a line would overflow the file.
    const sink = { write: (line: string) => this.write(line) };
    this.pino = pino(
      {
        level: options.level ?? 'info',
        base: { process: options.name, pid: process.pid },
        timestamp: pino.stdTimeFunctions.isoTime,
        redact: { paths: REDACT_PATHS, censor: REDACTED },
        formatters: { level: (label) => ({ level: label }) },
      },
      sink,
    );
  }

  /** A value that must never appear in the file (the per-launch console secret). */
  redactValue(secret: string): void {
    if (secret.length >= 8) this.secrets.add(secret);
  }

  /** A message with every known secret replaced. */
  scrub(text: string): string {
    let out = text;
    for (const secret of this.secrets) out = out.split(secret).join(REDACTED);
    for (const [pattern, replacement] of SECRET_PATTERNS) out = out.replace(pattern, replacement);
    return out;
  }

  debug(message: string, fields?: Record<string, unknown>): void {
    this.log('debug', message, fields);
  }
  info(message: string, fields?: Record<string, unknown>): void {
    this.log('info', message, fields);
  }
  warn(message: string, fields?: Record<string, unknown>): void {
    this.log('warn', message, fields);
  }
  error(message: string, fields?: Record<string, unknown>): void {
    this.log('error', message, fields);
  }

  /** The reason a process is about to die: its message and stack, on disk before this returns. */
  fatal(message: string, error: unknown): void {
    if (this.closed) return;
    const reason =
      error instanceof Error
        ? { name: error.name, message: this.scrub(error.message), stack: this.scrub(error.stack ?? '') }
        : { value: this.scrub(String(error)) };
    this.pino.fatal({ reason }, this.scrub(message));
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.destination.flushSync();
    this.destination.end();
  }

  private log(level: DiagnosticLevel, message: string, fields?: Record<string, unknown>): void {
    if (this.closed) return;
    if (fields) this.pino[level](fields, this.scrub(message));
    else this.pino[level](this.scrub(message));
  }

  private write(line: string): void {
    const bytes = Buffer.byteLength(line);
    if (this.size > 0 && this.size + bytes > this.maxBytes) this.rotate();
    this.destination.write(line);
    this.size += bytes;
  }

  /** vigie-NAME.log → .1.log → … → .K.log; the oldest is dropped. A rotation that fails keeps writing to the current file. */
  private rotate(): void {
    try {
      this.destination.flushSync();
      const numbered = (n: number) => this.file.replace(/\.log$/, `.${n}.log`);
      fs.rmSync(numbered(this.keep), { force: true });
      for (let n = this.keep - 1; n >= 1; n--) if (fs.existsSync(numbered(n))) fs.renameSync(numbered(n), numbered(n + 1));
      fs.renameSync(this.file, numbered(1));
      this.destination.reopen();
      this.size = 0;
    } catch {
      // A full disk or a file held open elsewhere (Windows): the log grows past its size instead of losing lines.
      this.size = fileSize(this.file);
    }
  }
}

function fileSize(file: string): number {
  try {
    return fs.statSync(file).size;
  } catch {
    return 0;
  }
}

/**
 * An uncaught exception or unhandled rejection: its reason goes to the
 * diagnostic log (synchronously) and to stderr, then the process exits with
 * `exitCode` — after such an error its state cannot be trusted.
 */
export function logCrashes(log: DiagnosticLog, options: { exitCode?: number; onCrash?: (message: string) => void } = {}): void {
  const crash = (kind: string) => (error: unknown) => {
    const message = `${kind}: ${error instanceof Error ? error.message : String(error)}`;
    try {
      log.fatal(message, error);
      log.close();
    } finally {
      process.stderr.write(`vigie: ${log.scrub(message)} (see ${log.file})\n`);
      options.onCrash?.(message);
      process.exit(options.exitCode ?? 70);
    }
  };
  process.on('uncaughtException', crash('uncaught exception'));
  process.on('unhandledRejection', crash('unhandled rejection'));
}
