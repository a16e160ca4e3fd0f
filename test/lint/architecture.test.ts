// The layering is a lint rule, not a convention: these prove the rule fires.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { ESLint } from 'eslint';

const root = path.resolve(__dirname, '../..');
const eslint = new ESLint({ cwd: root });

async function restrictedImports(code: string, file: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: path.join(root, file) });
  return result!.messages.filter((message) => message.ruleId === 'no-restricted-imports').map((message) => message.message);
}

describe('architecture lint rules', () => {
  test('the core cannot import electron', async () => {
    const messages = await restrictedImports("import { app } from 'electron';\nexport const x = app;\n", 'electron/core/example.ts');
    assert.equal(messages.length, 1);
    assert.match(messages[0]!, /core is plain Node/);
  });

  test('the renderer cannot import Node built-ins or electron', async () => {
    assert.equal((await restrictedImports("import fs from 'node:fs';\nexport const x = fs;\n", 'renderer/example.ts')).length, 1);
    assert.equal((await restrictedImports("import path from 'path';\nexport const x = path;\n", 'renderer/map/example.tsx')).length, 1);
    assert.equal((await restrictedImports("import { ipcRenderer } from 'electron';\nexport const x = ipcRenderer;\n", 'renderer/example.ts')).length, 1);
  });

  test('shared code cannot import Node, the renderer or the core', async () => {
    assert.equal((await restrictedImports("import { createHash } from 'node:crypto';\nexport const x = createHash;\n", 'shared/example.ts')).length, 1);
    assert.equal((await restrictedImports("import { App } from '../renderer/App';\nexport const x = App;\n", 'shared/example.ts')).length, 1);
    assert.match(
      (await restrictedImports("import { startCore } from '../electron/core/core';\nexport const x = startCore;\n", 'shared/example.ts')).join(' '),
      /shared\/ sits below/,
    );
  });

  test('the simulator imports only shared/ and itself, zod, ws and Node built-ins', async () => {
    const refused = async (code: string, file: string) => {
      const messages = await restrictedImports(code, file);
      assert.equal(messages.length, 1, `${file}: ${code}`);
      assert.match(messages[0]!, /only over its sockets/);
    };
    await refused("import { assetsDir } from '../core/paths';\nexport const x = assetsDir;\n", 'electron/simulator/example.ts');
    await refused("import type { Site } from '../../core/site/siteConfig';\nexport type X = Site;\n", 'electron/simulator/model/example.ts');
    await refused("import { createWindow } from '../main/main';\nexport const x = createWindow;\n", 'electron/simulator/example.ts');
    await refused("export { main } from '../../cli/vigie';\n", 'electron/simulator/transport/example.ts');
    await refused("import { App } from '../../renderer/App';\nexport const x = App;\n", 'electron/simulator/example.ts');
    await refused("import { build } from '../../tools/build.mjs';\nexport const x = build;\n", 'electron/simulator/example.ts');
    await refused("import Database from 'better-sqlite3';\nexport const x = Database;\n", 'electron/simulator/example.ts');
    const fine =
      "import fs from 'node:fs';\nimport path from 'path';\nimport WebSocket from 'ws';\nimport { z } from 'zod';\nimport { Role } from '../../../shared/domain';\nimport { Scenario } from '../scenario';\nimport { Random } from './random';\nexport const x = [fs, path, WebSocket, z, Role, Scenario, Random];\n";
    assert.deepEqual(await restrictedImports(fine, 'electron/simulator/model/example.ts'), []);
  });

  test('every simulator file, at whatever depth, is under that rule', async () => {
    const files = fs.readdirSync(path.join(root, 'electron/simulator'), { recursive: true, encoding: 'utf8' }).filter((file) => file.endsWith('.ts'));
    assert.ok(files.length > 10);
    for (const file of files) {
      const from = path.posix.join('electron/simulator', file.split(path.sep).join('/'));
      const to = (target: string) => path.posix.relative(path.posix.dirname(from), target);
      assert.equal((await restrictedImports(`import { startCore } from '${to('electron/core/core')}';\nexport const x = startCore;\n`, from)).length, 1, from);
      assert.deepEqual(await restrictedImports(`import { Role } from '${to('shared/domain')}';\nexport const x = Role;\n`, from), [], from);
    }
  });

  test('the core cannot import the simulator; the vigie command starts either', async () => {
    assert.match(
      (await restrictedImports("import { runSimulation } from '../simulator/simulate';\nexport const x = runSimulation;\n", 'electron/core/example.ts')).join(
        ' ',
      ),
      /never imports the simulator/,
    );
    assert.equal(
      (await restrictedImports("import type { Scenario } from '../../simulator/scenario';\nexport type X = Scenario;\n", 'electron/core/feeds/example.ts'))
        .length,
      1,
    );
    const cli =
      "import { startCore } from '../core/core';\nimport { runSimulation } from '../simulator/simulate';\nexport const x = [startCore, runSimulation];\n";
    assert.deepEqual(await restrictedImports(cli, 'electron/cli/example.ts'), []);
  });

  test('the core cannot import the vigie command or the console; the shell imports only shared/', async () => {
    assert.match(
      (await restrictedImports("import { main } from '../cli/vigie';\nexport const x = main;\n", 'electron/core/example.ts')).join(' '),
      /vigie command/,
    );
    assert.match(
      (await restrictedImports("import { App } from '../../renderer/App';\nexport const x = App;\n", 'electron/core/example.ts')).join(' '),
      /console/,
    );
    assert.equal((await restrictedImports("import { startCore } from '../core/core';\nexport const x = startCore;\n", 'electron/main/example.ts')).length, 1);
    assert.equal(
      (await restrictedImports("import type { Scenario } from '../simulator/scenario';\nexport type X = Scenario;\n", 'electron/main/example.ts')).length,
      1,
    );
    assert.deepEqual(
      await restrictedImports(
        "import { CoreToShellMessage } from '../../shared/contract';\nexport const x = CoreToShellMessage;\n",
        'electron/main/example.ts',
      ),
      [],
    );
  });

  test('the same imports are fine where they belong', async () => {
    assert.deepEqual(await restrictedImports("import fs from 'node:fs';\nexport const x = fs;\n", 'electron/core/example.ts'), []);
    assert.deepEqual(await restrictedImports("import { app } from 'electron';\nexport const x = app;\n", 'electron/main/example.ts'), []);
  });
});
