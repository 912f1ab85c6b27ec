/**
 * Converting the 50,000-task annex the import benchmark reads (bench/annex-fixture.ts)
 * into the tracker workbook: the write's time, peak memory and file size. A third of
 * the tasks carry progress, so progress cells and dates are written too.
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { readGrids } from '../io/read-grid';
import { writeTrackerWorkbook } from '../io/tracker-workbook';
import { pickAnnex } from '../shared/annex';
import { addDays } from '../shared/dates';
import type { Progress } from '../shared/schemas';
import { LARGE_ANNEX_FILE, ensureLargeAnnex } from './annex-fixture';
import { figure, peakRssMiB, timed } from './measure';

const AS_OF = '2026-11-20';

async function main(): Promise<void> {
  await ensureLargeAnnex();
  const annex = pickAnnex(await readGrids(await readFile(LARGE_ANNEX_FILE), path.basename(LARGE_ANNEX_FILE)), { asOf: AS_OF });
  const progress: Record<string, Progress> = {};
  annex.tasks.forEach((t, i) => {
    if (i % 3 !== 0) return;
    const done = i % 2 === 0;
    progress[t.id] = {
      status: done ? 'done' : 'in_progress',
      result: done ? 'Đã hoàn thành, gửi báo cáo về Sở Khoa học và Công nghệ' : 'Đang triển khai',
      completedOn: done ? addDays('2026-01-15', (i * 5) % 700) : null,
      evidence: done ? `Văn bản số ${i}/BC-UBND` : '',
      note: '',
    };
  });
  const dir = mkdtempSync(path.join(tmpdir(), 'convert-bench-'));
  const file = path.join(dir, 'tracker.xlsx');
  try {
    global.gc?.();
    const input = { title: annex.title, tasks: annex.tasks, columns: annex.columns, progress, asOf: AS_OF };
    const { ms } = await timed(() => writeTrackerWorkbook(input, file));
    figure(`write tracker workbook, ${annex.tasks.length.toLocaleString('en')} tasks (time)`, ms, 'ms', 0);
    figure('peak RSS, whole process (import included)', peakRssMiB(), 'MiB');
    figure('tracker workbook size', statSync(file).size / 1024 / 1024, 'MiB', 2);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
