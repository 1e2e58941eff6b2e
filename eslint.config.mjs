// The project's rules that a tool can hold: the layering of the folders (docs/design.md, "Layout"),
// a core without clock or randomness, and no promise left floating. Formatting is Prettier's.

import js from '@eslint/js';
import tseslint from 'typescript-eslint';

// Top-level folders of the application, in layering order: each may import those before it (and
// itself), never those after. sim/ and devhost/ are placed by their own rules below.
const APP = ['core', 'runner', 'adapters', 'page', 'functions', 'devhost', 'cli'];

/** A relative import that reaches one of `folders` (at any depth: `../x`, `../../x/y`). */
const into = (folders) => `^(\\.\\./)+(${folders.join('|')})(/|$)`;

/** One no-restricted-imports rule: `folders` may not be reached from these files, with why. */
function layer(files, folders, why, extra = []) {
  return {
    files,
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ regex: into(folders), message: why }, ...extra] }],
    },
  };
}

const above = (folder) => APP.slice(APP.indexOf(folder) + 1);
const SIM_APP = ['runner', 'adapters', 'page', 'functions', 'devhost', 'cli'];

export default tseslint.config(
  {
    ignores: ['dist/**', 'node_modules/**', 'page/generated/**', '**/*.js', '**/*.cjs', '**/*.mjs', '**/*.mts'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { attributes: false } }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      // The core's views and the Kubernetes objects are typed; `any` at an edge is a deliberate,
      // commented choice, so it is allowed but still visible in review.
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
  // core: pure. Nothing outside core, no package (no SDK, no node: builtins), no clock, no randomness.
  {
    ...layer(
      ['core/**/*.ts'],
      above('core').concat(['sim', 'bench', 'test']),
      'core/ imports nothing outside core/ (docs/design.md, Layout)',
      [{ regex: '^[^.]', message: 'core/ imports no package: no SDK, no I/O (docs/design.md, Layout)' }],
    ),
  },
  {
    files: ['core/**/*.ts'],
    rules: {
      'no-restricted-properties': [
        'error',
        { object: 'Date', property: 'now', message: 'core/ is given the time (PlanRequest.now); it never reads the clock' },
        { object: 'Math', property: 'random', message: 'core/ is deterministic: no randomness' },
      ],
      'no-restricted-globals': ['error', { name: 'process', message: 'core/ reads no environment' }],
    },
  },
  layer(
    ['runner/**/*.ts'],
    above('runner').concat(['sim', 'bench', 'test']),
    'runner/ imports only core/ and its own ports (docs/design.md, Layout)',
    [{ regex: '^@(azure|kubernetes)/', message: 'runner/ speaks to the world through runner/ports.ts; SDKs belong in adapters/' }],
  ),
  layer(
    ['adapters/**/*.ts'],
    above('adapters').concat(['sim', 'bench', 'test']),
    'adapters/ implement runner/ports.ts; they import no app folder above them (docs/design.md, Layout)',
  ),
  layer(
    ['page/**/*.ts'],
    above('page').concat(['adapters', 'sim', 'bench', 'test']),
    'page/ renders a document built from core and runner types; it reaches no adapter or entry point',
  ),
  layer(
    ['functions/**/*.ts'],
    above('functions').concat(['sim', 'bench', 'test']),
    'functions/ are entry points over runner, adapters and page; the simulator and the CLI sit above them',
  ),
  layer(['devhost/**/*.ts'], ['cli', 'bench', 'test'], 'devhost/ is used by the CLI, not the other way round'),
  // The simulated world below the app: its models know nothing of the app that runs on them.
  layer(
    ['sim/model/**/*.ts', 'sim/azure/**/*.ts'],
    SIM_APP.concat(['servers', 'scenario', 'bench', 'test']),
    'the simulated cluster and cloud (sim/model, sim/azure) import nothing of the app, nor the servers or scenarios built on them',
  ),
  layer(
    ['sim/servers/**/*.ts'],
    SIM_APP.concat(['scenario', 'bench', 'test']),
    'sim/servers are HTTP front ends on the models; they import no app folder and no scenario',
  ),
  // The scenario runs the real runner on the model through in-process ports (which implement the
  // runner's ports with the adapters' projection): the one narrow exception of docs/design.md.
  layer(
    ['sim/scenario/**/*.ts'],
    ['page', 'functions', 'devhost', 'cli', 'bench', 'test'],
    'sim/scenario drives the runner through its ports; it imports no entry point',
  ),
);
