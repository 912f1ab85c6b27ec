/**
 * The `annex-tracker` command: read a document (workbook, text, Word, PDF), print its tasks as
 * JSON, turn it into a tracker workbook, or read deadlines. Bad input gives one
 * bilingual line on stderr and exit 1; only a bug shows a stack (exit 2).
 */
import { readFileSync, realpathSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { InputError } from '../shared/errors';
import { parseIso, todayIso } from '../shared/dates';
import { parseDeadline } from '../shared/deadline';
import { defaultRegistry, officeRegistry, type AgencyRegistry } from '../shared/agencies';
import type { Deadline, Diagnostic, IsoDate, Task } from '../shared/schemas';
import { readDocumentFromFile } from '../io/read-document';
import type { DocumentContent } from '../shared/document';
import { documentGrids, recognizeDocumentTasks, type DocumentTasks } from '../shared/document-tasks';
import type { Recognition } from '../shared/annex';
import { writeTrackerWorkbook, type TrackerWorkbookInput } from '../io/tracker-workbook';

const USAGE = `annex-tracker — theo dõi nhiệm vụ trong phụ lục văn bản / track the tasks of document annexes

Cách dùng / Usage:
  annex-tracker import FILE [--sheet NAME] [--table N] [--as-of YYYY-MM-DD] [--agencies registry.json]
      In các nhiệm vụ của phụ lục dạng JSON / print the annex's tasks as JSON
  annex-tracker convert FILE -o OUT.xlsx [--sheet NAME] [--table N] [--as-of YYYY-MM-DD] [--lang vi|en] [--paper a4|a3] [--agencies registry.json]
      Tạo bảng theo dõi Excel / write the tracker workbook
  annex-tracker deadline [--as-of YYYY-MM-DD] TEXT...
      Đọc thời hạn, mỗi dòng một JSON / read deadlines, one JSON line each
  annex-tracker agencies [--agencies registry.json]
      In danh mục cơ quan (JSON) / print the agency registry (JSON)
  annex-tracker admin reset-token [--data-dir DIR | --database-url postgres://…]
      Đặt mã quản trị mới của dịch vụ, mã cũ hết hiệu lực / set the service's new administrator token, the old one stops working
  annex-tracker help | --help | --version

FILE: .xlsx, .xls, .ods, .csv, .tsv, .txt, .md (UTF-8, UTF-16, TCVN3, VNI), .docx, .pdf (có lớp chữ / with a text layer).
--sheet  trang tính chứa phụ lục (mặc định: tự tìm) / sheet holding the annex (default: found automatically)
--table  bảng số N (trường index trong "tables" của import, từ 0) khi tệp có nhiều phụ lục
         table N (its index in import's "tables", from 0) when the file holds several annexes
--as-of  ngày báo cáo (mặc định: hôm nay) / reporting date (default: today)
-o, --output  tệp .xlsx cần ghi / the .xlsx file to write
--lang   ngôn ngữ của bảng theo dõi (mặc định vi) / language of the tracker (default vi)
--paper  khổ giấy in: a4 (mặc định; a3 khi phụ lục quá rộng) hoặc a3 / paper to print on: a4 (default; a3 when the annex is too wide) or a3
--agencies  danh mục cơ quan bổ sung / extra agency registry (JSON: {province, agencies: [{id, name, kind, aliases}]})
`;

const FILE_OPTIONS = {
  sheet: { type: 'string' },
  table: { type: 'string' },
  'as-of': { type: 'string' },
  agencies: { type: 'string' },
} as const;

export async function main(argv: string[]): Promise<number> {
  // `annex-tracker import … | head` closes the pipe early: that is the reader's choice, not a crash.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
  });
  try {
    await run(argv);
    return 0;
  } catch (error) {
    if (!(error instanceof InputError)) {
      process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      return 2;
    }
    const line = `Lỗi: ${error.message} / Error: ${error.messageEn}`.replace(/\s*[\r\n]+\s*/g, ' ');
    process.stderr.write(`${line}\n`);
    return 1;
  }
}

async function run(argv: string[]): Promise<void> {
  const [command, ...rest] = argv;
  switch (command) {
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      process.stdout.write(USAGE);
      return;
    case '--version':
    case '-v':
      process.stdout.write(`${packageVersion()}\n`);
      return;
    case 'deadline':
      return deadlineCommand(rest);
    case 'import':
      return importCommand(rest);
    case 'convert':
      return convertCommand(rest);
    case 'agencies':
      return agenciesCommand(rest);
    case 'admin':
      // Loaded on demand: the service's store is no business of the other commands.
      return (await import('./admin')).adminCommand(rest);
    default:
      throw new InputError(
        `Lệnh không hợp lệ: ${command} (xem annex-tracker help)`,
        `Unknown command: ${command} (see annex-tracker help)`,
        'cli.command',
      );
  }
}

// ---------------------------------------------------------------- commands

function deadlineCommand(args: string[]): void {
  const { values, positionals } = parse(args, { 'as-of': FILE_OPTIONS['as-of'] });
  if (positionals.length === 0) {
    throw new InputError('Thiếu thời hạn cần đọc (TEXT)', 'Missing the deadline text to read (TEXT)', 'cli.missing');
  }
  const asOf = asOfOption(values['as-of']);
  const lines = positionals.map((text) => JSON.stringify(orderDeadline(parseDeadline(text, { asOf }))));
  process.stdout.write(`${lines.join('\n')}\n`);
}

async function importCommand(args: string[]): Promise<void> {
  const { values, positionals } = parse(args, FILE_OPTIONS);
  const { recognition } = await recognize(singleFile(positionals), values);
  const { tasks, diagnostics } = recognition;
  // Annex-only documents print the annex's reading (sheet, columns, sections, tables) as always.
  const extras = recognition.annex
    ? Object.fromEntries(Object.entries(recognition.annex).filter(([key]) => key !== 'tasks' && key !== 'diagnostics'))
    : { title: recognition.title, proseTasks: recognition.proseTasks };
  const output = { ...extras, tasks: tasks.map(orderTask), diagnostics: diagnostics.map((d) => leading(d, ['row', 'severity', 'message'])) };
  process.stdout.write(`${JSON.stringify(output, null, 2)}\n`);
}

async function convertCommand(args: string[]): Promise<void> {
  const { values, positionals } = parse(args, {
    ...FILE_OPTIONS,
    output: { type: 'string', short: 'o' },
    lang: { type: 'string' },
    paper: { type: 'string' },
  });
  const file = singleFile(positionals);
  const output = values.output;
  if (!output) throw new InputError('Thiếu tệp kết quả: -o OUT.xlsx', 'Missing the output file: -o OUT.xlsx', 'cli.missing');
  checkOutput(file, output);
  const paper = values.paper === undefined ? undefined : ({ a4: 'A4', a3: 'A3' } as const)[values.paper.toLowerCase() as 'a4' | 'a3'];
  if (values.paper !== undefined && !paper) {
    throw new InputError(`--paper phải là a4 hoặc a3, không phải ${values.paper}`, `--paper must be a4 or a3, not ${values.paper}`, 'cli.option');
  }
  const lang = values.lang ?? 'vi';
  if (lang !== 'vi' && lang !== 'en') throw new InputError(`--lang phải là vi hoặc en, không phải ${lang}`, `--lang must be vi or en, not ${lang}`, 'cli.option');
  const { recognition, asOf, registry, document } = await recognize(file, values);
  if (recognition.tasks.length === 0) throw noTasks(recognition);
  const input: TrackerWorkbookInput = {
    title: recognition.title || path.basename(file, path.extname(file)),
    tasks: recognition.tasks,
    columns: recognition.annex?.columns,
    asOf,
    lang,
    registry,
    paper,
  };
  await withFile(output, () => writeTrackerWorkbook(input, output), true);
  // Tasks read from a letter or a PDF deserve a look before the tracker goes out.
  if (document.format === 'docx' || document.format === 'pdf' || document.blocks.some((b) => b.kind === 'paragraph')) {
    process.stderr.write(taskLines(recognition.tasks));
  }
  const columns = recognition.annex ? [columnsLine(recognition.annex)] : [];
  process.stderr.write(`${[summary(recognition, output), ...columns, ...recognition.diagnostics.map(diagnosticLine)].join('\n')}\n`);
}

/** The workbook goes to a new .xlsx: never over the annex it was made from, never under another format's name. */
function checkOutput(input: string, output: string): void {
  if (samePath(input, output)) {
    throw new InputError(
      `Tệp kết quả “${output}” trùng với tệp phụ lục đầu vào: hãy chọn tên khác để không ghi đè lên phụ lục`,
      `The output “${output}” is the input annex itself: choose another name so the annex is not overwritten`,
      'cli.output',
    );
  }
  if (path.extname(output).toLowerCase() !== '.xlsx') {
    throw new InputError(
      `Tệp kết quả phải có đuôi .xlsx (bảng theo dõi là sổ tính Excel), không phải “${path.basename(output)}”`,
      `The output file must end in .xlsx (the tracker is an Excel workbook), not “${path.basename(output)}”`,
      'cli.output',
    );
  }
}

/** The same file, also through a different spelling of its path or a link. */
function samePath(a: string, b: string): boolean {
  const real = (p: string) => {
    try {
      return realpathSync(p);
    } catch {
      return path.resolve(p);
    }
  };
  return real(a) === real(b);
}

async function agenciesCommand(args: string[]): Promise<void> {
  const { values } = parse(args, { agencies: FILE_OPTIONS.agencies });
  const registry = await registryOption(values.agencies);
  process.stdout.write(`${JSON.stringify(registry.agencies, null, 2)}\n`);
}

// ---------------------------------------------------------------- shared steps

type FileValues = { sheet?: string; table?: string; 'as-of'?: string; agencies?: string };

/** Reads FILE (any format) and recognises its tasks, with the options every file command shares. */
async function recognize(
  file: string,
  values: FileValues,
): Promise<{ recognition: DocumentTasks; asOf: IsoDate; registry: AgencyRegistry; document: DocumentContent }> {
  const asOf = asOfOption(values['as-of']);
  const registry = await registryOption(values.agencies);
  const table = tableOption(values.table);
  const document = await withFile(file, () => readDocumentFromFile(file));
  let grids = documentGrids(document);
  if (values.sheet !== undefined) {
    const wanted = values.sheet;
    const names = grids.map((g) => g.sheet);
    grids = grids.filter((g) => g.sheet === wanted);
    if (grids.length === 0) {
      throw new InputError(
        `Không có trang tính "${wanted}" (có: ${names.join(', ')})`,
        `No sheet named "${wanted}" (found: ${names.join(', ')})`,
        'cli.sheet',
      );
    }
  }
  const recognition = recognizeDocumentTasks(document, { asOf, registry, table }, grids);
  return { recognition, asOf, registry, document };
}

/** parseArgs with user errors (unknown option, stray argument) turned into InputError. */
function parse<T extends NonNullable<ParseArgsConfig['options']>>(args: string[], options: T) {
  try {
    return parseArgs<{ args: string[]; options: T; allowPositionals: true; strict: true }>({ args, options, allowPositionals: true, strict: true });
  } catch (error) {
    // Node's messages run long ("… place it at the end of the command after '--' …"): keep the option's name.
    const { code, message } = error as { code?: string; message: string };
    const option = /'(-[^' ]*)/.exec(message)?.[1] ?? '';
    if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') throw new InputError(`Tùy chọn không hợp lệ: ${option}`, `Unknown option: ${option}`, 'cli.option');
    if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') throw new InputError(`Tùy chọn ${option} thiếu giá trị`, `Option ${option} needs a value`, 'cli.option');
    throw error;
  }
}

function singleFile(positionals: string[]): string {
  if (positionals.length === 1) return positionals[0];
  if (positionals.length === 0) throw new InputError('Thiếu tệp phụ lục (FILE)', 'Missing the annex file (FILE)', 'cli.missing');
  throw new InputError(
    `Chỉ nhận một tệp, nhận được ${positionals.length}: ${positionals.join(' ')}`,
    `Expected one file, got ${positionals.length}: ${positionals.join(' ')}`,
    'cli.option',
  );
}

function asOfOption(value: string | undefined): IsoDate {
  if (value === undefined) return todayIso();
  const iso = parseIso(value);
  if (!iso) throw new InputError(`Ngày --as-of không hợp lệ: ${value} (cần YYYY-MM-DD)`, `Invalid --as-of date: ${value} (expected YYYY-MM-DD)`, 'cli.as_of');
  return iso;
}

function tableOption(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value)) {
    throw new InputError(`--table phải là số thứ tự bảng (0, 1, …), không phải ${value}`, `--table must be a table index (0, 1, …), not ${value}`, 'cli.option');
  }
  return Number(value);
}

/** The built-in registry, extended by the user's file when given. */
async function registryOption(file: string | undefined): Promise<AgencyRegistry> {
  if (file === undefined) return defaultRegistry;
  let json: unknown;
  try {
    json = JSON.parse(await withFile(file, () => readFile(file, 'utf8')));
  } catch (error) {
    if (error instanceof SyntaxError) {
      throw new InputError(`Tệp ${file} không phải JSON hợp lệ: ${error.message}`, `${file} is not valid JSON: ${error.message}`, 'cli.agencies');
    }
    throw error;
  }
  return officeRegistry(json); // validates, naming the bad entry
}

// ---------------------------------------------------------------- output

/** The same object with `keys` first: the fields a reader looks for. */
function leading<T extends object>(value: T, keys: (keyof T)[]): T {
  return Object.assign(Object.fromEntries(keys.map((k) => [k, value[k]])), value) as T;
}

function orderDeadline(d: Deadline): Deadline {
  return leading(d, ['raw', 'kind', 'due']);
}

function orderTask(t: Task): Task {
  return { ...leading(t, ['stt', 'section', 'task', 'lead', 'support', 'deadline', 'output']), deadline: orderDeadline(t.deadline) };
}

/** One line per task for a person to check: STT, lead, the deadline as written and as read, the task's start. */
function taskLines(tasks: Task[]): string {
  return tasks
    .map((t) => {
      const due = t.deadline.due ?? t.deadline.kind;
      const text = t.task.length > 80 ? `${t.task.slice(0, 79)}…` : t.task;
      return `  ${t.stt || '-'} | ${t.leadRaw || '?'} | "${t.deadline.raw}" → ${due} | ${text}\n`;
    })
    .join('');
}

function summary(r: DocumentTasks, output: string): string {
  const sections = r.annex?.sections.length ?? new Set(r.tasks.map((t) => t.section).filter(Boolean)).size;
  const count = (severity: Diagnostic['severity']) => r.diagnostics.filter((d) => d.severity === severity).length;
  const [errors, warnings, infos] = [count('error'), count('warning'), count('info')];
  return (
    `Đã ghi ${output}: ${r.tasks.length} nhiệm vụ, ${sections} mục; chẩn đoán: ${errors} lỗi, ${warnings} cảnh báo, ${infos} thông tin` +
    ` / Wrote ${output}: ${r.tasks.length} tasks, ${sections} sections; diagnostics: ${errors} errors, ${warnings} warnings, ${infos} info`
  );
}

/** How each column was read: "B Nhiệm vụ ← “Tên nhiệm vụ”", extras as "F (thêm) “Ghi chú”". */
function columnsLine(r: Recognition): string {
  const names: Record<string, [string, string]> = {
    stt: ['STT', 'No.'], task: ['Nhiệm vụ', 'Task'], lead: ['Chủ trì', 'Lead'], support: ['Phối hợp', 'Support'], deadline: ['Thời hạn', 'Deadline'], output: ['Kết quả', 'Output'],
  };
  const part = (lang: 0 | 1) =>
    r.columns
      .map((c) => {
        if (!c.field) return `${c.letter} ${lang ? '(extra)' : '(thêm)'} “${c.header}”`;
        const byCells = c.by === 'cells' ? (lang ? ' (by its cells)' : ' (theo nội dung ô)') : '';
        return `${c.letter} ${names[c.field][lang]} ← “${c.header}”${byCells}`;
      })
      .join('; ');
  return `Cột: ${part(0)} / Columns: ${part(1)}`;
}

function diagnosticLine(d: Diagnostic): string {
  const severity: Record<Diagnostic['severity'], [string, string]> = { error: ['lỗi', 'error'], warning: ['cảnh báo', 'warning'], info: ['thông tin', 'info'] };
  const [vi, en] = severity[d.severity];
  return d.row === null ? `${vi}: ${d.message} / ${en}: ${d.messageEn}` : `dòng ${d.row}, ${vi}: ${d.message} / row ${d.row}, ${en}: ${d.messageEn}`;
}

/** Converting a table without tasks would write an empty tracker: say why instead. */
function noTasks(r: DocumentTasks): InputError {
  const errors = r.diagnostics.filter((d) => d.severity === 'error');
  const header = r.annex?.headerRows[0];
  const [vi, en] = errors.length
    ? [errors.map((d) => d.message).join('; '), errors.map((d) => d.messageEn).join('; ')]
    : header !== undefined
      ? [`không có dòng nhiệm vụ nào dưới dòng tiêu đề ${header}`, `no task rows under the header on row ${header}`]
      : ['văn bản không có bảng nhiệm vụ hay đoạn giao việc nào', 'the document has no task table and no paragraph assigning work'];
  return new InputError(`Bảng được chọn không có nhiệm vụ nào: ${vi}`, `The chosen table has no task: ${en}`, 'annex.no-task');
}

// ---------------------------------------------------------------- errors

const FILE_ERRORS: Record<string, [string, string]> = {
  ENOENT: ['không tồn tại', 'does not exist'],
  EISDIR: ['là một thư mục', 'is a directory'],
  ENOTDIR: ['có một phần không phải thư mục', 'has a part that is not a directory'],
  EACCES: ['không có quyền truy cập', 'permission denied'],
  EPERM: ['không có quyền truy cập', 'permission denied'],
  EROFS: ['nằm trên ổ chỉ đọc', 'is on a read-only file system'],
  ENOSPC: ['không ghi được: ổ đĩa đầy', 'cannot be written: no space left on the device'],
};

/** Runs a file operation, turning Node's file errors (missing, a folder, no permission) into the user's mistake they are. */
async function withFile<T>(file: string, operation: () => Promise<T>, writing = false): Promise<T> {
  try {
    return await operation();
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    const reason = typeof code === 'string' ? FILE_ERRORS[code] : undefined;
    if (!reason) throw error;
    if (writing && code === 'ENOENT') {
      throw new InputError(`Thư mục của tệp ${file} không tồn tại`, `The folder of ${file} does not exist`, 'file.enoent');
    }
    throw new InputError(`Tệp ${file} ${reason[0]}`, `File ${file} ${reason[1]}`, `file.${code!.toString().toLowerCase()}`);
  }
}

function packageVersion(): string {
  // From cli/ (ts-node) or dist/cli/ (built): the package.json is one or two folders up.
  for (const up of ['..', '../..']) {
    try {
      const pkg = JSON.parse(readFileSync(path.join(__dirname, up, 'package.json'), 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'annex-tracker' && pkg.version) return pkg.version;
    } catch {
      // not this folder
    }
  }
  return 'unknown';
}
