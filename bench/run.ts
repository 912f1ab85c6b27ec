/**
 * `npm run bench`: runs each benchmark in its own process so that peak memory
 * (maxRSS) belongs to that benchmark alone, and prints their figures.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import path from 'node:path';

const only = process.argv.slice(2);
const all = readdirSync(__dirname)
  .filter((f) => f.endsWith('.bench.ts'))
  .sort();
const names = all.map((f) => f.slice(0, -'.bench.ts'.length));
// A name that matches no benchmark is a typo: say which exist rather than run nothing and pass.
const unknown = only.filter((o) => !names.some((n) => n.includes(o)));
if (unknown.length > 0) {
  console.error(`Không có benchmark “${unknown.join('”, “')}” / no benchmark named ${unknown.join(', ')}. Có / available: ${names.join(', ')}`);
  process.exit(2);
}
// A name that is a benchmark's whole name runs that one only ('sync' is not also 'sync-store').
const matches = (name: string, o: string) => (names.includes(o) ? name === o : name.includes(o));
const benches = all.filter((f, i) => only.length === 0 || only.some((o) => matches(names[i], o)));

let failed = 0;
for (const file of benches) {
  console.log(`\n== ${file}`);
  const r = spawnSync(process.execPath, ['--expose-gc', '-r', 'ts-node/register/transpile-only', path.join(__dirname, file)], {
    stdio: 'inherit',
  });
  if (r.status !== 0) failed++;
}
process.exitCode = failed ? 1 : 0;
