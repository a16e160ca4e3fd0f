// The one logger: plain lines on stderr, so stdout stays free for the
// command's own output (the console address, exports). It never receives the
// per-launch secret: callers log addresses without their #token fragment.
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

const order: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export interface Logger {
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export function createLogger(
  level: LogLevel = (process.env.VIGIE_LOG_LEVEL as LogLevel | undefined) ?? 'info',
  write = (line: string) => process.stderr.write(line),
): Logger {
  const threshold = order[level] ?? order.info;
  const emit = (at: LogLevel, message: string) => {
    if (order[at] < threshold) return;
    write(`${new Date().toISOString()} ${at.toUpperCase().padEnd(5)} ${message}\n`);
  };
  return {
    debug: (m) => emit('debug', m),
    info: (m) => emit('info', m),
    warn: (m) => emit('warn', m),
    error: (m) => emit('error', m),
  };
}

export const silentLogger: Logger = { debug() {}, info() {}, warn() {}, error() {} };

/** One logger writing to several (the serve command's stderr lines and its diagnostic file). */
export function teeLogger(...loggers: Logger[]): Logger {
  return {
    debug: (m) => loggers.forEach((logger) => logger.debug(m)),
    info: (m) => loggers.forEach((logger) => logger.info(m)),
    warn: (m) => loggers.forEach((logger) => logger.warn(m)),
    error: (m) => loggers.forEach((logger) => logger.error(m)),
  };
}
