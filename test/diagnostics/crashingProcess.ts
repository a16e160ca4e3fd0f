// A process that opens its diagnostic log as `vigie serve` does, then dies of
// an uncaught exception (argv: data directory, the "secret" it was told).
import { DiagnosticLog, logCrashes } from '../../electron/diagnostics/diagnosticLog';

const [dataDir, secret] = process.argv.slice(2) as [string, string];
const log = new DiagnosticLog({ dataDir, name: 'core' });
logCrashes(log);
log.redactValue(secret);
log.info('started');
setTimeout(() => {
  throw new Error(`the projection table vanished (while serving #token=${secret})`);
}, 10);
