// The layering is a lint rule, not a convention: these prove the rule fires.
import assert from 'node:assert/strict';
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
    assert.match((await restrictedImports("import { startCore } from '../electron/core/core';\nexport const x = startCore;\n", 'shared/example.ts')).join(' '), /shared\/ sits below/);
  });

  test('the same imports are fine where they belong', async () => {
    assert.deepEqual(await restrictedImports("import fs from 'node:fs';\nexport const x = fs;\n", 'electron/core/example.ts'), []);
    assert.deepEqual(await restrictedImports("import { app } from 'electron';\nexport const x = app;\n", 'electron/main/example.ts'), []);
  });
});
