/**
 * The real `annex-tracker` binary (dist/ built by tests/global-setup.ts), run as
 * a user would: arguments in, JSON or a workbook out, one line on stderr for bad input.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import type { Deadline, Task } from '../../shared/schemas';

const ROOT = path.resolve(__dirname, '../..');
const SEEDS = path.join(ROOT, 'tests/fixtures/seeds');
const AS_OF = '2026-04-20';

interface ImportOutput {
  sheet: string;
  title: string | null;
  tasks: Task[];
  diagnostics: { row: number | null; severity: string; message: string; code: string }[];
  sections: { numeral: string; title: string; row: number }[];
  columns: { letter: string; field: string | null; by?: string }[];
  tables: { index: number; title: string | null }[];
}

function cli(...args: string[]) {
  const r = spawnSync(process.execPath, [path.join(ROOT, 'bin/annex-tracker.js'), ...args], { cwd: ROOT, encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function importJson(...args: string[]): ImportOutput {
  const r = cli('import', ...args, '--as-of', AS_OF);
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  return JSON.parse(r.stdout) as ImportOutput;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** What must not depend on how the annex was stored. */
const essence = (t: Task) => ({ stt: t.stt, section: t.section, task: t.task, lead: t.lead, support: t.support, deadline: t.deadline, output: t.output });

let dir: string;
let fromText: ImportOutput;
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'cli-'));
  fromText = importJson(path.join(SEEDS, '003-phu-luc-II.txt'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('import', () => {
  it('reads Phụ lục II: 61 tasks in sections I..VII with canonical agencies', () => {
    expect(fromText.tasks).toHaveLength(61);
    expect(fromText.sections.map((s) => s.numeral)).toEqual(['I', 'II', 'III', 'IV', 'V', 'VI', 'VII']);
    expect([...new Set(fromText.tasks.map((t) => t.section))]).toEqual(['I', 'II', 'III', 'IV', 'V', 'VI', 'VII']);
    const [first, second] = fromText.tasks;
    expect(Object.keys(first).slice(0, 7)).toEqual(['stt', 'section', 'task', 'lead', 'support', 'deadline', 'output']);
    expect(first).toMatchObject({ stt: '1', section: 'I', lead: ['Sở Khoa học và Công nghệ'], support: ['Sở Tư pháp'] });
    expect(first.deadline).toMatchObject({ raw: '15/4/2026', kind: 'date', due: '2026-04-15' });
    expect(second.lead).toEqual(['Sở Khoa học và Công nghệ', 'Công an tỉnh', 'Sở Nội vụ']);
    // A row continued across a page break is one task.
    expect(fromText.tasks[3].task).toMatch(/sắp xếp, xử lý nhà, đất của các cơ quan/);
    expect(fromText.diagnostics.every((d) => typeof d.message === 'string' && 'row' in d && 'severity' in d)).toBe(true);
  });

  it('reads the same annex saved as CSV with a BOM', () => {
    const fromCsv = importJson(path.join(SEEDS, '003-phu-luc-II.csv'));
    expect(readFileSync(path.join(SEEDS, '003-phu-luc-II.csv')).subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    expect(fromCsv.tasks.map(essence)).toEqual(fromText.tasks.map(essence));
  });

  it('reads the same annex written in decomposed Unicode (NFD)', () => {
    const file = path.join(dir, 'phu-luc-nfd.txt');
    writeFileSync(file, readFileSync(path.join(SEEDS, '003-phu-luc-II.txt'), 'utf8').normalize('NFD'));
    const fromNfd = importJson(file);
    expect(fromNfd.tasks.map(essence)).toEqual(fromText.tasks.map(essence));
  });

  it('reads an .xlsx with a two-row merged header, abbreviated agencies and date cells', async () => {
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet('Ghi chú').getCell('A1').value = 'Bảng này do Sở KH&CN tổng hợp';
    const ws = wb.addWorksheet('Phụ lục');
    ws.getCell('A1').value = 'PHỤ LỤC: DANH MỤC NHIỆM VỤ NĂM 2026';
    ws.mergeCells('A1:F1');
    ws.getRow(3).values = ['STT', 'Nhiệm vụ', 'Cơ quan', null, 'Thời hạn', 'Kết quả đầu ra'];
    ws.getRow(4).values = [null, null, 'Chủ trì', 'Phối hợp'];
    for (const range of ['A3:A4', 'B3:B4', 'C3:D3', 'E3:E4', 'F3:F4']) ws.mergeCells(range);
    ws.addRow([1, 'Xây dựng kho dữ liệu dùng chung', 'Sở KH&CN', 'VP UBND tỉnh', 'Quý II/2026', 'Kho dữ liệu']);
    ws.addRow([2, 'Bảo đảm an ninh mạng', 'CA tỉnh', 'Sở KH&CN, VP UBND tỉnh', new Date(Date.UTC(2026, 5, 30)), 'Báo cáo']);
    const file = path.join(dir, 'phu-luc.xlsx');
    await wb.xlsx.writeFile(file);

    const out = importJson(file);
    expect(out.sheet).toBe('Phụ lục');
    expect(out.tasks.map((t) => [t.stt, t.lead, t.support])).toEqual([
      ['1', ['Sở Khoa học và Công nghệ'], ['Văn phòng UBND tỉnh']],
      ['2', ['Công an tỉnh'], ['Sở Khoa học và Công nghệ', 'Văn phòng UBND tỉnh']],
    ]);
    expect(out.tasks.map((t) => [t.deadline.kind, t.deadline.due])).toEqual([
      ['period', '2026-06-30'],
      ['date', '2026-06-30'],
    ]);
    // --sheet picks a sheet by name; one without an annex is bad input.
    expect(importJson(file, '--sheet', 'Phụ lục').tasks).toHaveLength(2);
    const r = cli('import', file, '--sheet', 'Ghi chú');
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^Lỗi: .* \/ Error: .*\n$/);
  });

  it('picks Phụ lục II in a file holding several annexes; --table chooses another', () => {
    const all = importJson(path.join(SEEDS, '003-annexes.txt'));
    expect(all.title).toMatch(/PHỤ LỤC II/);
    expect(all.tasks.map(essence)).toEqual(fromText.tasks.map(essence));
    expect(all.tables.map((t) => t.index)).toEqual([0, 1, 2, 3]);
    const third = importJson(path.join(SEEDS, '003-annexes.txt'), '--table', '2');
    expect(third.title).toMatch(/PHỤ LỤC III/);
    expect(third.tasks).toHaveLength(21);
    expect(importJson(path.join(SEEDS, '003-annexes.txt'), '--table', '3').title).toMatch(/PHỤ LỤC IV/);
  });
});

describe('deadline', () => {
  it('prints one JSON object per text, in order, raw/kind/due first', () => {
    const texts = ['15/4/2026', 'Trước ngày 30/4/2026', 'Quý II/2026', 'Tháng 4/2026', 'Thường xuyên', '31/2/2026'];
    const r = cli('deadline', '--as-of', AS_OF, ...texts);
    expect(r.status).toBe(0);
    expect(r.stderr).toBe('');
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(texts.length);
    const parsed = lines.map((l) => JSON.parse(l) as Deadline);
    expect(parsed.map((d) => Object.keys(d).slice(0, 3))).toEqual(texts.map(() => ['raw', 'kind', 'due']));
    expect(parsed.map((d) => [d.raw, d.kind, d.due])).toEqual([
      ['15/4/2026', 'date', '2026-04-15'],
      ['Trước ngày 30/4/2026', 'date', '2026-04-30'],
      ['Quý II/2026', 'period', '2026-06-30'],
      ['Tháng 4/2026', 'period', '2026-04-30'],
      ['Thường xuyên', 'ongoing', null],
      ['31/2/2026', 'unknown', null],
    ]);
  });
});

describe('import of annexes as other offices write them', () => {
  it('Phụ lục II pasted from its PDF: the same 61 tasks', () => {
    const pasted = importJson(path.join(SEEDS, '003-phu-luc-II-pdf-paste.txt'));
    expect(pasted.tasks.map(essence)).toEqual(fromText.tasks.map(essence));
  });

  it('lists the column mapping (cells deciding where the words say nothing) and the sections', () => {
    const r = importJson(path.join(ROOT, 'tests/fixtures/corpus/cv174_bcd.csv'));
    expect(r.tasks).toHaveLength(50);
    expect(r.columns.map((c) => [c.letter, c.field, c.by ?? null])).toEqual([
      ['A', 'stt', 'header'], ['B', null, null], ['C', 'task', 'cells'], ['D', 'lead', 'header'],
    ]);
    const kh144 = importJson(path.join(ROOT, 'tests/fixtures/corpus/kh144_bacninh.tsv'));
    expect(kh144.sections.map((s) => [s.numeral, s.title, s.row])).toEqual([['I', 'Kinh tế số', 5], ['II', 'Xã hội số', 12]]);
  });

  it('--table beyond the tables says how many there are', () => {
    const r = cli('import', path.join(SEEDS, '003-annexes.txt'), '--table', '7', '--as-of', AS_OF);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/không có bảng số 7 \(có 4 bảng, đánh số từ 0\).* has no table 7 \(it has 4, numbered from 0\)/);
  });
});

describe('convert', () => {
  it('writes the tracker workbook, keeps stdout clean and summarises on stderr', async () => {
    const out = path.join(dir, 'tracker.xlsx');
    const pasted = path.join(SEEDS, '003-phu-luc-II-pdf-paste.txt');
    const r = cli('convert', pasted, '-o', out, '--as-of', AS_OF);
    expect(r.status).toBe(0);
    expect(r.stdout).toBe('');
    const lines = r.stderr.trimEnd().split('\n');
    expect(lines[0]).toMatch(/61 nhiệm vụ, 7 mục.*61 tasks, 7 sections/);
    // Then what was read: the column mapping and every diagnostic with its row.
    expect(lines[1]).toBe(
      'Cột: A STT ← “STT”; B Nhiệm vụ ← “Tên nhiệm vụ”; C Chủ trì ← “Cơ quan chủ trì”; D Phối hợp ← “Cơ quan phối hợp”; E Thời hạn ← “Thời hạn hoàn thành”; F Kết quả ← “Kết quả đầu ra”' +
        ' / Columns: A No. ← “STT”; B Task ← “Tên nhiệm vụ”; C Lead ← “Cơ quan chủ trì”; D Support ← “Cơ quan phối hợp”; E Deadline ← “Thời hạn hoàn thành”; F Output ← “Kết quả đầu ra”',
    );
    const { diagnostics } = importJson(pasted);
    const withRows = diagnostics.filter((d) => d.row !== null);
    expect(withRows.map((d) => d.code)).toContain('row.page-number');
    expect(lines.slice(2)).toHaveLength(diagnostics.length);
    for (const d of withRows) expect(lines).toContainEqual(expect.stringMatching(new RegExp(`^dòng ${d.row}, .*${escapeRegExp(d.message)} / row ${d.row}, `)));
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(out);
    const sheet = wb.getWorksheet('Theo dõi');
    expect(sheet).toBeDefined();
    const texts = sheet!.getSheetValues().flat().filter((v): v is string => typeof v === 'string');
    expect(texts).toContain(fromText.tasks[60].task);
  });

  it('fails with the reason when the chosen table has no task', () => {
    const file = path.join(dir, 'targets.csv');
    writeFileSync(file, 'STT;Mục tiêu;Đơn vị;Kết quả\n1;Tỷ lệ hồ sơ trực tuyến;%;80\n');
    const r = cli('convert', file, '-o', path.join(dir, 'targets.xlsx'), '--as-of', AS_OF);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^Lỗi: Bảng được chọn không có nhiệm vụ nào: Bảng không có cột nhiệm vụ .* \/ Error: The chosen table has no task: The table has no task column .*\n$/);
  });

  it('writes English sheet names with --lang en', async () => {
    const out = path.join(dir, 'tracker-en.xlsx');
    expect(cli('convert', path.join(SEEDS, '003-phu-luc-III.txt'), '-o', out, '--lang', 'en', '--as-of', AS_OF).status).toBe(0);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(out);
    expect(wb.getWorksheet('Tracker')).toBeDefined();
  });
});

describe('agencies, help, version', () => {
  it('lists the registry, extended by --agencies', () => {
    const builtIn = JSON.parse(cli('agencies').stdout) as { id: string; name: string }[];
    expect(builtIn.find((a) => a.id === 'so-khoa-hoc-cong-nghe')?.name).toBe('Sở Khoa học và Công nghệ');
    const file = path.join(dir, 'agencies.json');
    writeFileSync(file, JSON.stringify({ province: 'Lào Cai', agencies: [{ id: 'trung-tam-cds', name: 'Trung tâm Chuyển đổi số tỉnh', kind: 'other', aliases: ['TT CĐS'] }] }));
    const r = cli('agencies', '--agencies', file);
    expect(r.status).toBe(0);
    const extended = JSON.parse(r.stdout) as { id: string }[];
    expect(extended.map((a) => a.id)).toContain('trung-tam-cds');
    expect(extended).toHaveLength(builtIn.length + 1);
  });

  it('resolves the names of an --agencies file during import', () => {
    const file = path.join(dir, 'office.json');
    writeFileSync(file, JSON.stringify({ province: 'Lào Cai', agencies: [{ id: 'trung-tam-cds', name: 'Trung tâm Chuyển đổi số tỉnh', kind: 'other', aliases: ['TT CĐS'] }] }));
    const annex = path.join(dir, 'office.csv');
    writeFileSync(annex, 'STT,Nhiệm vụ,Cơ quan chủ trì,Cơ quan phối hợp,Thời hạn\n1,Vận hành IOC,TT CĐS,Sở KH&CN,Quý III/2026\n');
    const out = importJson(annex, '--agencies', file);
    expect(out.tasks[0].lead).toEqual(['Trung tâm Chuyển đổi số tỉnh']);
  });

  it.each([['no arguments', []], ['help', ['help']], ['--help', ['--help']]])('prints bilingual usage for %s', (_, args: string[]) => {
    const r = cli(...args);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/Cách dùng/);
    expect(r.stdout).toMatch(/Usage/);
    expect(r.stdout).toMatch(/annex-tracker import FILE/);
  });

  it('prints the version', () => {
    const { version } = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string };
    expect(cli('--version').stdout).toBe(`${version}\n`);
  });
});

describe('bad input', () => {
  const seed = path.join(SEEDS, '003-phu-luc-II.txt');
  const cases: [string, () => string[]][] = [
    ['a missing file', () => ['import', path.join(dir, 'missing.xlsx')]],
    ['a directory', () => ['import', dir]],
    ['an old .xls', () => ['import', writeTemp('old.xls', Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0]))]],
    ['a file that is not a workbook', () => ['import', writeTemp('fake.xlsx', Buffer.from('STT,Nhiệm vụ'))]],
    ['an empty file', () => ['import', writeTemp('empty.csv', Buffer.alloc(0))]],
    ['no annex header', () => ['import', writeTemp('prose.txt', Buffer.from('Kính gửi các sở, ban, ngành.\nĐề nghị hoàn thành trước ngày 30/4/2026.\n'))]],
    ['an impossible --as-of', () => ['import', seed, '--as-of', '2026-02-31']],
    ['a malformed --as-of', () => ['deadline', '--as-of', '20/4/2026', 'Quý II/2026']],
    ['an unknown option', () => ['import', seed, '--colour']],
    ['an option without its value', () => ['import', seed, '--as-of']],
    ['an option of another command', () => ['deadline', '--sheet', 'x', 'Quý II/2026']],
    ['a missing -o', () => ['convert', seed]],
    ['a missing FILE', () => ['import']],
    ['a bad --table', () => ['import', seed, '--table', 'two']],
    ['a --table beyond the tables', () => ['import', seed, '--table', '5']],
    ['a bad --lang', () => ['convert', seed, '-o', path.join(dir, 'x.xlsx'), '--lang', 'fr']],
    ['an output in a missing folder', () => ['convert', seed, '-o', path.join(dir, 'no/such/dir/x.xlsx')]],
    ['an output that is the input itself', () => ['convert', writeTemp('self.csv', readFileSync(path.join(SEEDS, '003-phu-luc-II.csv'))), '-o', path.join(dir, '.', 'self.csv')]],
    ['an output named .csv', () => ['convert', seed, '-o', path.join(dir, 'out.csv')]],
    ['a bad --paper', () => ['convert', seed, '-o', path.join(dir, 'x.xlsx'), '--paper', 'letter']],
    ['an unknown command', () => ['export', seed]],
    ['an invalid --agencies file', () => ['agencies', '--agencies', writeTemp('bad.json', Buffer.from('{"agencies": [{"id": "X Y"}]}'))]],
    ['--agencies that is not JSON', () => ['agencies', '--agencies', writeTemp('bad2.json', Buffer.from('{oops'))]],
  ];

  function writeTemp(name: string, bytes: Buffer): string {
    const file = path.join(dir, name);
    writeFileSync(file, bytes);
    return file;
  }

  it('never overwrites the annex with the workbook, nor writes a workbook under another format’s name', () => {
    const annex = writeTemp('annex.csv', readFileSync(path.join(SEEDS, '003-phu-luc-II.csv')));
    const before = readFileSync(annex);
    expect(cli('convert', annex, '-o', annex).stderr).toMatch(/trùng với tệp phụ lục đầu vào.*is the input annex itself/);
    expect(readFileSync(annex).equals(before)).toBe(true);
    expect(cli('convert', annex, '-o', path.join(dir, 'out.csv')).stderr).toMatch(/phải có đuôi \.xlsx.*must end in \.xlsx/);
    expect(existsSync(path.join(dir, 'out.csv'))).toBe(false);
  });

  it.each(cases)('%s → exit 1 and one bilingual line on stderr, no stack', (_, args) => {
    const r = cli(...args());
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^Lỗi: [^\n]+ \/ Error: [^\n]+\n$/);
    expect(r.stderr).not.toMatch(/\bat \S+ \(|\bat [^\s]+:\d+/);
  });
});
