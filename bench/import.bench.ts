/**
 * `annex-tracker import` of the 50,000-task annex .xlsx, the whole command
 * (read, recognise, JSON written to a file as a shell redirect would), against
 * its floor: exceljs's bare in-memory read of the same file touching every
 * cell. Each side runs in a child process of its own (this script re-spawned
 * with "floor" or "import") with its module loading outside the timing, so
 * their peak memory does not mix. Goal: import ≤ 0.75 × floor (must: ≤ 1.5).
 * Times are the fastest of RUNS alternating runs; peaks the highest. Then every
 * task printed is compared with the row written: none may be altered.
 */
import { spawnSync } from 'node:child_process';
import { closeSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { figure, peakRssMiB, timed } from './measure';
import { LARGE_ANNEX_FILE, LARGE_ANNEX_TASKS, ensureLargeAnnex, largeAnnexBody } from './annex-fixture';

const TASKS = LARGE_ANNEX_TASKS;
/** Runs per side, alternating; the fastest counts (a shared machine only ever adds time). */
const RUNS = 3;
const FILE = LARGE_ANNEX_FILE;
const AS_OF = '2026-04-20';
const OUTPUT = path.join(path.dirname(FILE), 'import-output.json');
const SAMPLE = path.join(path.dirname(FILE), 'import-sample.json');

interface Sample {
  ms: number;
  /** CPU time (user + system, all threads): steadier than wall time on a shared machine. */
  cpuMs: number;
  rssMiB: number;
  /** The import's reading step alone (readGrids), timed again after the command. */
  readMs?: number;
}

async function floor(): Promise<Sample> {
  const { default: ExcelJS } = await import('exceljs');
  const cpu = process.cpuUsage();
  const { ms } = await timed(async () => {
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(readFileSync(FILE) as never);
    let touched = 0;
    workbook.eachSheet((ws) => ws.eachRow((row) => row.eachCell((cell) => (touched += cell.value === null ? 0 : 1))));
    if (touched === 0) throw new Error('the floor read no cells');
  });
  return { ms, cpuMs: cpuMsSince(cpu), rssMiB: peakRssMiB() };
}

/** The command as a user runs it: its output goes to this process's stdout, which the parent points at OUTPUT. */
async function fullImport(): Promise<Sample> {
  const { main } = await import('../cli/main');
  const cpu = process.cpuUsage();
  const { value: status, ms } = await timed(() => main(['import', FILE, '--as-of', AS_OF]));
  if (status !== 0) throw new Error(`import exited ${status}`);
  const sample = { ms, cpuMs: cpuMsSince(cpu), rssMiB: peakRssMiB() };
  const { readGridsFromFile } = await import('../io/read-grid');
  return { ...sample, readMs: (await timed(() => readGridsFromFile(FILE))).ms };
}

function cpuMsSince(start: NodeJS.CpuUsage): number {
  const { user, system } = process.cpuUsage(start);
  return (user + system) / 1000;
}

function child(mode: 'floor' | 'import'): Sample {
  const out = openSync(OUTPUT, 'w');
  try {
    const r = spawnSync(process.execPath, [...process.execArgv, __filename, mode], { stdio: ['ignore', out, 'inherit'] });
    if (r.status !== 0) throw new Error(`${mode} child failed with status ${r.status}`);
  } finally {
    closeSync(out);
  }
  return JSON.parse(readFileSync(SAMPLE, 'utf8')) as Sample;
}

interface PrintedTask {
  stt: string;
  task: string;
  leadRaw?: string;
  output: string;
}

/** Tasks of the printed JSON whose number, text, lead as written or output differ from the row written. */
function alteredTasks(): { altered: number; first?: string } {
  const printed = (JSON.parse(readFileSync(OUTPUT, 'utf8')) as { tasks: PrintedTask[] }).tasks;
  if (printed.length !== TASKS) throw new Error(`expected ${TASKS} tasks, got ${printed.length}`);
  let altered = 0;
  let first: string | undefined;
  let i = 0;
  for (const row of largeAnnexBody(TASKS)) {
    if (!('task' in row)) continue;
    const want = row.task;
    const got = printed[i++];
    const same = got.stt === String(want.stt) && got.task === want.task && (got.leadRaw ?? want.lead) === want.lead && got.output === want.output;
    if (!same) {
      altered++;
      first ??= `task ${i}: ${JSON.stringify(got.task)} ≠ ${JSON.stringify(want.task)}`;
    }
  }
  return { altered, first };
}

async function main(): Promise<void> {
  const mode = process.argv[2];
  if (mode === 'floor' || mode === 'import') {
    writeFileSync(SAMPLE, JSON.stringify(mode === 'floor' ? await floor() : await fullImport()));
    return;
  }
  const { value: written, ms } = await timed(ensureLargeAnnex);
  if (written) figure(`write fixture (${TASKS} tasks, streaming writer)`, ms / 1000, 's', 2);
  const floors: Sample[] = [];
  const imports: Sample[] = [];
  for (let i = 0; i < RUNS; i++) {
    floors.push(child('floor'));
    imports.push(child('import'));
  }
  const fastest = (samples: Sample[]) => samples.reduce((a, b) => (b.ms < a.ms ? b : a));
  const base = fastest(floors);
  const ours = fastest(imports);
  figure('floor: exceljs in-memory load, every cell touched', base.ms / 1000, 's', 2);
  figure('floor: peak RSS', Math.max(...floors.map((s) => s.rssMiB)), 'MiB');
  figure('import command (read, recognise, print JSON)', ours.ms / 1000, 's', 2);
  figure('  of which reading the workbook (readGrids)', Math.min(...imports.map((s) => s.readMs ?? Infinity)) / 1000, 's', 2);
  figure('import: peak RSS', Math.max(...imports.map((s) => s.rssMiB)), 'MiB');
  figure('ratio import / floor (goal ≤ 0.75, must ≤ 1.5)', ours.ms / base.ms, '×', 2);
  const cpu = (samples: Sample[]) => Math.min(...samples.map((s) => s.cpuMs));
  figure('ratio of CPU time, import / floor', cpu(imports) / cpu(floors), '×', 2);
  const { altered, first } = alteredTasks();
  figure(`altered tasks of ${TASKS} (must be 0)`, altered, '', 0);
  if (altered > 0) {
    console.log(`  first: ${first}`);
    process.exitCode = 1;
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
