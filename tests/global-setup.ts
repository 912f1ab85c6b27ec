/**
 * Jest global setup: compiles dist/ once so CLI tests spawn the real
 * `bin/annex-tracker.js`, exactly as a user would run it. A type error (in the
 * product or in the tests) stops the run here, with tsc's words: tests of code that does not type-check prove little.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';

export default function globalSetup(): void {
  const root = path.resolve(__dirname, '..');
  const tsc = require.resolve('typescript/bin/tsc', { paths: [root] });
  const build = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { cwd: root, encoding: 'utf8' });
  if (build.status !== 0) throw new Error(`global-setup: tsc -p tsconfig.build.json reported errors:\n${build.stdout}${build.stderr}`);
  // The tests and benchmarks themselves (tsconfig.json covers them; the build does not).
  const check = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.json', '--noEmit'], { cwd: root, encoding: 'utf8' });
  if (check.status !== 0) throw new Error(`global-setup: tsc -p tsconfig.json reported errors:\n${check.stdout}${check.stderr}`);
  if (!existsSync(path.join(root, 'dist/cli/main.js'))) throw new Error('global-setup: the build produced no dist/cli/main.js');
}
