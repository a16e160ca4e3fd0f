// Evidence files: an incident and a shift exported by `vigie export`, checked
// by `vigie verify FILE` from another folder with nothing but the file; every
// kind of tampering with the file is reported at the event or block it hits.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { startCore, type RunningCore } from '../../electron/core/core';
import { verifyEvidence, type EvidenceFile } from '../../electron/core/evidence/evidence';
import { silentLogger } from '../../electron/core/logger';
import { signInHeaders, tempDataDir, until } from '../helpers';

const vigie = path.join(__dirname, '..', '..', 'bin', 'vigie.cjs');
const run = (...args: string[]) => spawnSync(process.execPath, [vigie, ...args], { encoding: 'utf8' });

describe('evidence files', () => {
  const dir = tempDataDir();
  const dataDir = path.join(dir, 'data');
  const elsewhere = path.join(dir, 'another-machine');
  let core: RunningCore;
  let incident: string;
  let shift: number;

  before(async () => {
    fs.mkdirSync(path.join(dir, 'renderer'));
    fs.mkdirSync(elsewhere);
    fs.writeFileSync(path.join(dir, 'renderer', 'index.html'), '<!doctype html>');
    core = await startCore({
      dataDir,
      logger: silentLogger,
      rendererDir: path.join(dir, 'renderer'),
      feedPorts: { cotUdp: 0, cotTcp: 0, jsonTcp: 0, jsonWs: 0 },
    });
    const headers = await signInHeaders(core);
    const call = async <T>(method: string, params: object) => {
      const body = (await (await fetch(`http://127.0.0.1:${core.port}/api/${method}`, { method: 'POST', headers, body: JSON.stringify(params) })).json()) as {
        ok: boolean;
        result: T;
        error?: unknown;
      };
      assert.ok(body.ok, `${method}: ${JSON.stringify(body.error)}`);
      return body.result;
    };
    const port = core.feeds!.listeners.find((l) => l.protocol === 'json' && l.transport === 'tcp')!.port;
    const device = net.connect(port, '127.0.0.1');
    await new Promise((resolve) => device.once('connect', resolve));
    device.on('data', () => undefined);
    const send = (line: object) => device.write(`${JSON.stringify({ v: 1, ...line })}\n`);
    send({ type: 'hello', unit: 'U01' });
    // Traffic around the incident, so its proof spans blocks holding other events.
    for (let i = 0; i < 20; i++) send({ type: 'unit-position', unit: 'U01', lat: 50.95 + i / 1000, lon: 1.8, heading: 250, speed: 10 });
    send({ type: 'detection', sensor: 'CAM-SANGATTE', detection: 'D1', kind: 'boat-launch', lat: 50.9505, lon: 1.7402, confidence: 0.9 });
    send({ type: 'detection', sensor: 'CAM-WISSANT', detection: 'D2', kind: 'vehicle', lat: 50.887, lon: 1.662, confidence: 0.6 });
    const launch = await until(() => [...core.picture.alerts.values()].find((alert) => alert.subject === 'det:CAM-SANGATTE/D1'), 'the launch alert');
    incident = (await call<{ incident: string }>('alert.acknowledge', { alert: launch.id })).incident;
    await call('dispatch.assign', { incident, unit: 'U01' });
    for (let i = 0; i < 20; i++) send({ type: 'unit-position', unit: 'U01', lat: 50.97 - i / 1000, lon: 1.76, heading: 250, speed: 10 });
    // On the spot: on scene, set by the core.
    send({ type: 'unit-position', unit: 'U01', lat: 50.9506, lon: 1.7403, heading: 250, speed: 2 });
    await until(() => core.picture.units.get('U01')!.status === 'on-scene', 'U01 on scene');
    await call('incident.addNote', { incident, text: 'Boat seen from the dunes.' });
    await call('incident.close', { incident, outcome: 'launch-prevented', notes: 'Dispersed.' });
    shift = (await call<{ id: number }>('shift.close', { handover: 'End of a short night.' })).id;
    device.destroy();
    await core.stop('evidence test');
  });
  after(async () => core.stop());

  const exportTo = (file: string, ...scope: string[]) => run('export', '--data', dataDir, ...scope, '--out', file);
  const verifyFile = (file: string) => run('verify', file);

  test('an incident exported with its proof verifies on its own, elsewhere', () => {
    const file = path.join(elsewhere, 'incident.json');
    const exported = exportTo(file, '--incident', incident);
    assert.equal(exported.status, 0, exported.stderr);
    const evidence = JSON.parse(fs.readFileSync(file, 'utf8')) as EvidenceFile;
    assert.deepEqual(
      [...new Set(evidence.events.map((event) => event.kind))].sort(),
      ['alert.acknowledged', 'alert.raised', 'dispatch.assigned', 'incident.closed', 'incident.noted', 'incident.opened', 'unit.status'].sort(),
    );
    // The other camera's alert is not part of it.
    assert.equal(
      evidence.events.some((event) => JSON.stringify(event.value).includes('CAM-WISSANT')),
      false,
    );
    const verified = verifyFile(file);
    assert.equal(verified.status, 0, verified.stdout);
    assert.match(
      verified.stdout,
      new RegExp(
        `^ok: incident ${incident}, \\d+ events proven by blocks \\d+–\\d+; block \\d+ hash [0-9a-f]{64}\\nsigned by post "Côte d'Opale — demo post" with key ${core.postKey.fingerprint} \\(block \\d+, [^)]*, shift-close\\)\\n$`,
      ),
    );
  });

  test('a shift exported with its proof verifies; its events are the shift’s seq range', () => {
    const file = path.join(elsewhere, 'shift.json');
    assert.equal(exportTo(file, '--shift', String(shift)).status, 0);
    const evidence = JSON.parse(fs.readFileSync(file, 'utf8')) as EvidenceFile;
    assert.equal(evidence.events[0]!.kind, 'shift.opened');
    assert.equal(evidence.events.at(-1)!.kind, 'shift.closed');
    assert.ok(evidence.events.some((event) => event.kind === 'unit.position'));
    assert.equal(verifyFile(file).status, 0);
    // No leaf of another event is needed: the shift is every event of its range.
    assert.ok(evidence.chain.slice(1, -1).every((block) => block.otherLeaves === ''));
  });

  test('tampering with the file is reported at the event or block it touches', () => {
    const original = JSON.parse(fs.readFileSync(path.join(elsewhere, 'incident.json'), 'utf8')) as EvidenceFile;
    const copy = (): EvidenceFile => JSON.parse(JSON.stringify(original)) as EvidenceFile;
    const closed = original.events.findIndex((event) => event.kind === 'incident.closed');
    const closedSeq = original.events[closed]!.seq;

    // A different outcome, said and stored consistently: the leaf no longer matches.
    const outcome = copy();
    const event = outcome.events[closed]!;
    event.value = { ...(event.value as object), outcome: 'intercepted-on-beach' };
    event.payload = event.payload.replace('launch-prevented', 'intercepted-on-beach');
    const broken = verifyEvidence(outcome);
    assert.equal(broken.ok, false);
    assert.equal(!broken.ok && broken.seq, closedSeq);

    // What the event says no longer matches what is stored.
    const said = copy();
    said.events[closed]!.value = { ...(said.events[closed]!.value as object), notes: 'nothing happened' };
    const lie = verifyEvidence(said);
    assert.equal(!lie.ok && lie.reason, `event ${closedSeq}'s payload differs from what was logged`);

    // An event removed from the file (its leaf is then missing from its block).
    const removed = copy();
    removed.events.splice(1, 1);
    assert.equal(verifyEvidence(removed).ok, false);

    // Two events swapped.
    const swapped = copy();
    [swapped.events[0], swapped.events[1]] = [swapped.events[1]!, swapped.events[0]!];
    assert.match(verifyEvidence(swapped).ok ? '' : (verifyEvidence(swapped) as { reason: string }).reason, /out of order/);

    // A block left out of the chain, and a forged link.
    if (original.chain.length > 2) {
      const gap = copy();
      gap.chain.splice(1, 1);
      assert.match((verifyEvidence(gap) as { reason: string }).reason, /missing from the chain/);
    }
    const forged = copy();
    forged.chain.at(-1)!.prevHash = 'ff'.repeat(32);
    assert.equal(verifyEvidence(forged).ok, false);

    // On the command line: exit 1 and the place of the break.
    const tampered = path.join(elsewhere, 'tampered.json');
    fs.writeFileSync(tampered, JSON.stringify(outcome));
    const verified = verifyFile(tampered);
    assert.equal(verified.status, 1);
    assert.match(verified.stdout, new RegExp(`^BROKEN at seq ${closedSeq}`));
    const notEvidence = path.join(elsewhere, 'not.json');
    fs.writeFileSync(notEvidence, '{"hello":1}');
    assert.match(verifyFile(notEvidence).stdout, /^BROKEN: not a Vigie evidence file/);
  });

  test('unknown scopes and bad usage say so', () => {
    const missing = exportTo(path.join(elsewhere, 'none.json'), '--incident', 'I99999');
    assert.equal(missing.status, 1);
    assert.match(missing.stderr, /no incident I99999/);
    assert.equal(run('export', '--data', dataDir, '--shift', 'x', '--out', path.join(elsewhere, 'x.json')).status, 2);
    assert.equal(run('export', '--data', dataDir, '--incident', incident).status, 2);
  });
});
