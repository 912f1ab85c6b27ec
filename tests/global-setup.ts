/**
 * Jest global setup: compiles dist/ once so CLI tests spawn the real
 * `bin/annex-tracker.js`, exactly as a user would run it. Type errors are left
 * to `npm run typecheck` (tsc still emits): one half-written module elsewhere
 * must not stop every test suite from running.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';

export default function globalSetup(): void {
  const root = path.resolve(__dirname, '..');
  const tsc = require.resolve('typescript/bin/tsc', { paths: [root] });
  const build = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { cwd: root, encoding: 'utf8' });
  if (build.status !== 0) process.stderr.write(`\n[global-setup] tsc -p tsconfig.build.json reported errors:\n${build.stdout}${build.stderr}\n`);
  if (!existsSync(path.join(root, 'dist/cli/main.js'))) throw new Error('global-setup: the build produced no dist/cli/main.js');
}
