// `npm run lint` also refuses import circles between files
// (tools/check-import-cycles.mjs): this proves the check fires, type-only and
// index imports included, and that the project itself has none.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, test } from 'node:test';

const checker = path.resolve(__dirname, '../../tools/check-import-cycles.mjs');
const check = (root?: string) => spawnSync(process.execPath, [checker, ...(root ? [root] : [])], { encoding: 'utf8' });

function tree(files: Record<string, string>): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'vigie-cycles-'));
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, name)), { recursive: true });
    fs.writeFileSync(path.join(root, name), text);
  }
  return root;
}

describe('import circles', () => {
  test('a circle through a type-only import and a folder index is found and named', () => {
    const root = tree({
      // A line comment naming a glob (slices/*.ts) must not hide the imports below it.
      'electron/core/a.ts':
        "// composed of slices (slices/*.ts)\nimport type { B } from './b';\nconst s = '/*';\n/** A, through b. */\nexport type A = B;\nexport { s };\n",
      'electron/core/b.ts': "import { c } from '../c';\nexport type B = typeof c;\n",
      'electron/c/index.ts': "export const c = 1;\nexport type { A } from '../core/a';\n",
      'shared/fine.ts': 'export const fine = 1;\n',
    });
    const result = check(root);
    assert.equal(result.status, 1, result.stdout);
    assert.match(result.stderr, /import circles: 1/);
    assert.match(result.stderr, /electron\/c\/index\.ts → electron\/core\/a\.ts → electron\/core\/b\.ts → electron\/c\/index\.ts/);
  });

  test('imports quoted in comments do not count, and a tree without circles passes', () => {
    const root = tree({
      'shared/a.ts': "// import { b } from './b';\nexport const a = 1;\n",
      'shared/b.ts': "import { a } from './a';\nexport const b = a;\n",
    });
    const result = check(root);
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stdout, /none among 2 files/);
  });

  test('the project has none', () => {
    const result = check();
    assert.equal(result.status, 0, result.stderr);
  });
});
