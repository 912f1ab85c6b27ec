/**
 * Import of a 50,000-task annex .xlsx against its floor, exceljs's bare
 * in-memory read of the same file. Each side runs in a child process of its own
 * (this script re-spawned with "floor" or "import") so their peak memory does
 * not mix. Goal: import time ≤ 1.5 × floor. Times are the fastest of RUNS
 * alternating runs; peaks the highest.
 */
import { spawnSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { figure, peakRssMiB, timed } from './measure';
import { LARGE_ANNEX_FILE, LARGE_ANNEX_TASKS, ensureLargeAnnex } from './annex-fixture';
import { readGrids } from '../io/read-grid';
import { pickAnnex } from '../shared/annex';

const TASKS = LARGE_ANNEX_TASKS;
/** Runs per side, alternating; the fastest counts (a shared machine only ever adds time). */
const RUNS = 3;
const FILE = LARGE_ANNEX_FILE;

interface Sample {
  ms: number;
  /** CPU time (user + system, all threads): steadier than wall time on a shared machine. */
  cpuMs: number;
  rssMiB: number;
  parts?: Record<string, number>;
}

async function floor(): Promise<Sample> {
  const bytes = await readFile(FILE);
  const cpu = process.cpuUsage();
  const { ms } = await timed(() => new ExcelJS.Workbook().xlsx.load(bytes as never));
  return { ms, cpuMs: cpuMsSince(cpu), rssMiB: peakRssMiB() };
}

async function fullImport(): Promise<Sample> {
  const bytes = await readFile(FILE);
  const cpu = process.cpuUsage();
  const read = await timed(() => readGrids(bytes, path.basename(FILE)));
  const recognize = await timed(() => pickAnnex(read.value, { asOf: '2026-04-20' }));
  if (recognize.value.tasks.length !== TASKS) throw new Error(`expected ${TASKS} tasks, got ${recognize.value.tasks.length}`);
  return { ms: read.ms + recognize.ms, cpuMs: cpuMsSince(cpu), rssMiB: peakRssMiB(), parts: { readGrids: read.ms, pickAnnex: recognize.ms } };
}

function cpuMsSince(start: NodeJS.CpuUsage): number {
  const { user, system } = process.cpuUsage(start);
  return (user + system) / 1000;
}

function child(mode: 'floor' | 'import'): Sample {
  const r = spawnSync(process.execPath, [...process.execArgv, __filename, mode], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  if (r.status !== 0) throw new Error(`${mode} child failed with status ${r.status}`);
  return JSON.parse(r.stdout.trim().split('\n').pop()!) as Sample;
}

async function main(): Promise<void> {
  const mode = process.argv[2];
  if (mode === 'floor' || mode === 'import') {
    console.log(JSON.stringify(mode === 'floor' ? await floor() : await fullImport()));
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
  figure('floor: exceljs in-memory load', base.ms / 1000, 's', 2);
  figure('floor: peak RSS', Math.max(...floors.map((s) => s.rssMiB)), 'MiB');
  figure('import: readGrids + pickAnnex', ours.ms / 1000, 's', 2);
  for (const [part, ms] of Object.entries(ours.parts ?? {})) figure(`  of which ${part}`, ms / 1000, 's', 2);
  figure('import: peak RSS', Math.max(...imports.map((s) => s.rssMiB)), 'MiB');
  figure('ratio import / floor (goal ≤ 1.5)', ours.ms / base.ms, '×', 2);
  const cpu = (samples: Sample[]) => Math.min(...samples.map((s) => s.cpuMs));
  figure('ratio of CPU time, import / floor', cpu(imports) / cpu(floors), '×', 2);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
