// Electron main process: a thin shell. It starts the core in a utilityProcess
// (a crash or a long SQLite write there never freezes the window), opens one
// hardened window on the core's loopback origin, hands the window the core's
// per-launch token over a checked IPC channel, and owns the menu.
// Everything else (data, feeds, dispatch, the HTTP API) lives in the core.
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import readline from 'node:readline';
import {
  app,
  BrowserWindow,
  dialog,
  ipcMain,
  Menu,
  session,
  utilityProcess,
  type IpcMainInvokeEvent,
  type MenuItemConstructorOptions,
  type UtilityProcess,
} from 'electron';
import { CORE_TOKEN_CHANNEL, PRINT_TO_PDF_CHANNEL, type PrintToPdfResult } from '../../shared/desktopBridge';
import { CoreToShellMessage, type ShellToCoreMessage } from '../../shared/contract';
import { shellTextFor, type ShellText } from './shellText';
import { DiagnosticLog, logCrashes } from '../diagnostics/diagnosticLog';

const CORE_READY_TIMEOUT_MS = 30_000; // generous: a first start may migrate a large log
const CORE_STOP_TIMEOUT_MS = 5_000;
const BACKGROUND = '#0b1220';

interface CoreEndpoint {
  port: number;
  token: string;
  origin: string; // exactly "http://127.0.0.1:PORT"
}

interface Core {
  child: UtilityProcess;
  endpoint?: CoreEndpoint; // set once 'core-ready' arrived
  exited: Promise<number>;
}

// ---------------------------------------------------------------- arguments

/** Value of `--name VALUE` or `--name=VALUE` on our command line. */
function argValue(name: string): string | undefined {
  const argv = process.argv;
  const index = argv.indexOf(name);
  if (index >= 0) return argv[index + 1];
  return argv.find((arg) => arg.startsWith(`${name}=`))?.slice(name.length + 1);
}

function parsePort(raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new Error(`--port must be an integer between 0 and 65535 (got "${raw}").`);
  }
  return port;
}

const dataArg = argValue('--data');
/** `--demo`: a separate data directory, fed by the night simulator (what `npm start` opens). */
const demo = process.argv.includes('--demo');
// Named explicitly: a dev run (`electron dist/electron/main.cjs`) has no
// package.json beside it and would otherwise be called "Electron".
app.setName('Vigie');
// userData holds the Chromium profile and the single-instance lock. By default
// it is <appData>/Vigie, the very folder `vigie serve` uses as its data dir.
// With --data, one profile (so one lock) per data directory: two windows on
// one log would be wrong, two logs side by side are fine, and a test run never
// touches the operator's own profile.
app.setPath('userData', dataArg !== undefined ? path.join(path.resolve(dataArg), 'desktop-profile') : path.join(app.getPath('appData'), 'Vigie'));

// ---------------------------------------------------------------- state

let core: Core | undefined;
let simulator: UtilityProcess | undefined;
let mainWindow: BrowserWindow | undefined;
let quitState: 'running' | 'stopping-core' | 'ready-to-quit' = 'running';
/** DATA/logs/vigie-desktop.log (docs/faults.md#the-diagnostic-log): opened once this instance holds its lock. */
let diagnostics: DiagnosticLog | undefined;

/** A line for whoever maintains the post: on stderr and in the diagnostic file. */
function report(level: 'info' | 'warn' | 'error', message: string): void {
  if (level !== 'info') console.error(`[vigie-desktop] ${redact(message)}`);
  diagnostics?.[level](redact(message));
}

function coreOrigin(): string | undefined {
  return core?.endpoint?.origin;
}

/** True for http://127.0.0.1:PORT/... and ws://127.0.0.1:PORT/... of the running core, nothing else. */
function isCoreUrl(raw: string): boolean {
  const origin = coreOrigin();
  if (!origin) return false;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return false;
  }
  if (url.protocol === 'http:') return url.origin === origin;
  if (url.protocol === 'ws:') return `http://${url.host}` === origin;
  return false;
}

// ---------------------------------------------------------------- core process

/** The core prints its address with `#token=SECRET`; the token must never reach our logs. */
function redact(line: string): string {
  let out = line.replace(/(token=)[^\s&#"']+/gi, '$1<redacted>');
  const token = core?.endpoint?.token;
  if (token) out = out.split(token).join('<redacted>');
  return out;
}

function forwardOutput(from: NodeJS.ReadableStream | null, to: NodeJS.WriteStream): void {
  if (!from) return;
  readline.createInterface({ input: from, crlfDelay: Infinity }).on('line', (line) => {
    to.write(`${redact(line)}\n`);
  });
}

/** Forks the core and resolves once it reports 'core-ready' (rejects on 'core-failed', early exit or timeout). */
function startCore(dataDir: string, port: number | undefined): Promise<CoreEndpoint> {
  const child = utilityProcess.fork(path.join(__dirname, '../cli/vigie.cjs'), ['serve', '--data', dataDir, '--port', String(port ?? 0)], {
    serviceName: 'Vigie core',
    stdio: 'pipe',
  });
  const current: Core = {
    child,
    exited: new Promise((resolve) => child.once('exit', resolve)),
  };
  core = current;
  forwardOutput(child.stdout, process.stdout);
  forwardOutput(child.stderr, process.stderr);
  void current.exited.then((code) => onCoreExit(current, code));

  return new Promise<CoreEndpoint>((resolve, reject) => {
    const fail = (message: string): void => {
      cleanup();
      child.kill();
      reject(new Error(message));
    };
    const timer = setTimeout(() => fail(words().coreNotReady(CORE_READY_TIMEOUT_MS / 1000)), CORE_READY_TIMEOUT_MS);
    const onMessage = (raw: unknown): void => {
      const parsed = CoreToShellMessage.safeParse(raw);
      if (!parsed.success) return;
      const message = parsed.data;
      if (message.kind === 'core-ready') {
        cleanup();
        current.endpoint = {
          port: message.port,
          token: message.token,
          origin: new URL(`http://127.0.0.1:${message.port}`).origin,
        };
        diagnostics?.redactValue(message.token);
        report('info', `core ready on ${current.endpoint.origin}, data in ${dataDir}`);
        resolve(current.endpoint);
      } else {
        fail(message.message || words().coreStartFailed);
      }
    };
    const onEarlyExit = (code: number): void => fail(words().coreExitedEarly(code));
    function cleanup(): void {
      clearTimeout(timer);
      child.off('message', onMessage);
      child.off('exit', onEarlyExit);
    }
    child.on('message', onMessage);
    child.once('exit', onEarlyExit);
  });
}

/**
 * The demo's night simulator: its own utilityProcess, speaking to the core
 * only through the feed sockets. The core's address (with its token) goes in
 * the environment, never on a command line.
 */
function startDemoSimulator(endpoint: CoreEndpoint): void {
  simulator?.kill();
  simulator = utilityProcess.fork(path.join(__dirname, '../cli/vigie.cjs'), ['simulate'], {
    serviceName: 'Vigie demo simulator',
    stdio: 'pipe',
    env: { ...process.env, VIGIE_CORE_URL: `${endpoint.origin}/#token=${endpoint.token}` },
  });
  forwardOutput(simulator.stdout, process.stdout);
  forwardOutput(simulator.stderr, process.stderr);
}

/** Asks the core to stop (it logs its stop event), then kills it if it has not exited in time. */
async function stopCore(): Promise<void> {
  simulator?.kill();
  simulator = undefined;
  const current = core;
  if (!current || current.child.pid === undefined) return;
  current.child.postMessage({ kind: 'shutdown' } satisfies ShellToCoreMessage);
  const timedOut = await Promise.race([
    current.exited.then(() => false),
    new Promise<boolean>((resolve) => setTimeout(() => resolve(true), CORE_STOP_TIMEOUT_MS)),
  ]);
  if (timedOut) {
    report('error', `core did not stop within ${CORE_STOP_TIMEOUT_MS / 1000} s; killing it`);
    current.child.kill();
  }
}

/** A core that was serving the window died: offer to restart it or quit. */
async function onCoreExit(exitedCore: Core, code: number): Promise<void> {
  // Start failures are reported by startCore; stale cores and shutdowns are expected.
  if (exitedCore !== core || !exitedCore.endpoint || quitState !== 'running') return;
  exitedCore.endpoint = undefined; // the token and origin die with the process
  report('error', `core exited unexpectedly with code ${code}`);
  const options = {
    type: 'error' as const,
    title: 'Vigie',
    message: words().coreStopped,
    detail: words().coreStoppedDetail(code),
    buttons: [words().restartCore, words().quit],
    defaultId: 0,
    cancelId: 1,
    noLink: true,
  };
  const { response } = mainWindow ? await dialog.showMessageBox(mainWindow, options) : await dialog.showMessageBox(options);
  if (response !== 0 || quitState !== 'running') {
    app.quit();
    return;
  }
  try {
    const endpoint = await startCore(dataDir(), requestedPort());
    if (demo) startDemoSimulator(endpoint);
    if (mainWindow && !mainWindow.isDestroyed()) await mainWindow.loadURL(`${endpoint.origin}/`);
    else openWindow(endpoint);
  } catch (error) {
    failAndQuit(words().restartFailed, error);
  }
}

// ---------------------------------------------------------------- window

function openWindow(endpoint: CoreEndpoint): BrowserWindow {
  const win = new BrowserWindow({
    title: 'Vigie',
    width: 1440,
    height: 900,
    minWidth: 1024,
    minHeight: 640,
    backgroundColor: BACKGROUND,
    show: false, // shown on 'ready-to-show': no white flash in a dark control room
    webPreferences: {
      preload: path.join(__dirname, 'preload.cjs'), // eng-disable PRELOAD_JS_CHECK -- reviewed: the sandboxed preload exposes two functions, getCoreToken and printToPdf (a file name only), through contextBridge; ipcRenderer never crosses (preload.ts, docs/security.md)
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false, // and no enableBlinkFeatures
      disableBlinkFeatures: 'Auxclick', // a middle click cannot open a link in a new window (electronegativity AUXCLICK_JS_CHECK)
      webviewTag: false,
      spellcheck: false, // also avoids dictionary downloads
      devTools: !app.isPackaged,
    },
  });
  win.once('ready-to-show', () => win.show());
  win.on('closed', () => {
    if (mainWindow === win) mainWindow = undefined;
  });
  mainWindow = win;
  // The token is NOT in the URL: the page asks for it through the preload bridge.
  win.loadURL(`${endpoint.origin}/`).catch((error: unknown) => failAndQuit(words().openFailed, error));
  return win;
}

// ---------------------------------------------------------------- hardening

/** Session-wide rules; they read the current core origin, so they survive a core restart. */
function hardenSession(): void {
  const ses = session.defaultSession;
  ses.setPermissionRequestHandler((_webContents, _permission, callback) => callback(false));
  ses.setPermissionCheckHandler(() => false);

  // Nothing leaves the machine: only the core's own http/ws URLs are fetched.
  ses.webRequest.onBeforeRequest((details, callback) => {
    const url = details.url;
    const allowed = isCoreUrl(url) || url.startsWith('data:') || url.startsWith('blob:') || (!app.isPackaged && url.startsWith('devtools:'));
    if (!allowed) report('warn', `blocked request to ${url}`);
    callback({ cancel: !allowed });
  });

  // Second line of defence: the core sends its own CSP; a response carrying
  // several CSP headers must satisfy all of them.
  ses.webRequest.onHeadersReceived((details, callback) => {
    const endpoint = core?.endpoint;
    const headers: Record<string, string | string[]> = { ...details.responseHeaders };
    if (endpoint) {
      const policy = [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data: blob:",
        `connect-src 'self' ws://127.0.0.1:${endpoint.port}`,
        "font-src 'self'",
        "media-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
        "form-action 'none'",
      ].join('; ');
      const key = Object.keys(headers).find((name) => name.toLowerCase() === 'content-security-policy');
      const existing = key === undefined ? [] : ([] as string[]).concat(headers[key] ?? []);
      if (key !== undefined) delete headers[key];
      headers['Content-Security-Policy'] = [...existing, policy]; // eng-disable CSP_GLOBAL_CHECK -- the policy carries the core's port, so it is built at run time and the static parser cannot read it; its content is listed in docs/security.md
    }
    callback({ responseHeaders: headers });
  });
}

/** Rules for every web contents the app ever creates (window, devtools, anything else). */
app.on('web-contents-created', (_event, contents) => {
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  contents.on('will-attach-webview', (event) => event.preventDefault());
  // Exact origin compare (a startsWith check would let http://127.0.0.1:PORT@evil.example through).
  const guard = (event: Electron.Event<{ url: string }>): void => {
    const origin = coreOrigin();
    if (origin === undefined || safeOrigin(event.url) !== origin) {
      event.preventDefault();
      report('warn', `blocked navigation to ${event.url}`);
    }
  };
  contents.on('will-navigate', guard);
  contents.on('will-frame-navigate', guard);
  contents.on('will-redirect', guard);
});

/** True only for our window's main frame while it shows the core's page: the one sender the IPC handlers answer. */
function isOurConsole(event: IpcMainInvokeEvent): boolean {
  const frame = event.senderFrame;
  const win = mainWindow;
  const endpoint = core?.endpoint;
  return (
    frame !== null &&
    win !== undefined &&
    !win.isDestroyed() &&
    endpoint !== undefined &&
    event.sender === win.webContents &&
    frame.frameTreeNodeId === win.webContents.mainFrame.frameTreeNodeId &&
    frame.parent === null &&
    safeOrigin(frame.url) === endpoint.origin
  );
}

/** Hands the token only to our window's main frame, and only while it shows the core's page. */
function handleCoreToken(event: IpcMainInvokeEvent): string {
  const endpoint = core?.endpoint;
  if (!isOurConsole(event) || !endpoint) throw new Error(`${CORE_TOKEN_CHANNEL}: refused for this sender`);
  return endpoint.token;
}

/**
 * The figures' printable report as a PDF (issue 5): printToPDF renders the
 * page with its print stylesheet, which prints the figures dialog alone. The
 * page only proposes a file name; where the file goes is the operator's
 * choice in the system's save dialog, so page script cannot write anywhere.
 */
async function handlePrintToPdf(event: IpcMainInvokeEvent, proposed: unknown): Promise<PrintToPdfResult> {
  const win = mainWindow;
  if (!isOurConsole(event) || !win) throw new Error(`${PRINT_TO_PDF_CHANNEL}: refused for this sender`);
  const choice = await dialog.showSaveDialog(win, {
    title: words().savePdfTitle,
    defaultPath: path.join(app.getPath('documents'), pdfFileName(proposed)),
    filters: [{ name: 'PDF', extensions: ['pdf'] }],
  });
  if (choice.canceled || !choice.filePath) return { saved: null };
  const pdf = await event.sender.printToPDF({ printBackground: true, pageSize: 'A4' });
  await writeFile(choice.filePath, pdf);
  return { saved: choice.filePath };
}

/** A plain file name ending in .pdf, whatever the page sent. */
function pdfFileName(proposed: unknown): string {
  const name = path
    .basename(typeof proposed === 'string' ? proposed : '')
    .replace(/[^\w.-]+/g, '_')
    .slice(0, 120);
  return /^[\w-][\w.-]*\.pdf$/i.test(name) ? name : 'vigie-report.pdf';
}

function safeOrigin(raw: string): string | undefined {
  try {
    return new URL(raw).origin;
  } catch {
    return undefined;
  }
}

// ---------------------------------------------------------------- words

/** The shell's dialogs and menus in the system's language (English or French; shellText.ts). */
function words(): ShellText {
  return shellTextFor(app.getPreferredSystemLanguages());
}

// ---------------------------------------------------------------- menu

function buildMenu(): Menu {
  const view: MenuItemConstructorOptions[] = [
    { role: 'reload' },
    ...(app.isPackaged ? [] : [{ role: 'toggleDevTools' } as const]),
    { type: 'separator' },
    { role: 'resetZoom' },
    { role: 'zoomIn' },
    { role: 'zoomOut' },
    { type: 'separator' },
    { role: 'togglefullscreen' },
  ];
  const template: MenuItemConstructorOptions[] = [
    ...(process.platform === 'darwin' ? [{ role: 'appMenu' } as const] : []),
    { label: words().menuFile, submenu: [{ role: 'quit' }] },
    // Standard edit roles: on macOS copy/paste shortcuts only work through the menu.
    { role: 'editMenu' },
    { label: words().menuView, submenu: view },
    {
      label: words().menuHelp,
      submenu: [
        {
          label: words().about,
          click: () => {
            const options = {
              type: 'info' as const,
              title: words().about,
              message: `Vigie ${app.getVersion()}`,
              detail: words().aboutDetail(process.versions.electron, process.versions.chrome, process.versions.node),
            };
            void (mainWindow ? dialog.showMessageBox(mainWindow, options) : dialog.showMessageBox(options));
          },
        },
      ],
    },
  ];
  return Menu.buildFromTemplate(template);
}

// ---------------------------------------------------------------- lifecycle

function dataDir(): string {
  if (dataArg !== undefined) return path.resolve(dataArg);
  return demo ? path.join(app.getPath('userData'), 'demo') : app.getPath('userData');
}

function requestedPort(): number | undefined {
  return parsePort(argValue('--port'));
}

function failAndQuit(title: string, error: unknown): void {
  const message = error instanceof Error ? error.message : String(error);
  report('error', `${title} ${message}`);
  dialog.showErrorBox(title, redact(message));
  app.quit();
}

async function launch(): Promise<void> {
  hardenSession();
  Menu.setApplicationMenu(buildMenu());
  ipcMain.handle(CORE_TOKEN_CHANNEL, handleCoreToken);
  ipcMain.handle(PRINT_TO_PDF_CHANNEL, handlePrintToPdf);
  try {
    const endpoint = await startCore(dataDir(), requestedPort());
    if (demo) startDemoSimulator(endpoint);
    openWindow(endpoint);
  } catch (error) {
    failAndQuit(words().startFailed, error);
  }
}

if (!app.requestSingleInstanceLock()) {
  // Another Vigie window already runs on this data directory: it gets focused instead.
  app.quit();
} else {
  diagnostics = new DiagnosticLog({ dataDir: dataDir(), name: 'desktop' });
  logCrashes(diagnostics);
  report('info', `Vigie ${app.getVersion()} desktop starting (Electron ${process.versions.electron}), data in ${dataDir()}`);
  app.enableSandbox(); // every renderer sandboxed, whatever its webPreferences say
  app.on('second-instance', () => {
    if (!mainWindow) return;
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.focus();
  });
  app.on('window-all-closed', () => app.quit()); // one console window: closing it ends the session
  app.on('before-quit', (event) => {
    if (quitState === 'ready-to-quit') return;
    event.preventDefault();
    if (quitState === 'stopping-core') return;
    quitState = 'stopping-core';
    void stopCore().finally(() => {
      report('info', 'quitting');
      diagnostics?.close();
      quitState = 'ready-to-quit';
      app.quit();
    });
  });
  app.whenReady().then(launch, (error: unknown) => failAndQuit(words().launchFailed, error));
}
