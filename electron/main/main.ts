// Electron main process: a thin shell. It starts the core in a utilityProcess
// (a crash or a long SQLite write there never freezes the window), opens one
// hardened window on the core's loopback origin, hands the window the core's
// per-launch token over a checked IPC channel, and owns the menu. Or, as a
// seat of a control room (--join, or the settings), it runs no core and opens
// the post's room address instead, holding the post to its pinned certificate
// (issue 15; docs/room.md#the-desktop-app-as-a-seat). The console's panels pop
// out into windows of their own; the Settings window edits desktop-settings.json.
// Everything else (data, feeds, dispatch, the HTTP API) lives in the core.
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import readline from 'node:readline';
import {
  app,
  BrowserWindow,
  dialog,
  ipcMain,
  Menu,
  protocol,
  session,
  utilityProcess,
  type IpcMainInvokeEvent,
  type MenuItemConstructorOptions,
  type UtilityProcess,
} from 'electron';
import { CORE_TOKEN_CHANNEL, PRINT_TO_PDF_CHANNEL, type PrintToPdfResult } from '../../shared/desktopBridge';
import { CoreToShellMessage, type ShellToCoreMessage } from '../../shared/contract';
import {
  DEFAULT_SETTINGS,
  SETTINGS_FORGET_PIN_CHANNEL,
  SETTINGS_LOAD_CHANNEL,
  SETTINGS_RESTART_CHANNEL,
  SETTINGS_SAVE_CHANNEL,
  type DesktopSettings,
  type PostPin,
  type SaveResult,
  type SettingsView,
} from '../../shared/desktopSettings';
import { formatHostPort, type HostPort } from '../../shared/hostPort';
import { shellTextFor, type ShellText } from './shellText';
import { DiagnosticLog, logCrashes } from '../diagnostics/diagnosticLog';
import { argValue, commandLineOverride, launchPlan, readSettings, SETTINGS_FILE, writeSettings, type LaunchPlan } from './launchPlan';
import { acceptCertificate, decideTrust, PINS_FILE, readPins, withoutPin, withPin, writePins } from './postTrust';
import { probePostCertificate } from './postProbe';
import { originKey, popoutRequest, secureWebPreferences, type PopoutKind } from './windowPreferences';

const CORE_READY_TIMEOUT_MS = 30_000; // generous: a first start may migrate a large log
const CORE_STOP_TIMEOUT_MS = 5_000;
const BACKGROUND = '#0b1220';
/** The Settings window's own origin: a custom protocol serving dist/settings/, never file://. */
const SETTINGS_SCHEME = 'vigie';
const SETTINGS_ORIGIN = `${SETTINGS_SCHEME}://settings`;
const SETTINGS_CSP = "default-src 'none'; script-src 'self'; style-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
/** The core's second line with --room (docs/room.md): kept to show in Settings, for seats to compare. */
const ROOM_LINE = /^Vigie room: (https:\/\/\S+\/) certificate SHA-256 ((?:[0-9A-F]{2}:){31}[0-9A-F]{2})$/;

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

function parsePort(raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new Error(`--port must be an integer between 0 and 65535 (got "${raw}").`);
  }
  return port;
}

/** Our command line, read once at start. */
const argv: readonly string[] = [...process.argv];
const dataArg = argValue(argv, '--data');
/** `--demo`: a separate data directory, fed by the night simulator (what `npm start` opens). */
const demo = argv.includes('--demo');
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
/** The console windows: the main one and its pop-outs (second monitor). The console's IPC handlers answer these only. */
const consoleWindows = new Set<BrowserWindow>();
let settingsWindow: BrowserWindow | undefined;
/** Own post or seat of another (set in launch, from the command line or the settings). */
let plan: LaunchPlan | undefined;
/** As a seat: the post's host and the certificate fingerprint pinned for it; Chromium accepts no other certificate. */
let postPin: { host: string; fingerprint: string } | undefined;
/** As a post open to the room: its address and certificate, as the core announced them. */
let roomAnnounced: { url: string; fingerprint: string } | null = null;
/** Set once a seat's join was refused: one dialog, not one per failure. */
let joinRefused = false;
let quitState: 'running' | 'stopping-core' | 'ready-to-quit' = 'running';
/** DATA/logs/vigie-desktop.log (docs/faults.md#the-diagnostic-log): opened once this instance holds its lock. */
let diagnostics: DiagnosticLog | undefined;

/** A line for whoever maintains the post: on stderr and in the diagnostic file. */
function report(level: 'info' | 'warn' | 'error', message: string): void {
  if (level !== 'info') console.error(`[vigie-desktop] ${redact(message)}`);
  diagnostics?.[level](redact(message));
}

/** Where the console comes from: the own core's http://127.0.0.1:PORT, or the joined post's https://HOST:PORT (once its certificate is pinned). */
function consoleOrigin(): string | undefined {
  if (plan?.mode === 'join') return postPin ? `https://${plan.address}` : undefined;
  return core?.endpoint?.origin;
}

/** The console's WebSocket origin: ws:// beside http://, wss:// beside https://. */
function socketOrigin(): string | undefined {
  return consoleOrigin()?.replace(/^http/, 'ws');
}

/** True for the console's own page and socket URLs (exact scheme, host and port), nothing else. */
function isConsoleUrl(raw: string): boolean {
  const key = originKey(raw);
  return key !== undefined && (key === consoleOrigin() || key === socketOrigin());
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
    const room = ROOM_LINE.exec(line);
    if (room) roomAnnounced = { url: room[1]!, fingerprint: room[2]! };
    to.write(`${redact(line)}\n`);
  });
}

/** Forks the core and resolves once it reports 'core-ready' (rejects on 'core-failed', early exit or timeout). */
function startCore(dataDir: string, port: number | undefined, room: HostPort | null): Promise<CoreEndpoint> {
  const roomArgs = room ? ['--room', formatHostPort(room)] : [];
  const child = utilityProcess.fork(path.join(__dirname, '../cli/vigie.cjs'), ['serve', '--data', dataDir, '--port', String(port ?? 0), ...roomArgs], {
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
    const endpoint = await startCore(dataDir(), requestedPort(), ownRoom());
    if (demo) startDemoSimulator(endpoint);
    if (mainWindow && !mainWindow.isDestroyed()) await mainWindow.loadURL(`${endpoint.origin}/`);
    else openWindow(endpoint.origin);
  } catch (error) {
    failAndQuit(words().restartFailed, error);
  }
}

// ---------------------------------------------------------------- window

/** The hardened preferences (windowPreferences.ts) with the console's preload. */
function consolePreferences(): Electron.WebPreferences {
  return secureWebPreferences({ preload: path.join(__dirname, 'preload.cjs'), devTools: !app.isPackaged });
}

function trackConsoleWindow(win: BrowserWindow): void {
  consoleWindows.add(win);
  win.on('closed', () => consoleWindows.delete(win));
}

/** The console window, on the own core's origin or on the joined post's. */
function openWindow(origin: string): BrowserWindow {
  const options: Electron.BrowserWindowConstructorOptions = {
    title: 'Vigie',
    width: 1440,
    height: 900,
    minWidth: 1024,
    minHeight: 640,
    backgroundColor: BACKGROUND,
    show: false, // shown on 'ready-to-show': no white flash in a dark control room
    webPreferences: consolePreferences(),
  };
  // Electronegativity cannot follow webPreferences into secureWebPreferences() (windowPreferences.ts: contextIsolation,
  // sandbox, disableBlinkFeatures Auxclick…); test/shell/windowPreferences.test.ts checks them instead.
  const win = new BrowserWindow(options); // eng-disable CONTEXT_ISOLATION_JS_CHECK SANDBOX_JS_CHECK AUXCLICK_JS_CHECK
  win.once('ready-to-show', () => win.show());
  win.on('closed', () => {
    if (mainWindow === win) mainWindow = undefined;
  });
  mainWindow = win;
  trackConsoleWindow(win);
  // A seat's page can fail to load (the post stopped, or Chromium refused its certificate): say so rather than show a blank window.
  win.webContents.on('did-fail-load', (_event, errorCode, description, url, isMainFrame) => {
    if (!isMainFrame || errorCode === -3 || plan?.mode !== 'join') return; // -3: aborted, by a navigation of our own
    report('error', `loading ${url} failed: ${description} (${errorCode})`);
    void refuseJoin(words().joinFailed, words().consoleLoadFailed(plan.address, description));
  });
  // The token is NOT in the URL: the page asks for it through the preload bridge (a seat has none: it joins with a seat token).
  win.loadURL(`${origin}/`).catch((error: unknown) => {
    if (plan?.mode !== 'join') failAndQuit(words().openFailed, error); // a seat's failure is said by did-fail-load
  });
  return win;
}

/** A pop-out's window (issue 15 item 6): the same hardened preferences; the page is the console's own `/#popout=KIND`. */
function popoutWindowOptions(kind: PopoutKind): Electron.BrowserWindowConstructorOptions {
  return {
    title: `Vigie — ${kind}`,
    width: 520,
    height: 900,
    minWidth: 360,
    minHeight: 480,
    backgroundColor: BACKGROUND,
    autoHideMenuBar: true,
    webPreferences: consolePreferences(),
  };
}

/** The Settings window: its own preload (settingsPreload.ts), the same hardened preferences, the app's vigie://settings origin. */
function openSettingsWindow(): void {
  if (settingsWindow && !settingsWindow.isDestroyed()) {
    settingsWindow.focus();
    return;
  }
  const options: Electron.BrowserWindowConstructorOptions = {
    title: words().settingsTitle,
    width: 720,
    height: 760,
    backgroundColor: BACKGROUND,
    show: false,
    autoHideMenuBar: true,
    // Reviewed: the sandboxed settingsPreload.ts exposes four functions through contextBridge, never ipcRenderer (docs/security.md).
    webPreferences: secureWebPreferences({ preload: path.join(__dirname, 'settingsPreload.cjs'), devTools: !app.isPackaged }), // eng-disable PRELOAD_JS_CHECK
  };
  // As openWindow: the preferences are secureWebPreferences()'s, which the static checker cannot follow.
  const win = new BrowserWindow(options); // eng-disable CONTEXT_ISOLATION_JS_CHECK SANDBOX_JS_CHECK AUXCLICK_JS_CHECK
  win.once('ready-to-show', () => win.show());
  win.on('closed', () => {
    if (settingsWindow === win) settingsWindow = undefined;
  });
  settingsWindow = win;
  win.loadURL(`${SETTINGS_ORIGIN}/`).catch((error: unknown) => report('error', `the settings window did not load: ${String(error)}`));
}

/** The Settings page's three files from dist/settings/ under vigie://settings/, with their own CSP. */
async function serveSettingsFile(request: Request): Promise<Response> {
  const files: Record<string, [string, string]> = {
    '/': ['index.html', 'text/html; charset=utf-8'],
    '/settings.js': ['settings.js', 'text/javascript; charset=utf-8'],
    '/settings.css': ['settings.css', 'text/css; charset=utf-8'],
  };
  const url = new URL(request.url);
  const file = url.host === 'settings' && request.method === 'GET' ? files[url.pathname] : undefined;
  if (!file) return new Response('not found', { status: 404 });
  const body = await readFile(path.join(__dirname, '../settings', file[0]));
  return new Response(body, {
    headers: {
      'content-type': file[1],
      'x-content-type-options': 'nosniff',
      // Its own script and styles, nothing else: it talks to the main process only through its preload.
      'content-security-policy': SETTINGS_CSP,
    },
  });
}

// ---------------------------------------------------------------- hardening

/** Session-wide rules; they read the current console origin, so they survive a core restart. */
function hardenSession(): void {
  const ses = session.defaultSession;
  ses.setPermissionRequestHandler((_webContents, _permission, callback) => callback(false));
  ses.setPermissionCheckHandler(() => false);

  // Nothing leaves the machine but to the joined post: only the console's own http(s)/ws(s) URLs and the Settings page are fetched.
  ses.webRequest.onBeforeRequest((details, callback) => {
    const url = details.url;
    const allowed =
      isConsoleUrl(url) ||
      originKey(url) === SETTINGS_ORIGIN ||
      url.startsWith('data:') ||
      url.startsWith('blob:') ||
      (!app.isPackaged && url.startsWith('devtools:'));
    if (!allowed) report('warn', `blocked request to ${url}`);
    callback({ cancel: !allowed });
  });

  // TLS: a post's certificate is self-signed, so Chromium's own verdict says nothing. Only the pinned
  // certificate is accepted, for the post's host only (the verify proc sees no port; the request filter
  // above lets no other host:port through). Every other certificate is refused: an own post pins none.
  const acceptOnlyThePin = (request: Electron.Request, callback: (verificationResult: number) => void): void => {
    const accepted = postPin !== undefined && acceptCertificate(postPin, request.hostname, request.certificate.data);
    if (!accepted) report('warn', `refused the TLS certificate of ${request.hostname}: not the pinned one`);
    callback(accepted ? 0 : -2);
  };
  // Electronegativity flags any verify proc; this one narrows trust rather than opting out (postTrust.ts acceptCertificate, tested).
  ses.setCertificateVerifyProc(acceptOnlyThePin); // eng-disable CERTIFICATE_VERIFY_PROC_JS_CHECK

  // Second line of defence: the core sends its own CSP; a response carrying
  // several CSP headers must satisfy all of them.
  ses.webRequest.onHeadersReceived((details, callback) => {
    const sockets = socketOrigin();
    const headers: Record<string, string | string[]> = { ...details.responseHeaders };
    if (sockets !== undefined && isConsoleUrl(details.url)) {
      const policy = [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data: blob:",
        `connect-src 'self' ${sockets}`,
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
      headers['Content-Security-Policy'] = [...existing, policy]; // eng-disable CSP_GLOBAL_CHECK -- the policy carries the console's address, so it is built at run time and the static parser cannot read it; its content is listed in docs/security.md
    }
    callback({ responseHeaders: headers });
  });
}

/** Rules for every web contents the app ever creates (windows, pop-outs, devtools, anything else). */
app.on('web-contents-created', (_event, contents) => {
  // window.open(): only the console's two pop-out panels, on its own origin, from a console window; everything else denied.
  contents.setWindowOpenHandler((details) => {
    const opener = BrowserWindow.fromWebContents(contents);
    const kind = opener && consoleWindows.has(opener) ? popoutRequest(details.url, consoleOrigin()) : null;
    if (kind === null) {
      report('warn', `blocked a new window for ${details.url}`);
      return { action: 'deny' };
    }
    return { action: 'allow', overrideBrowserWindowOptions: popoutWindowOptions(kind) };
  });
  contents.on('did-create-window', (win) => trackConsoleWindow(win));
  contents.on('will-attach-webview', (event) => event.preventDefault());
  // Exact origin compare (a startsWith check would let http://127.0.0.1:PORT@evil.example through).
  const guard = (event: Electron.Event<{ url: string }>): void => {
    const settings = settingsWindow !== undefined && !settingsWindow.isDestroyed() && contents === settingsWindow.webContents;
    const allowed = settings ? SETTINGS_ORIGIN : consoleOrigin();
    if (allowed === undefined || originKey(event.url) !== allowed) {
      event.preventDefault();
      report('warn', `blocked navigation to ${event.url}`);
    }
  };
  contents.on('will-navigate', guard);
  contents.on('will-frame-navigate', guard);
  contents.on('will-redirect', guard);
});

/** True only for a console window's main frame (the main window or a pop-out) while it shows the console's page: the one sender the console's IPC handlers answer. */
function isOurConsole(event: IpcMainInvokeEvent): boolean {
  const frame = event.senderFrame;
  const win = BrowserWindow.fromWebContents(event.sender);
  const origin = consoleOrigin();
  return (
    frame !== null &&
    win !== null &&
    consoleWindows.has(win) &&
    !win.isDestroyed() &&
    origin !== undefined &&
    event.sender === win.webContents &&
    frame.frameTreeNodeId === win.webContents.mainFrame.frameTreeNodeId &&
    frame.parent === null &&
    originKey(frame.url) === origin
  );
}

/** True only for the Settings window's main frame on vigie://settings: the one sender the settings' IPC handlers answer. */
function isOurSettings(event: IpcMainInvokeEvent): boolean {
  const frame = event.senderFrame;
  const win = settingsWindow;
  return (
    frame !== null &&
    win !== undefined &&
    !win.isDestroyed() &&
    event.sender === win.webContents &&
    frame.frameTreeNodeId === win.webContents.mainFrame.frameTreeNodeId &&
    frame.parent === null &&
    originKey(frame.url) === SETTINGS_ORIGIN
  );
}

/** Hands the token only to our window's main frame, and only while it shows the core's page. */
function handleCoreToken(event: IpcMainInvokeEvent): string {
  const endpoint = core?.endpoint;
  // A seat has no core and no token: its page joins with its seat token (renderer/room/seat.ts).
  if (plan?.mode !== 'own' || !isOurConsole(event) || !endpoint) throw new Error(`${CORE_TOKEN_CHANNEL}: refused for this sender`);
  return endpoint.token;
}

/**
 * The figures' printable report as a PDF (issue 5): printToPDF renders the
 * page with its print stylesheet, which prints the figures dialog alone. The
 * page only proposes a file name; where the file goes is the operator's
 * choice in the system's save dialog, so page script cannot write anywhere.
 */
async function handlePrintToPdf(event: IpcMainInvokeEvent, proposed: unknown): Promise<PrintToPdfResult> {
  const win = BrowserWindow.fromWebContents(event.sender);
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

// ---------------------------------------------------------------- settings

function settingsFile(): string {
  return path.join(app.getPath('userData'), SETTINGS_FILE);
}

function pinsFile(): string {
  return path.join(app.getPath('userData'), PINS_FILE);
}

async function handleSettingsLoad(event: IpcMainInvokeEvent): Promise<SettingsView> {
  if (!isOurSettings(event)) throw new Error(`${SETTINGS_LOAD_CHANNEL}: refused for this sender`);
  return {
    settings: await readSettings(settingsFile()),
    pins: await readPins(pinsFile()),
    file: settingsFile(),
    commandLine: commandLineOverride(argv),
    room: roomAnnounced,
  };
}

/** The page's settings are checked again here (writeSettings): the page is not trusted to have done it. */
async function handleSettingsSave(event: IpcMainInvokeEvent, candidate: unknown): Promise<SaveResult> {
  if (!isOurSettings(event)) throw new Error(`${SETTINGS_SAVE_CHANNEL}: refused for this sender`);
  const result = await writeSettings(settingsFile(), candidate);
  report('info', result.saved ? `settings saved: ${JSON.stringify(candidate)}` : `settings refused: ${result.problem}`);
  return result;
}

async function handleForgetPin(event: IpcMainInvokeEvent, address: unknown): Promise<PostPin[]> {
  if (!isOurSettings(event) || typeof address !== 'string') throw new Error(`${SETTINGS_FORGET_PIN_CHANNEL}: refused for this sender`);
  const pins = withoutPin(await readPins(pinsFile()), address);
  await writePins(pinsFile(), pins);
  report('info', `forgot the pinned certificate of ${address}`);
  return pins;
}

/** The settings take effect at the next start: relaunch with the same command line (which still wins over them). */
function handleSettingsRestart(event: IpcMainInvokeEvent): void {
  if (!isOurSettings(event)) throw new Error(`${SETTINGS_RESTART_CHANNEL}: refused for this sender`);
  report('info', 'restarting to apply the settings');
  app.relaunch();
  app.quit();
}

// ---------------------------------------------------------------- joining a post

/** A seat that cannot join says why, and offers the settings (to join another post, or run its own) or to quit. */
async function refuseJoin(message: string, detail?: string): Promise<void> {
  if (joinRefused) return; // one dialog, whatever else fails meanwhile
  joinRefused = true;
  report('error', `${message}${detail ? ` ${detail}` : ''}`);
  postPin = undefined; // from now on Chromium accepts no certificate and the session lets nothing through
  const { response } = await dialog.showMessageBox({
    type: 'error',
    title: 'Vigie',
    message,
    detail,
    buttons: [words().openSettings, words().quit],
    defaultId: 0,
    cancelId: 1,
    noLink: true,
  });
  if (response !== 0) return app.quit();
  // The settings window first: closing the console windows then does not end the app (window-all-closed).
  openSettingsWindow();
  for (const win of consoleWindows) if (!win.isDestroyed()) win.destroy();
}

/**
 * As a seat: asks the post for its certificate first (an unreachable post or a
 * changed certificate is said before any window opens), decides with the pins
 * (postTrust.ts), pins on first use, then opens the post's console. Chromium's
 * own connections are held to the same pin by the certificate verify proc.
 */
async function joinPost(target: Extract<LaunchPlan, { mode: 'join' }>): Promise<void> {
  const reason = (error: unknown) => (error instanceof Error ? error.message : String(error));
  let presented: string;
  let pins: PostPin[];
  try {
    presented = await probePostCertificate(target.post);
  } catch (error) {
    return refuseJoin(words().joinFailed, words().postUnreachable(target.address, reason(error)));
  }
  try {
    pins = await readPins(pinsFile());
  } catch (error) {
    return refuseJoin(words().joinFailed, words().pinsUnreadable(reason(error)));
  }
  const decision = decideTrust(pins, target.address, presented, target.fingerprint);
  switch (decision.verdict) {
    case 'trusted':
      break;
    case 'pin':
      await writePins(pinsFile(), withPin(pins, target.address, decision.fingerprint, new Date()));
      report('info', `pinned the certificate of ${target.address}: ${decision.fingerprint} (given with --fingerprint)`);
      break;
    case 'ask': {
      const { response } = await dialog.showMessageBox({
        type: 'question',
        title: 'Vigie',
        message: words().firstConnection(target.address),
        detail: words().firstConnectionDetail(decision.fingerprint),
        buttons: [words().trustAndConnect, words().cancel],
        defaultId: 1, // Enter alone never trusts a certificate
        cancelId: 1,
        noLink: true,
      });
      if (response !== 0) {
        report('info', `the operator did not trust ${target.address} (${decision.fingerprint})`);
        app.quit();
        return;
      }
      await writePins(pinsFile(), withPin(pins, target.address, decision.fingerprint, new Date()));
      report('info', `pinned the certificate of ${target.address} on first use: ${decision.fingerprint}`);
      break;
    }
    case 'changed':
      return refuseJoin(words().certificateChanged(target.address), words().certificateChangedDetail(decision.pinned, decision.presented, pinsFile()));
    case 'unexpected':
      return refuseJoin(words().certificateUnexpected(target.address), words().certificateUnexpectedDetail(decision.expected, decision.presented));
  }
  postPin = { host: target.post.host, fingerprint: presented };
  report('info', `joining the post at ${target.address} as a seat, certificate ${presented}`);
  openWindow(`https://${target.address}`);
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
    {
      label: words().menuFile,
      submenu: [
        { id: 'settings', label: words().menuSettings, accelerator: 'CmdOrCtrl+,', click: () => openSettingsWindow() },
        { type: 'separator' },
        { role: 'quit' },
      ],
    },
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
  return parsePort(argValue(argv, '--port'));
}

/** The own post's room address, if it is open to the room (--room or the settings). */
function ownRoom(): HostPort | null {
  return plan?.mode === 'own' ? plan.room : null;
}

function failAndQuit(title: string, error: unknown): void {
  const message = error instanceof Error ? error.message : String(error);
  report('error', `${title} ${message}`);
  dialog.showErrorBox(title, redact(message));
  app.quit();
}

async function launch(): Promise<void> {
  hardenSession();
  protocol.handle(SETTINGS_SCHEME, serveSettingsFile);
  Menu.setApplicationMenu(buildMenu());
  ipcMain.handle(CORE_TOKEN_CHANNEL, handleCoreToken);
  ipcMain.handle(PRINT_TO_PDF_CHANNEL, handlePrintToPdf);
  ipcMain.handle(SETTINGS_LOAD_CHANNEL, handleSettingsLoad);
  ipcMain.handle(SETTINGS_SAVE_CHANNEL, handleSettingsSave);
  ipcMain.handle(SETTINGS_FORGET_PIN_CHANNEL, handleForgetPin);
  ipcMain.handle(SETTINGS_RESTART_CHANNEL, handleSettingsRestart);
  let settings: DesktopSettings = DEFAULT_SETTINGS;
  try {
    settings = await readSettings(settingsFile());
  } catch (error) {
    return failAndQuit(words().settingsUnreadable, error);
  }
  try {
    plan = launchPlan(argv, settings);
  } catch (error) {
    return failAndQuit(words().argumentsRefused, error);
  }
  // Whatever fails there (a pins file that cannot be written…) is said, not left as an unhandled rejection.
  if (plan.mode === 'join') return joinPost(plan).catch((error: unknown) => failAndQuit(words().joinFailed, error));
  try {
    const endpoint = await startCore(dataDir(), requestedPort(), plan.room);
    if (demo) startDemoSimulator(endpoint);
    openWindow(endpoint.origin);
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
  // Before ready: the Settings page's origin is a standard, secure scheme (not file://, which the checklist rules out).
  protocol.registerSchemesAsPrivileged([{ scheme: SETTINGS_SCHEME, privileges: { standard: true, secure: true } }]);
  app.on('second-instance', () => {
    if (!mainWindow) return;
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.focus();
  });
  app.on('window-all-closed', () => app.quit()); // closing the console (its pop-outs close with it) ends the session
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
