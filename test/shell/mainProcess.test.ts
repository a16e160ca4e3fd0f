// The Electron main process's own logic for the control room (issue 15 items
// 2 and 6, desktop), run under plain Node: the built dist/electron/main.cjs is
// loaded with a stand-in for the `electron` module that records what main.ts
// asks of it, against a real TLS 1.3 post holding a real room certificate.
// This is no substitute for the real runtime (e2e/room.electron.spec.ts, which
// runs where the Electron binary exists): it checks the decisions main.ts
// makes — what it pins, which certificate its verify proc accepts, which
// requests, navigations, windows and IPC senders it lets through, what the
// Settings window's protocol serves, what a changed certificate says.
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { PassThrough } from 'node:stream';
import fs from 'node:fs';
import Module from 'node:module';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import tls from 'node:tls';
import { after, before, describe, test } from 'node:test';
import { roomCertificate, type RoomCertificate } from '../../electron/core/room/certificate';
import { tempDataDir } from '../helpers';

const mainScript = path.resolve(__dirname, '../../dist/electron/main.cjs');
const skip = fs.existsSync(mainScript) ? false : 'npm run build first';

type Handler = (...args: never[]) => unknown;
const ROOM_FINGERPRINT = Array.from({ length: 32 }, () => '5E').join(':');

/** A fresh stand-in for the `electron` module: just what main.ts uses, recording every call. */
function fakeElectron() {
  const app = Object.assign(new EventEmitter(), {
    paths: new Map<string, string>([
      ['appData', tempDataDir()],
      ['documents', os.tmpdir()],
    ]),
    isPackaged: false,
    quits: 0,
    relaunches: 0,
    setName: () => undefined,
    setPath(name: string, value: string) {
      app.paths.set(name, value);
    },
    getPath: (name: string) => app.paths.get(name)!,
    getVersion: () => '0.0.0-test',
    getPreferredSystemLanguages: () => ['en-GB'],
    requestSingleInstanceLock: () => true,
    enableSandbox: () => undefined,
    whenReady: () => Promise.resolve(),
    quit() {
      app.quits += 1;
    },
    relaunch() {
      app.relaunches += 1;
    },
  });
  let frameIds = 0;
  class WebContents extends EventEmitter {
    url = '';
    windowOpenHandler?: (details: { url: string }) => { action: string; overrideBrowserWindowOptions?: { webPreferences?: object } };
    mainFrame = { frameTreeNodeId: ++frameIds, parent: null, url: '' };
    setWindowOpenHandler(handler: NonNullable<WebContents['windowOpenHandler']>) {
      this.windowOpenHandler = handler;
    }
    getURL() {
      return this.url;
    }
  }
  class BrowserWindow extends EventEmitter {
    static all: BrowserWindow[] = [];
    webContents = new WebContents();
    destroyed = false;
    constructor(public options: { webPreferences?: Record<string, unknown>; title?: string }) {
      super();
      BrowserWindow.all.push(this);
      app.emit('web-contents-created', {}, this.webContents);
    }
    static fromWebContents(contents: unknown) {
      return BrowserWindow.all.find((win) => win.webContents === contents) ?? null;
    }
    static getAllWindows() {
      return BrowserWindow.all.filter((win) => !win.destroyed);
    }
    loadURL(url: string) {
      this.webContents.url = url;
      this.webContents.mainFrame.url = url;
      return Promise.resolve();
    }
    isDestroyed() {
      return this.destroyed;
    }
    destroy() {
      this.destroyed = true;
      this.emit('closed');
      // As Electron: closing the last window tells the app (main.ts quits then).
      if (BrowserWindow.getAllWindows().length === 0) app.emit('window-all-closed');
    }
    show() {}
    focus() {}
    isMinimized() {
      return false;
    }
  }
  const messageBoxes: { message: string; detail?: string; buttons: string[] }[] = [];
  let answer = 1;
  type VerifyProc = (request: { hostname: string; certificate: { data: string } }, callback: (result: number) => void) => void;
  type BeforeRequest = (details: { url: string }, callback: (response: { cancel: boolean }) => void) => void;
  const ses: {
    verifyProc?: VerifyProc;
    beforeRequest?: BeforeRequest;
    headersReceived?: Handler;
    [name: string]: unknown;
  } = {
    setPermissionRequestHandler: () => undefined,
    setPermissionCheckHandler: () => undefined,
    setCertificateVerifyProc(proc: VerifyProc) {
      ses.verifyProc = proc;
    },
    webRequest: {
      onBeforeRequest(handler: BeforeRequest) {
        ses.beforeRequest = handler;
      },
      onHeadersReceived(handler: Handler) {
        ses.headersReceived = handler;
      },
    },
  };
  const forks: { script: string; args: string[] }[] = [];
  const ipc = new Map<string, (event: unknown, ...args: unknown[]) => unknown>();
  const protocols = new Map<string, (request: Request) => Promise<Response>>();
  const privileged: unknown[] = [];
  let menu: { id?: string; click?: () => void; submenu?: unknown[] }[] = [];
  const electron = {
    app,
    BrowserWindow,
    dialog: {
      showMessageBox: async (...args: unknown[]) => {
        const options = args.at(-1) as { message: string; detail?: string; buttons: string[] };
        messageBoxes.push(options);
        return { response: answer };
      },
      showErrorBox: (title: string, message: string) => messageBoxes.push({ message: title, detail: message, buttons: [] }),
      showSaveDialog: async () => ({ canceled: true }),
    },
    ipcMain: { handle: (channel: string, handler: (event: unknown, ...args: unknown[]) => unknown) => ipc.set(channel, handler) },
    Menu: {
      buildFromTemplate: (template: typeof menu) => template,
      setApplicationMenu: (template: typeof menu) => (menu = template),
    },
    protocol: {
      registerSchemesAsPrivileged: (schemes: unknown[]) => privileged.push(...schemes),
      handle: (scheme: string, handler: (request: Request) => Promise<Response>) => protocols.set(scheme, handler),
    },
    session: { defaultSession: ses },
    utilityProcess: {
      /** A stand-in core: says it is ready on port 4100 with token "secret", and prints the room line if asked for a room. */
      fork: (script: string, args: string[]) => {
        forks.push({ script, args });
        const child = Object.assign(new EventEmitter(), {
          pid: 4242,
          stdout: new PassThrough(),
          stderr: new PassThrough(),
          kill: () => child.emit('exit', 0),
          postMessage: () => child.emit('exit', 0),
        });
        setImmediate(() => {
          const room = args.indexOf('--room');
          if (room >= 0) child.stdout.write(`Vigie room: https://${args[room + 1]}/ certificate SHA-256 ${ROOM_FINGERPRINT}\n`);
          child.emit('message', { kind: 'core-ready', port: 4100, token: 'secret' });
        });
        return child;
      },
    },
  };
  return {
    electron,
    app,
    BrowserWindow,
    ses,
    ipc,
    protocols,
    privileged,
    messageBoxes,
    forks,
    answerDialogs: (response: number) => (answer = response),
    menuItem: (id: string) => menu.flatMap((item) => [item, ...((item.submenu ?? []) as typeof menu)]).find((item) => item.id === id),
  };
}

/** Loads a fresh copy of main.cjs with this command line and this stand-in, then lets launch() run. */
async function startMain(args: string[], fake: ReturnType<typeof fakeElectron>): Promise<void> {
  const moduleApi = Module as unknown as { _load: (request: string, ...rest: unknown[]) => unknown };
  const load = moduleApi._load;
  const argv = process.argv;
  moduleApi._load = function (request: string, ...rest: unknown[]) {
    return request === 'electron' ? fake.electron : load.call(this, request, ...rest);
  };
  // main.ts reads process.argv at load and again in launch() (on whenReady): kept until launch has run.
  process.argv = ['electron', mainScript, ...args];
  try {
    delete require.cache[mainScript];
    Module.createRequire(__filename)(mainScript); // a fresh copy: its state is module-level
    // launch() runs on whenReady: a few turns of the loop, a TLS handshake included.
    for (let i = 0; i < 200 && fake.BrowserWindow.all.length === 0 && fake.messageBoxes.length === 0; i++)
      await new Promise((resolve) => setTimeout(resolve, 10));
  } finally {
    moduleApi._load = load;
    process.argv = argv;
  }
}

/** What the IPC handlers see from a window's main frame. */
function eventFrom(win: { webContents: { mainFrame: { frameTreeNodeId: number; parent: null; url: string } } }) {
  return { sender: win.webContents, senderFrame: win.webContents.mainFrame };
}

const verify = (fake: ReturnType<typeof fakeElectron>, hostname: string, pem: string) =>
  new Promise<number>((resolve) => fake.ses.verifyProc!({ hostname, certificate: { data: pem } }, resolve));
const allowed = (fake: ReturnType<typeof fakeElectron>, url: string) =>
  new Promise<boolean>((resolve) => fake.ses.beforeRequest!({ url }, (r) => resolve(!r.cancel)));

describe('the main process as a seat (stand-in electron, real TLS post)', { skip }, () => {
  let post: RoomCertificate;
  let other: RoomCertificate;
  let server: tls.Server;
  let address: string;

  before(async () => {
    post = await roomCertificate(tempDataDir(), '127.0.0.2');
    other = await roomCertificate(tempDataDir(), '127.0.0.2');
    server = tls.createServer({ key: post.keyPem, cert: post.certPem, minVersion: 'TLSv1.3' }, (socket) => socket.end());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.2', resolve));
    address = `127.0.0.2:${(server.address() as AddressInfo).port}`;
  });
  after(() => new Promise((resolve) => server.close(resolve)));

  test('--join with the right --fingerprint: pinned, the post opened, only its certificate and origin let through', async () => {
    const fake = fakeElectron();
    const data = tempDataDir();
    await startMain(['--data', data, '--join', address, '--fingerprint', post.fingerprint], fake);
    assert.deepEqual(fake.messageBoxes, []);
    const [win] = fake.BrowserWindow.all;
    assert.ok(win, 'a console window');
    assert.equal(win.webContents.url, `https://${address}/`);
    assert.equal(win.options.webPreferences?.contextIsolation, true);
    assert.equal(win.options.webPreferences?.sandbox, true);
    assert.equal(win.options.webPreferences?.nodeIntegration, false);
    const pins = JSON.parse(fs.readFileSync(path.join(data, 'desktop-profile', 'post-pins.json'), 'utf8')) as {
      pins: { address: string; fingerprint: string }[];
    };
    assert.deepEqual(
      pins.pins.map((pin) => [pin.address, pin.fingerprint]),
      [[address, post.fingerprint]],
    );
    assert.deepEqual(fake.privileged, [{ scheme: 'vigie', privileges: { standard: true, secure: true } }]);

    // TLS: the pinned certificate for the post's host only.
    assert.equal(await verify(fake, '127.0.0.2', post.certPem), 0);
    assert.equal(await verify(fake, '127.0.0.2', other.certPem), -2);
    assert.equal(await verify(fake, '127.0.0.3', post.certPem), -2);

    // Requests: the post's page and socket, the Settings page; nothing else.
    const [, port] = address.split(':');
    for (const url of [`https://${address}/app.js`, `wss://${address}/ws`, 'vigie://settings/settings.js', 'data:image/png;base64,AA=='])
      assert.equal(await allowed(fake, url), true, url);
    for (const url of [
      `http://${address}/`,
      `https://127.0.0.2:${Number(port) + 1}/`,
      'https://example.com/',
      `https://${address}@evil.example/`,
      'file:///etc/passwd',
    ])
      assert.equal(await allowed(fake, url), false, url);

    // window.open: the two pop-outs, with the same hardened preferences; anything else denied.
    const queue = win.webContents.windowOpenHandler!({ url: `https://${address}/#popout=queue` });
    assert.equal(queue.action, 'allow');
    assert.deepEqual(queue.overrideBrowserWindowOptions?.webPreferences, win.options.webPreferences);
    assert.equal(win.webContents.windowOpenHandler!({ url: `https://${address}/#popout=incident` }).action, 'allow');
    for (const url of [`https://${address}/#popout=map`, 'https://example.com/#popout=queue', `https://${address}/other#popout=queue`])
      assert.equal(win.webContents.windowOpenHandler!({ url }).action, 'deny', url);

    // Navigation: the post's origin only.
    const navigate = (url: string) => {
      let prevented = false;
      win.webContents.emit('will-navigate', { url, preventDefault: () => (prevented = true) });
      return !prevented;
    };
    assert.equal(navigate(`https://${address}/#popout=queue`), true);
    assert.equal(navigate('https://example.com/'), false);
    assert.equal(navigate('vigie://settings/'), false);

    // A pop-out window is a console window: it may print; no window gets a core token (a seat has none).
    const popout = new fake.BrowserWindow({ webPreferences: queue.overrideBrowserWindowOptions!.webPreferences as Record<string, unknown> });
    win.webContents.emit('did-create-window', popout);
    await popout.loadURL(`https://${address}/#popout=queue`);
    assert.throws(() => fake.ipc.get('vigie:core-token')!(eventFrom(win)), /refused/);
    assert.equal(popout.webContents.windowOpenHandler!({ url: `https://${address}/#popout=incident` }).action, 'allow');

    // Settings: opened from the menu, on vigie://settings/, with its own preload; its IPC answers it alone.
    fake.menuItem('settings')!.click!();
    const settings = fake.BrowserWindow.all.at(-1)!;
    assert.equal(settings.webContents.url, 'vigie://settings/');
    assert.match(String(settings.options.webPreferences?.preload), /settingsPreload\.cjs$/);
    assert.equal(settings.options.webPreferences?.sandbox, true);
    const view = (await fake.ipc.get('vigie:settings-load')!(eventFrom(settings))) as { pins: { address: string }[]; commandLine: string };
    assert.deepEqual(
      view.pins.map((pin) => pin.address),
      [address],
    );
    assert.match(view.commandLine, new RegExp(`--join ${address}`));
    await assert.rejects(async () => fake.ipc.get('vigie:settings-load')!(eventFrom(win)), /refused/);
    // What the page sends is checked again: an extra key (a preload path, say) is refused, nothing written.
    const refused = (await fake.ipc.get('vigie:settings-save')!(eventFrom(settings), { mode: 'own', room: null, join: null, preload: '/tmp/x.js' })) as {
      saved: boolean;
    };
    assert.equal(refused.saved, false);
    assert.equal(fs.existsSync(path.join(data, 'desktop-profile', 'desktop-settings.json')), false);
    await assert.rejects(async () => fake.ipc.get('vigie:settings-save')!(eventFrom(win), { mode: 'own', room: null, join: null }), /refused/);
    assert.deepEqual(await fake.ipc.get('vigie:settings-save')!(eventFrom(settings), { mode: 'own', room: '127.0.0.2:9443', join: null }), { saved: true });
    assert.equal(fs.readFileSync(path.join(data, 'desktop-profile', 'desktop-settings.json'), 'utf8').includes('127.0.0.2:9443'), true);
    assert.deepEqual(await fake.ipc.get('vigie:settings-forget-pin')!(eventFrom(settings), address), []);
    // The Settings window may only stay on its own origin.
    let prevented = false;
    settings.webContents.emit('will-navigate', { url: `https://${address}/`, preventDefault: () => (prevented = true) });
    assert.equal(prevented, true);

    // The Settings page's files, with their CSP; nothing else under the scheme.
    const serve = fake.protocols.get('vigie')!;
    const page = await serve(new Request('vigie://settings/'));
    assert.equal(page.status, 200);
    assert.match(page.headers.get('content-security-policy') ?? '', /default-src 'none'; script-src 'self'/);
    assert.match(await page.text(), /settings\.js/);
    for (const url of ['vigie://settings/../electron/main.cjs', 'vigie://settings/main.cjs', 'vigie://other/'])
      assert.equal((await serve(new Request(url))).status, 404, url);
  });

  test('a changed certificate: refused before any window opens, naming both fingerprints and the pins file; the pin kept', async () => {
    const fake = fakeElectron();
    const data = tempDataDir();
    const pinsFile = path.join(data, 'desktop-profile', 'post-pins.json');
    fs.mkdirSync(path.dirname(pinsFile), { recursive: true });
    const pinsText = JSON.stringify({ pins: [{ address, fingerprint: other.fingerprint, pinnedAt: '2026-12-01T08:00:00.000Z' }] });
    fs.writeFileSync(pinsFile, pinsText);
    fake.answerDialogs(1); // Quit
    await startMain(['--data', data, '--join', address], fake);
    assert.deepEqual(fake.BrowserWindow.getAllWindows(), []);
    const [box] = fake.messageBoxes;
    assert.match(box!.message, new RegExp(`The post at ${address} presents another certificate than the one pinned: refused`));
    assert.ok(box!.detail!.includes(`Pinned:    ${other.fingerprint}`));
    assert.ok(box!.detail!.includes(`Presented: ${post.fingerprint}`));
    assert.ok(box!.detail!.includes(pinsFile), 'where to reset the pin');
    assert.match(box!.detail!, /--renew-certificate/);
    assert.deepEqual(box!.buttons, ['Open settings', 'Quit']);
    assert.equal(fs.readFileSync(pinsFile, 'utf8'), pinsText);
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(fake.app.quits, 1);
    // Chromium is not let through either: nothing is pinned for this run.
    assert.equal(await verify(fake, '127.0.0.2', post.certPem), -2);
  });

  test('first use without --fingerprint: the operator is asked to compare; Cancel pins nothing and quits, Trust pins', async () => {
    for (const [response, pinned] of [
      [1, false],
      [0, true],
    ] as const) {
      const fake = fakeElectron();
      const data = tempDataDir();
      fake.answerDialogs(response);
      await startMain(['--data', data, '--join', address], fake);
      for (let i = 0; i < 100 && response === 0 && fake.BrowserWindow.all.length === 0; i++) await new Promise((resolve) => setTimeout(resolve, 10));
      const [box] = fake.messageBoxes;
      assert.equal(box!.message, `First connection to the post at ${address}.`);
      assert.ok(box!.detail!.includes(post.fingerprint));
      assert.deepEqual(box!.buttons, ['Trust and connect', 'Cancel']);
      assert.equal(fs.existsSync(path.join(data, 'desktop-profile', 'post-pins.json')), pinned);
      assert.equal(fake.BrowserWindow.all.length, pinned ? 1 : 0);
      assert.equal(fake.app.quits, pinned ? 0 : 1);
    }
  });

  test('the post’s page failing to load: said once, Settings offered, the console closed without ending the app', async () => {
    const fake = fakeElectron();
    await startMain(['--data', tempDataDir(), '--join', address, '--fingerprint', post.fingerprint], fake);
    const [win] = fake.BrowserWindow.all;
    fake.answerDialogs(0); // Open settings
    win!.webContents.emit('did-fail-load', {}, -202, 'ERR_CERT_AUTHORITY_INVALID', `https://${address}/`, true);
    win!.webContents.emit('did-fail-load', {}, -202, 'ERR_CERT_AUTHORITY_INVALID', `https://${address}/`, true);
    await new Promise((resolve) => setTimeout(resolve, 20));
    assert.equal(fake.messageBoxes.length, 1, 'one dialog');
    assert.equal(fake.messageBoxes[0]!.detail, `The post's console at ${address} could not be opened (ERR_CERT_AUTHORITY_INVALID).`);
    const open = fake.BrowserWindow.getAllWindows();
    assert.deepEqual(
      open.map((w) => w.webContents.url),
      ['vigie://settings/'],
    );
    assert.equal(fake.app.quits, 0);
    // Nothing of the post is let through any more.
    assert.equal(await allowed(fake, `https://${address}/`), false);
    assert.equal(await verify(fake, '127.0.0.2', post.certPem), -2);
  });

  test('an unreachable post and refused arguments are said in one sentence', async () => {
    const unreachable = fakeElectron();
    unreachable.answerDialogs(1);
    await startMain(['--data', tempDataDir(), '--join', '127.0.0.2:1'], unreachable);
    assert.match(unreachable.messageBoxes[0]!.detail!, /The post at 127\.0\.0\.2:1 did not answer \(.*ECONNREFUSED.*\)/);

    const refused = fakeElectron();
    await startMain(['--data', tempDataDir(), '--join', address, '--room', '10.0.0.2:8443'], refused);
    assert.deepEqual(refused.messageBoxes[0], {
      message: 'Vigie cannot start with these arguments.',
      detail: '--join and --room cannot go together: a seat that joins a post runs no post of its own',
      buttons: [],
    });
  });
});

describe('the main process on its own post (stand-in electron and core)', { skip }, () => {
  test('--room goes to the core; the token reaches the console and its pop-outs only; Settings shows the room line', async () => {
    const fake = fakeElectron();
    await startMain(['--data', tempDataDir(), '--room', '127.0.0.2:8443'], fake);
    assert.equal(fake.forks.length, 1);
    assert.deepEqual(fake.forks[0]!.args.slice(-2), ['--room', '127.0.0.2:8443']);
    const [win] = fake.BrowserWindow.all;
    assert.equal(win!.webContents.url, 'http://127.0.0.1:4100/');
    assert.equal(fake.ipc.get('vigie:core-token')!(eventFrom(win!)), 'secret');

    // The loopback console and its socket; not the room address (that is for other seats), not TLS at all.
    for (const url of ['http://127.0.0.1:4100/app.js', 'ws://127.0.0.1:4100/ws']) assert.equal(await allowed(fake, url), true, url);
    for (const url of ['https://127.0.0.2:8443/', 'http://127.0.0.1:4101/', 'http://localhost:4100/']) assert.equal(await allowed(fake, url), false, url);
    assert.equal(await verify(fake, '127.0.0.2', (await roomCertificate(tempDataDir(), '127.0.0.2')).certPem), -2);

    // A pop-out gets the token too; a window main.ts did not open for the console does not.
    const opened = win!.webContents.windowOpenHandler!({ url: 'http://127.0.0.1:4100/#popout=incident' });
    assert.equal(opened.action, 'allow');
    const popout = new fake.BrowserWindow({ webPreferences: opened.overrideBrowserWindowOptions!.webPreferences as Record<string, unknown> });
    win!.webContents.emit('did-create-window', popout);
    await popout.loadURL('http://127.0.0.1:4100/#popout=incident');
    assert.equal(fake.ipc.get('vigie:core-token')!(eventFrom(popout)), 'secret');
    const stranger = new fake.BrowserWindow({});
    await stranger.loadURL('http://127.0.0.1:4100/');
    assert.throws(() => fake.ipc.get('vigie:core-token')!(eventFrom(stranger)), /refused/);
    assert.equal(stranger.webContents.windowOpenHandler!({ url: 'http://127.0.0.1:4100/#popout=queue' }).action, 'deny');
    // A frame inside the console is not the console.
    assert.throws(
      () => fake.ipc.get('vigie:core-token')!({ sender: win!.webContents, senderFrame: { frameTreeNodeId: -1, parent: {}, url: 'http://127.0.0.1:4100/' } }),
      /refused/,
    );

    fake.menuItem('settings')!.click!();
    const settings = fake.BrowserWindow.all.at(-1)!;
    assert.throws(() => fake.ipc.get('vigie:core-token')!(eventFrom(settings)), /refused/);
    const view = (await fake.ipc.get('vigie:settings-load')!(eventFrom(settings))) as { room: unknown; commandLine: string };
    assert.deepEqual(view.room, { url: 'https://127.0.0.2:8443/', fingerprint: ROOM_FINGERPRINT });
    assert.equal(view.commandLine, '--room 127.0.0.2:8443');
  });
});
