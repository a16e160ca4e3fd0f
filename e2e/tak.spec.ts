// TAK GeoChat end to end (issue 13 items 4 and 10): a real `vigie serve`, an
// ATAK device played by a real TCP client sending real captures (its
// self-report, then its chat), the console in Chromium. The device's chat
// shows in the GeoChat panel, in its own thread; the operator replies from
// the keyboard; the device's socket receives the GeoChat and answers a read
// receipt, shown as read; `vigie export` has the messages and the receipt.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { projectRoot } from '../electron/core/paths';
import { vigieBin } from './fixtures/coreServer';
import { expect, test } from './fixtures/test';
import { ConsolePage } from './page-models/consolePage';
import { refreshTimes } from '../test/feeds/takTimes';

type Listener = { protocol: string; transport: string; port: number };
const samples = path.join(projectRoot, 'test/fixtures/feeds/cot/tak-samples');
const sample = (name: string) => refreshTimes(fs.readFileSync(path.join(samples, name), 'utf8'), Date.now());
const DEVICE = 'ANDROID-R52JB0CDC4E';

test('a device’s chat shows in the GeoChat panel; the operator’s reply reaches its socket and is read', async ({ page, core }) => {
  test.setTimeout(60_000);
  const console = new ConsolePage(page);
  await console.open(core.consoleUrl);
  const { listeners } = await core.api<{ listeners: Listener[] }>('feeds.status');
  const cotTcp = listeners.find((l) => l.protocol === 'cot' && l.transport === 'tcp')!.port;

  // The ATAK tablet connects over TCP: its self-report first, as ATAK does, then a chat (with markup: shown as text).
  const device = net.connect(cotTcp, '127.0.0.1');
  await new Promise((resolve) => device.once('connect', resolve));
  let received = '';
  device.on('data', (chunk: Buffer) => (received += chunk.toString('utf8')));
  device.write(sample('fts-a-f-G-U-C-1581185452254.xml'));
  device.write(sample('fts-b-t-f-1581185463563.xml').replace('need supoort', 'need support &lt;b&gt;now&lt;/b&gt;'));

  const panel = page.getByTestId('chat-panel');
  await panel.scrollIntoViewIfNeeded();
  const thread = panel.locator(`button[data-thread="device:${DEVICE}"]`);
  await expect(thread).toContainText('corvTab', { timeout: 10_000 });
  await thread.focus();
  await page.keyboard.press('Enter');
  await expect(thread).toHaveAttribute('aria-pressed', 'true');
  const messages = panel.locator('.chat-message');
  await expect(messages.first()).toContainText('need support <b>now</b>');
  await expect(panel.locator('.chat-text b')).toHaveCount(0);

  // The reply, from the keyboard: Tab to the message field, type, Enter.
  const input = panel.getByRole('textbox', { name: 'Message to corvTab' });
  await input.focus();
  await page.keyboard.type('Patrouille en route vers Sangatte');
  await page.keyboard.press('Enter');
  await expect(input).toHaveValue('');
  const reply = panel.locator('.chat-message.out');
  await expect(reply).toContainText('Patrouille en route vers Sangatte');
  await expect(reply.getByTestId('chat-receipts')).toContainText('sent to 1');

  // The device's socket receives ATAK's GeoChat, addressed to it.
  await expect.poll(() => received, { timeout: 10_000 }).toContain('Patrouille en route vers Sangatte</remarks>');
  expect(received).toContain(`type="b-t-f"`);
  expect(received).toContain(`chatroom="corvTab" id="${DEVICE}" senderCallsign="VIGIE"`);
  const messageId = /messageId="([^"]+)"/.exec(received)![1]!;

  // ATAK reads it: its read receipt, named after the message.
  const now = new Date().toISOString();
  device.write(
    `<event version="2.0" uid="${messageId}" type="b-t-f-r" time="${now}" start="${now}" stale="${new Date(Date.now() + 86_400_000).toISOString()}" how="h-g-i-g-o">` +
      `<point lat="0.0" lon="0.0" hae="0.0" ce="9999999.0" le="9999999.0"/><detail><__chatreceipt parent="RootContactGroup" groupOwner="false" messageId="${messageId}" chatroom="VIGIE" senderCallsign="corvTab">` +
      `<chatgrp uid0="${DEVICE}"/></__chatreceipt><link uid="${DEVICE}" type="a-f-G-U-C" relation="p-p"/></detail></event>`,
  );
  await expect(reply.getByTestId('chat-receipts')).toContainText('read 1/1', { timeout: 10_000 });
  await expect(reply.getByTestId('chat-receipts')).toHaveAttribute('data-read', '1');
  await panel.scrollIntoViewIfNeeded();
  await page.screenshot({ path: path.join(projectRoot, 'docs/screenshots/tak-chat.png') });
  device.destroy();

  // In French too, switched at run time.
  await console.languageButton('fr').click();
  await expect(panel.locator('button[data-thread="all"]')).toHaveText('Tous les salons');
  await expect(reply.getByTestId('chat-receipts')).toContainText('lu 1/1');
  await expect(panel.getByRole('textbox', { name: 'Message à corvTab' })).toBeVisible();

  const exported = spawnSync(process.execPath, [vigieBin, 'export', '--data', core.dataDir], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  expect(exported.status, exported.stderr).toBe(0);
  const events = exported.stdout
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as { kind: string; operator: string | null; payload: Record<string, unknown> });
  expect(events.find((e) => e.kind === 'chat.received')?.payload.text).toBe('need support <b>now</b>');
  const sent = events.find((e) => e.kind === 'chat.sent');
  expect(sent?.operator).toBe('duty');
  expect(sent?.payload).toMatchObject({ text: 'Patrouille en route vers Sangatte', to: `device:${DEVICE}`, d: [DEVICE] });
  expect(events.find((e) => e.kind === 'chat.receipt')?.payload).toMatchObject({ m: messageId, st: 'read', d: DEVICE });
});
