// One lint setup. Besides the usual rules it enforces the architecture:
// the core never imports electron, the renderer never imports Node, and
// shared/ imports neither; the simulator imports only shared/ and itself, and
// the core never imports the simulator.
import js from '@eslint/js';
import globals from 'globals';
import { builtinModules } from 'node:module';
import tseslint from 'typescript-eslint';

const nodeBuiltins = [...builtinModules, ...builtinModules.map((name) => `node:${name}`)];
const noNode = {
  paths: nodeBuiltins.map((name) => ({ name, message: 'The renderer and shared/ run in the browser: no Node built-ins. Ask the core through the contract.' })),
  patterns: [
    { group: ['electron', 'electron/*'], message: 'The renderer reaches Electron only through the preload bridge.' },
    { group: ['better-sqlite3', 'ws'], message: 'Node-only package.' },
  ],
};

// The simulator feeds a core only over its sockets: it may import shared/, its
// own files, zod, ws (its WebSocket client) and Node built-ins — nothing from
// electron/core, electron/main, electron/cli or renderer/. Where a relative
// path lands depends on how deep the importing file sits, so there is one
// block per folder depth (test/lint/architecture.test.ts checks that every
// simulator file is covered).
const simulatorMessage =
  'The simulator talks to a core only over its sockets: it imports shared/, its own files, zod, ws and Node built-ins — never electron/core, electron/main, electron/cli or renderer/.';
function simulatorImports(depth) {
  const inside = depth === 0 ? '\\./' : `\\./|(\\.\\./){1,${depth}}(?!\\.\\./)`;
  const shared = `(\\.\\./){${depth + 2}}shared(/|$)`;
  const packages = `\\.|node:|zod(/|$)|ws$|(${builtinModules.join('|')})(/|$)`;
  return {
    files: [`electron/simulator/${'*/'.repeat(depth)}*`],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { regex: `^(?!${inside}|${shared})\\.`, message: simulatorMessage },
            { regex: `^(?!${packages})`, message: simulatorMessage },
          ],
        },
      ],
    },
  };
}

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'tools/.cache/**', 'test-results/**', 'playwright-report/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    files: ['**/*.cjs'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['electron/core/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: 'electron',
              message: 'The core is plain Node and must run without Electron (vigie serve, tests). Talk to the shell through process.parentPort.',
            },
          ],
          patterns: [
            { regex: '(^|/)main/', message: 'The core must not depend on the Electron shell.' },
            {
              regex: '(^|/)simulator(/|$)',
              message: 'The core never imports the simulator: the simulator feeds a core only over its sockets, and electron/cli/vigie.ts starts either.',
            },
            { regex: '(^|/)cli(/|$)', message: 'The core never imports the vigie command: electron/cli/ starts the core, not the other way round.' },
            { regex: '(^|/)renderer(/|$)', message: 'The core never imports the console: they meet only through shared/contract.' },
          ],
        },
      ],
    },
  },
  {
    // The shell starts the core as a separate process (dist/cli/vigie.cjs) and talks to it through shared/contract/shell.ts.
    files: ['electron/main/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '(^|/)(core|cli|simulator|renderer)(/|$)',
              message: 'The shell imports only shared/: it starts the core as a process and loads the console from the core.',
            },
          ],
        },
      ],
    },
  },
  {
    // The diagnostic log runs in the core's process and in the Electron shell alike: Node and pino, nothing else.
    files: ['electron/diagnostics/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ regex: '^\\.\\./|^(?!\\.|node:|pino$|sonic-boom$)', message: 'electron/diagnostics/ imports only Node built-ins, pino and itself.' }] },
      ],
    },
  },
  ...[0, 1, 2, 3].map(simulatorImports),
  {
    files: ['renderer/**', 'shared/**'],
    languageOptions: { globals: { ...globals.browser } },
    rules: { 'no-restricted-imports': ['error', noNode] },
  },
  {
    files: ['shared/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          ...noNode,
          patterns: [...noNode.patterns, { regex: '(^|/)(renderer|electron)(/|$)', message: 'shared/ sits below both the core and the renderer.' }],
        },
      ],
    },
  },
);
