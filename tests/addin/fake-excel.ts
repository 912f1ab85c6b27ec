/**
 * An in-memory Excel for tests and benchmarks: exactly the subset of the Excel
 * JavaScript API that addin/src/excel/adapter.ts uses, with Office.js's batch
 * semantics. Writes and loads are queued and run in order at `sync()`; reading
 * a property that was not loaded and synced throws as Office.js does; each
 * sync is counted with the JSON size of its queued request. Members above the
 * configured ExcelApi version are missing (they throw), as on an old Office:
 * each proxy checks every member it is asked for against the requirement sets
 * of Microsoft's type definitions (given once with setExcelApiSets; see
 * excel-api-sets.ts), so an unguarded call fails here as it fails in Excel 2016.
 *
 * Formulas are stored, not evaluated: a formula cell reads back as "" in
 * `values` unless a test gives it a result with `setResult`.
 *
 * Plain TypeScript with no Node imports: the browser end-to-end tests bundle it
 * in place of the CDN's office.js (see installOfficeGlobals).
 */

export type Scalar = string | number | boolean;

interface Box {
  r0: number;
  c0: number;
  r1: number;
  c1: number;
}

export interface CellFormat {
  fill?: string;
  bold?: boolean;
  italic?: boolean;
  size?: number;
  color?: string;
  wrapText?: boolean;
  horizontalAlignment?: string;
  verticalAlignment?: string;
  borders?: Record<string, string>;
  /** Rows of the range grow to fit their wrapped text (Range.format.autofitRows). */
  autofitRows?: boolean;
  fontName?: string;
}

interface Cell {
  value?: Scalar;
  formula?: string;
  result?: Scalar;
  numberFormat?: string;
}

export interface FakeConditionalFormat {
  address: string;
  type: string;
  formula: string;
  fill?: string;
  font?: string;
}

export interface FakeValidation {
  address: string;
  rule: Record<string, unknown>;
  prompt?: Record<string, unknown>;
  errorAlert?: Record<string, unknown>;
  ignoreBlanks?: boolean;
}

export interface FakeChart {
  name: string;
  type: string;
  source: string;
  seriesBy: string;
  title?: string;
  position?: [string, string];
  legend?: string;
  /** Range of the category axis' names (Chart.axes.categoryAxis.setCategoryNames, ExcelApi 1.7). */
  categoryNames?: string;
}

export interface FakeRequest {
  /** UTF-8 size of the queued request as JSON. */
  bytes: number;
  operations: number;
  /** UTF-8 size of what the loads of the batch returned, as JSON. */
  responseBytes: number;
}

export const EXCEL_MAX_ROWS = 1_048_576;
export const EXCEL_MAX_COLUMNS = 16_384;

// ---------------------------------------------------------------- addresses

export function columnIndex(letters: string): number {
  let n = 0;
  for (const ch of letters.toUpperCase()) n = n * 26 + (ch.charCodeAt(0) - 64);
  return n - 1;
}

export function columnName(index: number): string {
  let s = '';
  for (let n = index + 1; n > 0; n = Math.floor((n - 1) / 26)) s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
  return s;
}

/** "A1", "A1:B2", "C:C", "3:5", with or without a sheet and $ signs. */
export function parseAddress(address: string): { sheet: string | null; box: Box } {
  const bang = address.lastIndexOf('!');
  const sheet = bang < 0 ? null : address.slice(0, bang).replace(/^'(.*)'$/, '$1').replace(/''/g, "'");
  const ref = address.slice(bang + 1).replace(/\$/g, '').toUpperCase();
  const [a, b = a] = ref.split(':');
  const part = (p: string) => {
    const m = /^([A-Z]*)(\d*)$/.exec(p);
    if (!m || (!m[1] && !m[2])) throw fakeError('InvalidArgument', `Bad address ${address}`);
    return { c: m[1] ? columnIndex(m[1]) : null, r: m[2] ? Number(m[2]) - 1 : null };
  };
  const p = part(a);
  const q = part(b);
  return {
    sheet,
    box: { r0: p.r ?? 0, c0: p.c ?? 0, r1: q.r ?? EXCEL_MAX_ROWS - 1, c1: q.c ?? EXCEL_MAX_COLUMNS - 1 },
  };
}

export function boxAddress(box: Box): string {
  const one = (r: number, c: number) => `${columnName(c)}${r + 1}`;
  if (box.r0 === 0 && box.r1 === EXCEL_MAX_ROWS - 1) return `${columnName(box.c0)}:${columnName(box.c1)}`;
  return box.r0 === box.r1 && box.c0 === box.c1 ? one(box.r0, box.c0) : `${one(box.r0, box.c0)}:${one(box.r1, box.c1)}`;
}

function quoteSheet(name: string): string {
  return /^[A-Za-z0-9_]+$/.test(name) ? name : `'${name.replace(/'/g, "''")}'`;
}

function inside(box: Box, r: number, c: number): boolean {
  return r >= box.r0 && r <= box.r1 && c >= box.c0 && c <= box.c1;
}

function fakeError(code: string, message: string): Error {
  const e = new Error(message) as Error & { code: string; name: string };
  e.name = 'RichApi.Error';
  e.code = code;
  return e;
}

/** Row references that are not $-anchored move with the row, as a fill down does; quoted text is left alone. */
function shiftRows(formula: string, by: number): string {
  return formula
    .split('"')
    .map((part, i) =>
      i % 2 === 1 ? part : part.replace(/(\$?)([A-Z]{1,3})(\$?)(\d+)(?![\d(])/g, (m, dc, col, dr, row) => (dr ? m : `${dc}${col}${Number(row) + by}`)),
    )
    .join('"');
}

// ---------------------------------------------------------------- the workbook state

export class FakeSheet {
  visibility = 'Visible';
  readonly cells = new Map<number, Cell>();
  readonly formats: { box: Box; format: CellFormat }[] = [];
  readonly columnWidths = new Map<number, number>();
  readonly hiddenColumns = new Set<number>();
  readonly rowHeights = new Map<number, number>();
  readonly merges: Box[] = [];
  frozenRows = 0;
  autoFilter: string | null = null;
  readonly conditionalFormats: FakeConditionalFormat[] = [];
  readonly validations: FakeValidation[] = [];
  readonly charts: FakeChart[] = [];
  readonly pageLayout: Record<string, unknown> = {};
  /** Rows a manual page break starts (from horizontalPageBreaks.add). */
  readonly pageBreaks: number[] = [];

  constructor(public name: string) {}

  private key(r: number, c: number): number {
    return r * EXCEL_MAX_COLUMNS + c;
  }

  cell(r: number, c: number, create = false): Cell | undefined {
    const k = this.key(r, c);
    let cell = this.cells.get(k);
    if (!cell && create) this.cells.set(k, (cell = {}));
    return cell;
  }

  /** A cell as `values` reads it: "" when empty, a formula's result when a test gave one. */
  valueAt(address: string): Scalar {
    const { box } = parseAddress(address);
    return this.readValue(box.r0, box.c0);
  }

  readValue(r: number, c: number): Scalar {
    const cell = this.cell(r, c);
    if (!cell) return '';
    if (cell.formula !== undefined) return cell.result ?? '';
    return cell.value ?? '';
  }

  /** A cell as `formulas` reads it: the formula, else the value. */
  formulaAt(address: string): Scalar {
    const { box } = parseAddress(address);
    return this.readFormula(box.r0, box.c0);
  }

  readFormula(r: number, c: number): Scalar {
    const cell = this.cell(r, c);
    return cell?.formula ?? cell?.value ?? '';
  }

  numberFormatAt(address: string): string {
    const { box } = parseAddress(address);
    return this.cell(box.r0, box.c0)?.numberFormat ?? 'General';
  }

  /** The formats that apply to a cell, later settings over earlier ones. */
  formatAt(address: string): CellFormat {
    const { box } = parseAddress(address);
    const out: CellFormat = {};
    for (const f of this.formats) {
      if (!inside(f.box, box.r0, box.c0)) continue;
      const borders = f.format.borders ? { ...out.borders, ...f.format.borders } : out.borders;
      Object.assign(out, f.format);
      if (borders) out.borders = borders;
    }
    return out;
  }

  setResult(address: string, result: Scalar): void {
    const { box } = parseAddress(address);
    this.cell(box.r0, box.c0, true)!.result = result;
  }

  columnWidth(letter: string): number | undefined {
    return this.columnWidths.get(columnIndex(letter));
  }

  isColumnHidden(letter: string): boolean {
    return this.hiddenColumns.has(columnIndex(letter));
  }

  mergedAddresses(): string[] {
    return this.merges.map(boxAddress);
  }

  /** The smallest box holding every cell with a value, formula or number format (and merged areas); null on an empty sheet. */
  usedBox(valuesOnly = false): Box | null {
    let box: Box | null = null;
    if (!valuesOnly) for (const m of this.merges) box = box ? { r0: Math.min(box.r0, m.r0), c0: Math.min(box.c0, m.c0), r1: Math.max(box.r1, m.r1), c1: Math.max(box.c1, m.c1) } : { ...m };
    for (const [k, cell] of this.cells) {
      if (cell.value === undefined && cell.formula === undefined && (valuesOnly || cell.numberFormat === undefined)) continue;
      const r = Math.floor(k / EXCEL_MAX_COLUMNS);
      const c = k % EXCEL_MAX_COLUMNS;
      if (!box) box = { r0: r, c0: c, r1: r, c1: c };
      else {
        box.r0 = Math.min(box.r0, r);
        box.c0 = Math.min(box.c0, c);
        box.r1 = Math.max(box.r1, r);
        box.c1 = Math.max(box.c1, c);
      }
    }
    return box;
  }

  /** Values of the used range, for assertions. */
  usedValues(): Scalar[][] {
    const box = this.usedBox() ?? { r0: 0, c0: 0, r1: 0, c1: 0 };
    const rows: Scalar[][] = [];
    for (let r = box.r0; r <= box.r1; r++) {
      const row: Scalar[] = [];
      for (let c = box.c0; c <= box.c1; c++) row.push(this.readValue(r, c));
      rows.push(row);
    }
    return rows;
  }

  /** Fills the sheet from rows of values, as a user's workbook holds them (for tests). */
  setValues(rows: readonly (readonly (Scalar | null | Date | undefined)[])[], topLeft = 'A1'): void {
    const { box } = parseAddress(topLeft);
    rows.forEach((row, i) =>
      row.forEach((v, j) => {
        if (v === null || v === undefined || v === '') return;
        const cell = this.cell(box.r0 + i, box.c0 + j, true)!;
        if (v instanceof Date) {
          cell.value = v.getTime() / 86_400_000 + 25_569;
          cell.numberFormat = 'm/d/yyyy';
        } else cell.value = v;
      }),
    );
  }

  merge(address: string): void {
    this.merges.push(parseAddress(address).box);
  }
}

export interface FakeWorkbookOptions {
  /** Highest ExcelApi 1.x minor version supported (default 13). */
  apiMinor?: number;
  /** AddinCommands 1.1 (ribbon buttons); default true. */
  ribbon?: boolean;
}

export interface FakeName {
  name: string;
  formula: string;
}

export class FakeWorkbook {
  readonly sheets: FakeSheet[] = [];
  readonly names: FakeName[] = [];
  activeSheet: string;
  selection: string | null = null;
  readonly requests: FakeRequest[] = [];
  readonly apiMinor: number;
  readonly ribbon: boolean;

  constructor(options: FakeWorkbookOptions = {}) {
    this.apiMinor = options.apiMinor ?? 13;
    this.ribbon = options.ribbon ?? true;
    this.activeSheet = this.addSheet('Sheet1').name;
  }

  addSheet(name: string): FakeSheet {
    if (this.findSheet(name)) throw fakeError('ItemAlreadyExists', `A sheet named ${name} already exists`);
    if (name.length === 0 || name.length > 31 || /[\\/?*[\]:]/.test(name)) throw fakeError('InvalidArgument', `Bad sheet name ${name}`);
    const sheet = new FakeSheet(name);
    this.sheets.push(sheet);
    return sheet;
  }

  findSheet(name: string): FakeSheet | undefined {
    return this.sheets.find((s) => s.name.toLowerCase() === name.toLowerCase());
  }

  sheet(name: string): FakeSheet {
    const s = this.findSheet(name);
    if (!s) throw fakeError('ItemNotFound', `No sheet ${name}`);
    return s;
  }

  get syncCount(): number {
    return this.requests.length;
  }

  get largestRequestBytes(): number {
    return this.requests.reduce((m, r) => Math.max(m, r.bytes), 0);
  }

  get largestResponseBytes(): number {
    return this.requests.reduce((m, r) => Math.max(m, r.responseBytes), 0);
  }

  resetCounters(): void {
    this.requests.length = 0;
  }

  isSetSupported(name: string, version?: string): boolean {
    const minor = Number((version ?? '1.1').split('.')[1] ?? 0);
    if (name === 'ExcelApi') return minor <= this.apiMinor;
    if (name === 'AddinCommands') return this.ribbon && minor <= 1;
    return false;
  }

  context(): FakeContext {
    return new FakeContext(this);
  }

  /** Excel.run: a fresh context for the batch, and a last sync of whatever it left queued. */
  async run<T>(batch: (context: FakeContext) => Promise<T>): Promise<T> {
    const context = this.context();
    const result = await batch(context);
    if (context.pending()) await context.sync();
    return result;
  }

  /** Requires an API version, as a missing method is on an older Office. */
  require(minor: number, what: string): void {
    if (this.apiMinor < minor) throw new TypeError(`${what} is not available (ExcelApi 1.${minor}; this Excel has 1.${this.apiMinor})`);
  }
}

// ---------------------------------------------------------------- the request context and proxies

interface Operation {
  label: string;
  payload: unknown;
  /** Loads return what they read, for the response size. */
  run(): unknown;
}

function utf8Bytes(text: string): number {
  return new TextEncoder().encode(text).length;
}

export class FakeContext {
  readonly workbook: WorkbookProxy;
  private queue: Operation[] = [];

  constructor(readonly state: FakeWorkbook) {
    this.workbook = new WorkbookProxy(this);
  }

  enqueue(label: string, payload: unknown, run: () => void): void {
    this.queue.push({ label, payload, run });
  }

  pending(): number {
    return this.queue.length;
  }

  async sync(): Promise<void> {
    const ops = this.queue;
    this.queue = [];
    const request: FakeRequest = {
      bytes: utf8Bytes(JSON.stringify(ops.map((o) => [o.label, o.payload]))),
      operations: ops.length,
      responseBytes: 0,
    };
    this.state.requests.push(request);
    const results: unknown[] = [];
    for (const op of ops) {
      const result = op.run();
      if (result !== undefined) results.push(result);
    }
    // Proxies in loaded collections count as a small object each.
    const plain = (_k: string, v: unknown) => (v && typeof v === 'object' && !Array.isArray(v) && v.constructor !== Object ? '{}' : v);
    request.responseBytes = utf8Bytes(JSON.stringify(results, plain));
  }
}

const NOT_LOADED = (prop: string) =>
  fakeError(
    'PropertyNotLoaded',
    `The property '${prop}' is not available. Before reading the property's value, call the load method on the containing object and call "context.sync()" on the associated request context.`,
  );

let apiSets: ReadonlyMap<string, number> = new Map();

/** The requirement set of each Excel member ("Range.merge" → 2), from excel-api-sets.ts (Node) or the test page. */
export function setExcelApiSets(sets: ReadonlyMap<string, number> | Record<string, number>): void {
  apiSets = sets instanceof Map ? sets : new Map(Object.entries(sets));
}

/** The object as an older Office shows it: a member of `excelClass` above the workbook's ExcelApi throws when touched. */
function guarded<T extends object>(target: T, excelClass: string, state: FakeWorkbook): T {
  const check = (prop: string | symbol) => {
    const minor = typeof prop === 'string' ? apiSets.get(`${excelClass}.${prop}`) : undefined;
    if (minor !== undefined) state.require(minor, `${excelClass}.${String(prop)}`);
  };
  return new Proxy(target, {
    get(t, p, receiver) {
      check(p);
      return Reflect.get(t, p, receiver);
    },
    set(t, p, v, receiver) {
      check(p);
      return Reflect.set(t, p, v, receiver);
    },
  });
}

/**
 * A string written through `values` or `formulas` as Excel takes typed input (en-US):
 * a leading apostrophe keeps the rest as text, numbers, percentages, TRUE/FALSE and
 * m/d/yyyy or m/yyyy dates become numbers and booleans ("01" → 1, "1.10" → 1.1).
 */
function typed(text: string): Scalar {
  if (text.startsWith("'")) return text.slice(1);
  const t = text.trim();
  if (/^[+-]?(\d+(\.\d*)?|\.\d+)(e[+-]?\d+)?$/i.test(t)) return Number(t);
  if (/^[+-]?\d+(\.\d+)?%$/.test(t)) return Number(t.slice(0, -1)) / 100;
  if (/^(true|false)$/i.test(t)) return t.toLowerCase() === 'true';
  const date = /^(\d{1,2})\/(?:(\d{1,2})\/)?(\d{4})$/.exec(t);
  if (date) {
    const [month, day, year] = [Number(date[1]), Number(date[2] ?? 1), Number(date[3])];
    const utc = Date.UTC(year, month - 1, day);
    const back = new Date(utc);
    if (month >= 1 && month <= 12 && back.getUTCDate() === day) return Math.round((utc - Date.UTC(1899, 11, 30)) / 86_400_000);
  }
  return text;
}

/** Load bookkeeping shared by every proxy: values appear after the sync that ran the load. */
abstract class Loadable {
  private loaded = new Map<string, unknown>();

  constructor(protected readonly ctx: FakeContext) {}

  protected abstract read(prop: string): unknown;

  load(props?: string | string[] | { select?: string }): this {
    const list = (typeof props === 'string' ? props.split(',') : Array.isArray(props) ? props : (props?.select ?? '').split(','))
      .map((p) => p.trim())
      .filter(Boolean);
    this.ctx.enqueue('load', list, () => {
      const read: Record<string, unknown> = {};
      for (const p of list) this.loaded.set(p.split('/')[0], (read[p] = this.read(p)));
      return read;
    });
    return this;
  }

  protected loadedValue<T>(prop: string): T {
    if (!this.loaded.has(prop)) throw NOT_LOADED(prop);
    return this.loaded.get(prop) as T;
  }

  /** A scalar property write: queued, applied at sync. */
  protected write(label: string, value: unknown, apply: () => void): void {
    this.ctx.enqueue(label, value, apply);
  }
}

class WorkbookProxy {
  readonly worksheets: WorksheetCollectionProxy;
  readonly names: NamedItemCollectionProxy;

  constructor(ctx: FakeContext) {
    this.worksheets = new WorksheetCollectionProxy(ctx);
    this.names = new NamedItemCollectionProxy(ctx);
    return guarded(this, 'Workbook', ctx.state);
  }
}

class WorksheetCollectionProxy extends Loadable {
  constructor(ctx: FakeContext) {
    super(ctx);
    return guarded(this, 'WorksheetCollection', ctx.state);
  }

  protected read(prop: string): unknown {
    if (prop.split('/')[0] !== 'items') throw fakeError('InvalidArgument', `Cannot load ${prop} on worksheets`);
    return this.ctx.state.sheets.map((s) => new WorksheetProxy(this.ctx, () => s, { name: s.name, visibility: s.visibility }));
  }

  get items(): WorksheetProxy[] {
    return this.loadedValue('items');
  }

  add(name: string): WorksheetProxy {
    let sheet: FakeSheet | undefined;
    this.ctx.enqueue('worksheets.add', name, () => {
      sheet = this.ctx.state.addSheet(name);
    });
    return new WorksheetProxy(this.ctx, () => {
      if (!sheet) throw fakeError('InvalidOperation', 'used before its creation ran');
      return sheet;
    });
  }

  getItem(name: string): WorksheetProxy {
    return new WorksheetProxy(this.ctx, () => this.ctx.state.sheet(name));
  }

  getActiveWorksheet(): WorksheetProxy {
    const wb = this.ctx.state;
    return new WorksheetProxy(this.ctx, () => wb.sheet(wb.activeSheet));
  }
}

class WorksheetProxy extends Loadable {
  readonly freezePanes: { freezeRows(count: number): void };
  readonly autoFilter: { apply(range: RangeProxy | string): void };
  readonly charts: { add(type: string, source: RangeProxy, seriesBy?: string): ChartProxy };
  readonly pageLayout: Record<string, unknown>;
  readonly horizontalPageBreaks: { add(range: string): void };
  /** Properties a collection load ('items/name') filled in. */
  private readonly preloaded = new Map<string, unknown>();

  constructor(
    ctx: FakeContext,
    private readonly resolve: () => FakeSheet,
    preloaded?: Record<string, unknown>,
  ) {
    super(ctx);
    for (const [k, v] of Object.entries(preloaded ?? {})) this.preloaded.set(k, v);
    const wb = ctx.state;
    this.freezePanes = guarded({
      freezeRows: (count: number) => {
        wb.require(7, 'freezePanes');
        this.write('freezeRows', count, () => {
          this.resolve().frozenRows = count;
        });
      },
    }, 'WorksheetFreezePanes', wb);
    this.autoFilter = guarded({
      apply: (range: RangeProxy | string) => {
        wb.require(9, 'autoFilter');
        const target = typeof range === 'string' ? this.getRange(range) : range;
        this.write('autoFilter.apply', target.label, () => {
          const { sheet, box } = target.resolved();
          sheet.autoFilter = boxAddress(box);
        });
      },
    }, 'AutoFilter', wb);
    this.charts = guarded({ add: (type: string, source: RangeProxy, seriesBy = 'Auto') => this.addChart(type, source, seriesBy) }, 'ChartCollection', wb);
    this.pageLayout = guarded(this.pageLayoutProxy(), 'PageLayout', wb);
    this.horizontalPageBreaks = guarded(
      {
        add: (range: string) =>
          this.write('horizontalPageBreaks.add', range, () => {
            this.resolve().pageBreaks.push(parseAddress(range).box.r0 + 1);
          }),
      },
      'PageBreakCollection',
      wb,
    );
    return guarded(this, 'Worksheet', wb);
  }

  protected read(prop: string): unknown {
    const sheet = this.resolve();
    if (prop === 'name') return sheet.name;
    if (prop === 'visibility') return sheet.visibility;
    throw fakeError('InvalidArgument', `Cannot load ${prop} on a worksheet`);
  }

  get name(): string {
    return this.preloaded.has('name') ? (this.preloaded.get('name') as string) : this.loadedValue('name');
  }

  get visibility(): string {
    return this.preloaded.has('visibility') ? (this.preloaded.get('visibility') as string) : this.loadedValue('visibility');
  }

  set visibility(value: string) {
    this.ctx.state.require(2, 'Worksheet.visibility (set)');
    this.write('worksheet.visibility', value, () => {
      this.resolve().visibility = value;
    });
  }

  getRange(address?: string): RangeProxy {
    const label = address ?? 'A:XFD';
    return new RangeProxy(this.ctx, () => ({ sheet: this.resolve(), box: parseAddress(label).box }));
  }

  getUsedRange(valuesOnly?: boolean): RangeProxy {
    if (valuesOnly !== undefined) this.ctx.state.require(2, 'getUsedRange(valuesOnly)');
    return new RangeProxy(this.ctx, () => {
      const sheet = this.resolve();
      return { sheet, box: sheet.usedBox(valuesOnly) ?? { r0: 0, c0: 0, r1: 0, c1: 0 } };
    });
  }

  activate(): void {
    this.write('worksheet.activate', null, () => {
      this.ctx.state.activeSheet = this.resolve().name;
    });
  }

  private addChart(type: string, source: RangeProxy, seriesBy: string): ChartProxy {
    const chart: FakeChart = { name: '', type, source: '', seriesBy };
    this.write('charts.add', [type, source.label, seriesBy], () => {
      const sheet = this.resolve();
      const { sheet: from, box } = source.resolved();
      chart.source = `${quoteSheet(from.name)}!${boxAddress(box)}`;
      chart.name = `Chart ${sheet.charts.length + 1}`;
      sheet.charts.push(chart);
    });
    return new ChartProxy(this.ctx, chart);
  }

  private pageLayoutProxy(): Record<string, unknown> {
    const wb = this.ctx.state;
    const layout: Record<string, unknown> = {};
    for (const key of ['orientation', 'paperSize', 'zoom']) {
      Object.defineProperty(layout, key, {
        set: (value: unknown) => {
          wb.require(9, `pageLayout.${key}`);
          this.write(`pageLayout.${key}`, value, () => {
            this.resolve().pageLayout[key] = value;
          });
        },
        get: () => {
          throw NOT_LOADED(key);
        },
      });
    }
    layout.setPrintTitleRows = (rows: string) => {
      wb.require(9, 'pageLayout.setPrintTitleRows');
      this.write('pageLayout.setPrintTitleRows', rows, () => {
        this.resolve().pageLayout.printTitleRows = rows;
      });
    };
    layout.headersFooters = {
      defaultForAllPages: Object.defineProperty({}, 'centerFooter', {
        set: (value: string) => {
          wb.require(9, 'headersFooters');
          this.write('centerFooter', value, () => {
            this.resolve().pageLayout.centerFooter = value;
          });
        },
      }),
    };
    return layout;
  }
}

class ChartProxy {
  readonly title: { text: string };
  readonly legend: { position: string };

  constructor(
    private readonly ctx: FakeContext,
    private readonly chart: FakeChart,
  ) {
    const setter = (label: string, apply: (v: string) => void) => ({
      set: (v: string) => ctx.enqueue(label, v, () => apply(v)),
      get: () => {
        throw NOT_LOADED(label);
      },
    });
    this.title = Object.defineProperty({} as { text: string }, 'text', setter('chart.title', (v) => (chart.title = v)));
    this.legend = Object.defineProperty({} as { position: string }, 'position', setter('chart.legend', (v) => (chart.legend = v)));
    return guarded(this, 'Chart', ctx.state);
  }

  setPosition(start: string, end: string): void {
    this.ctx.enqueue('chart.setPosition', [start, end], () => {
      this.chart.position = [start, end];
    });
  }

  get axes(): { categoryAxis: { setCategoryNames(range: RangeProxy): void } } {
    this.ctx.state.require(7, 'Chart.axes.categoryAxis.setCategoryNames');
    return {
      categoryAxis: {
        setCategoryNames: (range: RangeProxy) =>
          this.ctx.enqueue('chart.setCategoryNames', range.label, () => {
            const { sheet, box } = range.resolved();
            this.chart.categoryNames = `${quoteSheet(sheet.name)}!${boxAddress(box)}`;
          }),
      },
    };
  }
}

type Resolved = { sheet: FakeSheet; box: Box };

class RangeProxy extends Loadable {
  private cached: Resolved | null = null;
  readonly format: RangeFormatProxy;
  readonly conditionalFormats: { add(type: string): ConditionalFormatProxy };
  readonly dataValidation: DataValidationProxy;

  constructor(
    ctx: FakeContext,
    private readonly resolver: () => Resolved,
  ) {
    super(ctx);
    this.format = new RangeFormatProxy(ctx, this);
    this.conditionalFormats = {
      add: (type: string) => {
        ctx.state.require(6, 'conditionalFormats');
        const cf: FakeConditionalFormat = { address: '', type, formula: '' };
        ctx.enqueue('conditionalFormats.add', type, () => {
          const { sheet, box } = this.resolved();
          cf.address = boxAddress(box);
          sheet.conditionalFormats.push(cf);
        });
        return new ConditionalFormatProxy(ctx, cf);
      },
    };
    this.dataValidation = new DataValidationProxy(ctx, this);
    return guarded(this, 'Range', ctx.state);
  }

  /** Where the range is, fixed the first time an operation needs it (as Office.js binds it on creation). */
  resolved(): Resolved {
    if (!this.cached) this.cached = this.resolver();
    return this.cached;
  }

  get label(): string {
    return this.cached ? boxAddress(this.cached.box) : 'range';
  }

  private dims(): { rows: number; columns: number } {
    const { box } = this.resolved();
    return { rows: box.r1 - box.r0 + 1, columns: box.c1 - box.c0 + 1 };
  }

  private grid<T>(fn: (sheet: FakeSheet, r: number, c: number) => T): T[][] {
    const { sheet, box } = this.resolved();
    if ((box.r1 - box.r0 + 1) * (box.c1 - box.c0 + 1) > 5_000_000) throw fakeError('ResponsePayloadSizeLimitExceeded', 'range too large to load');
    const out: T[][] = [];
    for (let r = box.r0; r <= box.r1; r++) {
      const row: T[] = [];
      for (let c = box.c0; c <= box.c1; c++) row.push(fn(sheet, r, c));
      out.push(row);
    }
    return out;
  }

  protected read(prop: string): unknown {
    const { sheet, box } = this.resolved();
    switch (prop) {
      case 'values':
        return this.grid((s, r, c) => s.readValue(r, c));
      case 'formulas':
        return this.grid((s, r, c) => s.readFormula(r, c));
      case 'numberFormat':
        return this.grid((s, r, c) => s.cell(r, c)?.numberFormat ?? 'General');
      case 'address':
        return `${quoteSheet(sheet.name)}!${boxAddress(box)}`;
      case 'rowIndex':
        return box.r0;
      case 'columnIndex':
        return box.c0;
      case 'rowCount':
        return this.dims().rows;
      case 'columnCount':
        return this.dims().columns;
      default:
        throw fakeError('InvalidArgument', `Cannot load ${prop} on a range`);
    }
  }

  get values(): Scalar[][] {
    return this.loadedValue('values');
  }
  set values(values: (Scalar | null)[][]) {
    this.writeCells('values', values);
  }
  get formulas(): Scalar[][] {
    return this.loadedValue('formulas');
  }
  set formulas(values: (Scalar | null)[][]) {
    this.writeCells('formulas', values);
  }
  get numberFormat(): string[][] {
    return this.loadedValue('numberFormat');
  }
  set numberFormat(formats: (string | null)[][]) {
    this.writeArray('numberFormat', formats, (cell, v) => {
      cell.numberFormat = String(v);
    });
  }
  get address(): string {
    return this.loadedValue('address');
  }
  get rowIndex(): number {
    return this.loadedValue('rowIndex');
  }
  get columnIndex(): number {
    return this.loadedValue('columnIndex');
  }
  get rowCount(): number {
    return this.loadedValue('rowCount');
  }
  get columnCount(): number {
    return this.loadedValue('columnCount');
  }

  set columnHidden(hidden: boolean) {
    this.ctx.state.require(2, 'Range.columnHidden');
    this.write('columnHidden', hidden, () => {
      const { sheet, box } = this.resolved();
      for (let c = box.c0; c <= box.c1; c++) {
        if (hidden) sheet.hiddenColumns.add(c);
        else sheet.hiddenColumns.delete(c);
      }
    });
  }

  private writeArray(label: string, values: (Scalar | null)[][], put: (cell: Cell, value: Scalar) => void): void {
    this.write(label, values, () => {
      const { sheet, box } = this.resolved();
      const { rows, columns } = this.dims();
      if (!Array.isArray(values) || values.length !== rows || values.some((row) => !Array.isArray(row) || row.length !== columns)) {
        throw fakeError('InvalidArgument', `The number of rows or columns in the input array doesn't match the size of the range ${boxAddress(box)}`);
      }
      values.forEach((row, i) =>
        row.forEach((v, j) => {
          // null leaves the cell as it is, as in Office.js.
          if (v !== null) put(sheet.cell(box.r0 + i, box.c0 + j, true)!, v);
        }),
      );
    });
  }

  private writeCells(label: string, values: (Scalar | null)[][]): void {
    this.writeArray(label, values, (cell, v) => {
      delete cell.result;
      if (typeof v === 'string' && v.startsWith('=')) {
        cell.formula = v;
        delete cell.value;
      } else {
        delete cell.formula;
        if (v === '') delete cell.value;
        else cell.value = typeof v === 'string' && cell.numberFormat !== '@' ? typed(v) : v;
      }
    });
  }

  merge(across = false): void {
    this.ctx.state.require(2, 'Range.merge');
    this.write('merge', across, () => {
      const { sheet, box } = this.resolved();
      if (across) for (let r = box.r0; r <= box.r1; r++) sheet.merges.push({ ...box, r0: r, r1: r });
      else sheet.merges.push({ ...box });
    });
  }

  clear(): void {
    this.write('clear', null, () => {
      const { sheet, box } = this.resolved();
      for (const k of [...sheet.cells.keys()]) {
        if (inside(box, Math.floor(k / EXCEL_MAX_COLUMNS), k % EXCEL_MAX_COLUMNS)) sheet.cells.delete(k);
      }
    });
  }

  select(): void {
    this.write('select', null, () => {
      const { sheet, box } = this.resolved();
      this.ctx.state.activeSheet = sheet.name;
      this.ctx.state.selection = boxAddress(box);
    });
  }

  autoFill(destination: string, type = 'FillDefault'): void {
    this.ctx.state.require(9, 'Range.autoFill');
    this.write('autoFill', [destination, type], () => {
      const { sheet, box } = this.resolved();
      const target = parseAddress(destination).box;
      for (let c = box.c0; c <= box.c1; c++) {
        const source = sheet.cell(box.r0, c) ?? {};
        for (let r = target.r0; r <= target.r1; r++) {
          if (r === box.r0) continue;
          const cell = sheet.cell(r, c, true)!;
          if (source.formula !== undefined) cell.formula = shiftRows(source.formula, r - box.r0);
          else if (source.value !== undefined) cell.value = source.value;
        }
      }
    });
  }

  getMergedAreasOrNullObject(): MergedAreasProxy {
    this.ctx.state.require(13, 'Range.getMergedAreasOrNullObject');
    return new MergedAreasProxy(this.ctx, this);
  }
}

class MergedAreasProxy extends Loadable {
  constructor(
    ctx: FakeContext,
    private readonly range: RangeProxy,
  ) {
    super(ctx);
    return guarded(this, 'RangeAreas', ctx.state);
  }

  protected read(prop: string): unknown {
    const { sheet, box } = this.range.resolved();
    const areas = sheet.merges.filter((m) => m.r0 <= box.r1 && m.r1 >= box.r0 && m.c0 <= box.c1 && m.c1 >= box.c0);
    if (prop === 'isNullObject') return areas.length === 0;
    // A null object's properties load as null instead of failing the batch, as in Office.js.
    if (prop === 'address') return areas.length === 0 ? null : areas.map((b) => `${quoteSheet(sheet.name)}!${boxAddress(b)}`).join(',');
    throw fakeError('InvalidArgument', `Cannot load ${prop} on merged areas`);
  }

  override load(props?: string | string[]): this {
    const list = typeof props === 'string' ? props.split(',') : (props ?? []);
    return super.load([...list, 'isNullObject']);
  }

  get isNullObject(): boolean {
    return this.loadedValue('isNullObject');
  }

  get address(): string | null {
    return this.loadedValue('address');
  }
}

class RangeFormatProxy {
  readonly fill: { color: string; clear(): void };
  readonly font: { bold: boolean; italic: boolean; size: number; color: string; name: string };
  readonly borders: { getItem(edge: string): { style: string; color: string } };

  constructor(
    private readonly ctx: FakeContext,
    private readonly range: RangeProxy,
  ) {
    const apply = (label: string, format: CellFormat) =>
      ctx.enqueue(label, format, () => {
        const { sheet, box } = range.resolved();
        sheet.formats.push({ box: { ...box }, format });
      });
    this.fill = Object.defineProperties({} as { color: string; clear(): void }, {
      color: { set: (v: string) => apply('fill.color', { fill: normalizeColor(v) }) },
      clear: { value: () => apply('fill.clear', { fill: undefined }) },
    });
    this.font = Object.defineProperties({} as RangeFormatProxy['font'], {
      bold: { set: (v: boolean) => apply('font.bold', { bold: v }) },
      italic: { set: (v: boolean) => apply('font.italic', { italic: v }) },
      size: { set: (v: number) => apply('font.size', { size: v }) },
      color: { set: (v: string) => apply('font.color', { color: normalizeColor(v) }) },
      name: { set: (v: string) => apply('font.name', { fontName: v }) },
    });
    this.borders = {
      getItem: (edge: string) =>
        Object.defineProperties({} as { style: string; color: string }, {
          style: { set: (v: string) => apply('border', { borders: { [edge]: v } }) },
          color: { set: () => undefined },
        }),
    };
    this.fill = guarded(this.fill, 'RangeFill', ctx.state);
    this.font = guarded(this.font, 'RangeFont', ctx.state);
    this.borders = guarded(this.borders, 'RangeBorderCollection', ctx.state);
    return guarded(this, 'RangeFormat', ctx.state);
  }

  set wrapText(v: boolean) {
    this.push('wrapText', { wrapText: v });
  }
  set horizontalAlignment(v: string) {
    this.push('horizontalAlignment', { horizontalAlignment: v });
  }
  set verticalAlignment(v: string) {
    this.push('verticalAlignment', { verticalAlignment: v });
  }

  set columnWidth(points: number) {
    this.ctx.enqueue('columnWidth', points, () => {
      const { sheet, box } = this.range.resolved();
      for (let c = box.c0; c <= box.c1; c++) sheet.columnWidths.set(c, points);
    });
  }

  autofitRows(): void {
    this.push('autofitRows', { autofitRows: true });
  }

  set rowHeight(points: number) {
    this.ctx.enqueue('rowHeight', points, () => {
      const { sheet, box } = this.range.resolved();
      for (let r = box.r0; r <= Math.min(box.r1, box.r0 + 10_000); r++) sheet.rowHeights.set(r, points);
    });
  }

  private push(label: string, format: CellFormat) {
    this.ctx.enqueue(label, format, () => {
      const { sheet, box } = this.range.resolved();
      sheet.formats.push({ box: { ...box }, format });
    });
  }
}

function normalizeColor(color: string): string {
  return color.replace(/^#/, '').toUpperCase();
}

class ConditionalFormatProxy {
  readonly custom: { rule: { formula: string }; format: { fill: { color: string }; font: { color: string } } };

  constructor(ctx: FakeContext, cf: FakeConditionalFormat) {
    const setter = (label: string, apply: (v: string) => void) => ({
      set: (v: string) => ctx.enqueue(label, v, () => apply(v)),
    });
    this.custom = {
      rule: Object.defineProperty({} as { formula: string }, 'formula', setter('cf.formula', (v) => (cf.formula = v))),
      format: {
        fill: Object.defineProperty({} as { color: string }, 'color', setter('cf.fill', (v) => (cf.fill = normalizeColor(v)))),
        font: Object.defineProperty({} as { color: string }, 'color', setter('cf.font', (v) => (cf.font = normalizeColor(v)))),
      },
    };
  }
}

class DataValidationProxy {
  constructor(
    private readonly ctx: FakeContext,
    private readonly range: RangeProxy,
  ) {
    return guarded(this, 'DataValidation', ctx.state);
  }

  private validation(): FakeValidation {
    const { sheet, box } = this.range.resolved();
    const address = boxAddress(box);
    let v = sheet.validations.find((x) => x.address === address);
    if (!v) sheet.validations.push((v = { address, rule: {} }));
    return v;
  }

  private set(label: string, value: unknown, apply: (v: FakeValidation) => void) {
    this.ctx.state.require(8, 'dataValidation');
    this.ctx.enqueue(label, value, () => apply(this.validation()));
  }

  set rule(rule: Record<string, unknown>) {
    this.set('dataValidation.rule', rule, (v) => {
      const [kind] = Object.keys(rule);
      const body = rule[kind] as Record<string, unknown>;
      if (kind === 'list' && typeof body.source === 'string' && !body.source.startsWith('=') && body.source.length > 255) {
        throw fakeError('InvalidArgument', 'A list source written inline is limited to 255 characters');
      }
      v.rule = rule;
    });
  }
  set prompt(prompt: Record<string, unknown>) {
    this.set('dataValidation.prompt', prompt, (v) => {
      if (String(prompt.title ?? '').length > 32 || String(prompt.message ?? '').length > 255) throw fakeError('InvalidArgument', 'prompt too long');
      v.prompt = prompt;
    });
  }
  set errorAlert(alert: Record<string, unknown>) {
    this.set('dataValidation.errorAlert', alert, (v) => {
      if (String(alert.title ?? '').length > 32 || String(alert.message ?? '').length > 255) throw fakeError('InvalidArgument', 'error alert too long');
      v.errorAlert = alert;
    });
  }
  set ignoreBlanks(ignore: boolean) {
    this.set('dataValidation.ignoreBlanks', ignore, (v) => (v.ignoreBlanks = ignore));
  }
  clear(): void {
    this.ctx.state.require(8, 'dataValidation');
    this.ctx.enqueue('dataValidation.clear', null, () => {
      const { sheet, box } = this.range.resolved();
      const address = boxAddress(box);
      const i = sheet.validations.findIndex((x) => x.address === address);
      if (i >= 0) sheet.validations.splice(i, 1);
    });
  }
}

class NamedItemCollectionProxy extends Loadable {
  constructor(ctx: FakeContext) {
    super(ctx);
    return guarded(this, 'NamedItemCollection', ctx.state);
  }

  protected read(prop: string): unknown {
    if (prop.split('/')[0] !== 'items') throw fakeError('InvalidArgument', `Cannot load ${prop} on names`);
    return this.ctx.state.names.map((n) => new NamedItemProxy(this.ctx, n));
  }

  get items(): NamedItemProxy[] {
    return this.loadedValue('items');
  }

  add(name: string, reference: string, comment?: string): NamedItemProxy {
    this.ctx.state.require(4, 'names.add');
    const item: FakeName = { name, formula: reference.startsWith('=') ? reference : `=${reference}` };
    this.ctx.enqueue('names.add', [name, reference, comment ?? ''], () => {
      if (this.ctx.state.names.some((n) => n.name.toLowerCase() === name.toLowerCase())) {
        throw fakeError('ItemAlreadyExists', `The name ${name} already exists`);
      }
      this.ctx.state.names.push(item);
    });
    return new NamedItemProxy(this.ctx, item);
  }
}

class NamedItemProxy {
  constructor(
    private readonly ctx: FakeContext,
    private readonly item: FakeName,
  ) {
    return guarded(this, 'NamedItem', ctx.state);
  }

  get name(): string {
    return this.item.name;
  }

  get formula(): string {
    return this.item.formula;
  }

  delete(): void {
    this.ctx.state.require(4, 'NamedItem.delete');
    this.ctx.enqueue('names.delete', this.item.name, () => {
      const names = this.ctx.state.names;
      const i = names.indexOf(this.item);
      if (i >= 0) names.splice(i, 1);
    });
  }
}

// ---------------------------------------------------------------- globals for the browser tests

/**
 * Puts `Office` and `Excel` on a global object (window in the browser tests)
 * backed by the workbook: Excel.run, Office.onReady, requirement sets, and the
 * ribbon's Office.actions.associate (its handlers are kept in `actions`).
 */
export function installOfficeGlobals(target: Record<string, unknown>, workbook: FakeWorkbook) {
  const actions = new Map<string, (event: { completed(): void }) => unknown>();
  const info = { host: 'Excel', platform: 'OfficeOnline' };
  target.Excel = { run: <T>(batch: (context: FakeContext) => Promise<T>) => workbook.run(batch) };
  target.Office = {
    HostType: { Excel: 'Excel' },
    PlatformType: { OfficeOnline: 'OfficeOnline' },
    onReady: (callback?: (i: typeof info) => void) => {
      callback?.(info);
      return Promise.resolve(info);
    },
    context: {
      host: 'Excel',
      platform: 'OfficeOnline',
      displayLanguage: 'vi-VN',
      requirements: { isSetSupported: (name: string, version?: string) => workbook.isSetSupported(name, version) },
    },
    actions: { associate: (id: string, handler: (event: { completed(): void }) => unknown) => actions.set(id, handler) },
  };
  return { actions };
}
