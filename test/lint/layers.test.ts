// Each layer compiles with only what it may use (renderer/tsconfig.json: the
// browser, no Node; electron/tsconfig.json: Node, no DOM). These prove the
// layer configs refuse the other side's globals, and that shared/ code
// compiles under both.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import ts from 'typescript';

const root = path.resolve(__dirname, '../..');

/** Type errors of one source file placed in `folder`, compiled with that layer's tsconfig. */
function compileIn(layerConfig: string, folder: string, code: string): string[] {
  const config = ts.getParsedCommandLineOfConfigFile(
    path.join(root, layerConfig),
    {},
    { ...ts.sys, onUnRecoverableConfigFileDiagnostic: (d) => assert.fail(String(d.messageText)) },
  )!;
  const file = path.join(root, folder, `layer-probe-${process.pid}.ts`);
  const host = ts.createCompilerHost(config.options);
  const readFile = host.readFile.bind(host);
  host.readFile = (name) => (path.resolve(name) === file ? code : readFile(name));
  const fileExists = host.fileExists.bind(host);
  host.fileExists = (name) => path.resolve(name) === file || fileExists(name);
  const program = ts.createProgram([file], config.options, host);
  return ts.getPreEmitDiagnostics(program, program.getSourceFile(file)).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
}

describe('a tsconfig per layer', () => {
  test('the renderer has no Node types', () => {
    const errors = compileIn('renderer/tsconfig.json', 'renderer', 'export const home = process.env.HOME;\nexport const b = Buffer.from("x");\n');
    assert.equal(errors.length, 2, errors.join('\n'));
    assert.match(errors.join('\n'), /Cannot find name 'process'/);
    assert.deepEqual(compileIn('renderer/tsconfig.json', 'renderer', 'export const title = document.title;\n'), []);
  });

  test('the core has no DOM', () => {
    const errors = compileIn('electron/tsconfig.json', 'electron/core', 'export const title = document.title;\nexport const w = window.innerWidth;\n');
    assert.equal(errors.length, 2, errors.join('\n'));
    assert.match(errors.join('\n'), /Cannot find name 'document'/);
    assert.deepEqual(compileIn('electron/tsconfig.json', 'electron/core', 'export const pid = process.pid;\n'), []);
  });

  test('both layers include shared/ and neither config is missing', () => {
    for (const config of ['renderer/tsconfig.json', 'electron/tsconfig.json', 'electron/main/tsconfig.json'])
      assert.ok(fs.existsSync(path.join(root, config)), config);
    const files = (config: string) =>
      ts.getParsedCommandLineOfConfigFile(path.join(root, config), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => {} })!.fileNames;
    const sharedContract = path.join(root, 'shared/contract/index.ts');
    assert.ok(
      files('renderer/tsconfig.json')
        .map((f) => path.resolve(f))
        .includes(sharedContract),
    );
    assert.ok(
      files('electron/tsconfig.json')
        .map((f) => path.resolve(f))
        .includes(sharedContract),
    );
  });
});
