/// <reference types="office-js" />
/**
 * The task pane: recognise the annex on the active sheet, build the tracker on
 * a new sheet, check it, colour it as of a reporting day, sync it with the
 * service, and make the report sheet. Every workbook access goes through the
 * Excel adapter inside Excel.run; this file holds the flows and the pane's
 * state, view.ts draws, i18n.ts words it.
 */
import '../polyfills';
import { recognizeAnnex, type Recognition } from '../../../shared/annex';
import { defaultRegistry } from '../../../shared/agencies';
import { checkTracker } from '../../../shared/checks';
import { downloadName } from '../../../shared/download-name';
import { isoFromParts, parseIso, todayIso } from '../../../shared/dates';
import type { Grid } from '../../../shared/grid';
import type { IsoDate, Progress, Task, TaskField } from '../../../shared/schemas';
import { formatDay, trackerLayout, trackerRows } from '../../../shared/tracker-layout';
import * as adapter from '../excel/adapter';
import { detectFeatures, missingFeatures, type Features } from '../excel/features';
import type { TrackerSheet } from '../excel/tracker-sheet';
import {
  OfflineQueue,
  createClient,
  isOffline,
  isServiceError,
  type Caller,
  type KeyValueStore,
  type ServiceClient,
} from '../sync/client';
import { loadSettings, saveSettings, type SyncSettings } from '../sync/settings';
import {
  applyAnswer,
  applyFeed,
  diffChanges,
  loadState,
  markQueued,
  resolveLocally,
  saveState,
  sheetUpdates,
  stateFromTracker,
  type ProgressField,
  type SheetProgress,
  type SyncState,
} from '../sync/state';
import { recognizeDocumentTasks, type DocumentTasks } from '../../../shared/document-tasks';
import { readDocumentFile } from './document-file';
import { reportFromSheet } from './report';
import { initialLang, lang, pick, setLang, t, translate, type WordKey } from './i18n';
import { byId, categorySummary, conflictCard, el, problemList, setStatus, show, table, withAttribute, type ProblemItem } from './view';

const FIELDS: readonly TaskField[] = ['stt', 'task', 'lead', 'support', 'deadline', 'output'];
const FIELD_WORDS: Record<TaskField, WordKey> = {
  stt: 'fieldStt',
  task: 'fieldTask',
  lead: 'fieldLead',
  support: 'fieldSupport',
  deadline: 'fieldDeadline',
  output: 'fieldOutput',
};
const PROGRESS_WORDS: Record<ProgressField, WordKey> = {
  status: 'progressStatus',
  result: 'progressResult',
  completedOn: 'progressCompletedOn',
  evidence: 'progressEvidence',
  note: 'progressNote',
};

/** localStorage, or a stand-in when the webview refuses it (private mode): settings then last for the session. */
function localStore(): KeyValueStore {
  try {
    const probe = '__annexTracker';
    window.localStorage.setItem(probe, '1');
    window.localStorage.removeItem(probe);
    return window.localStorage;
  } catch {
    const memory: Record<string, string> = {};
    return {
      getItem: (k) => (k in memory ? memory[k] : null),
      setItem: (k, v) => void (memory[k] = v),
      removeItem: (k) => void delete memory[k],
    };
  }
}

const storage = localStore();
const queue = new OfflineQueue(storage);

const pane = {
  features: null as Features | null,
  /** The active sheet's grid and what was recognised in it. */
  source: null as { sheetName: string; grid: Grid; recognition: Recognition; mapping: Partial<Record<TaskField, number>> } | null,
  /** Or the tasks found in a document chosen with "Từ văn bản…" (the last of the two wins). */
  document: null as { name: string; found: DocumentTasks } | null,
  /** The tracker sheet this pane built or pulled (else the adapter finds one). */
  trackerSheet: null as string | null,
  caller: null as Caller | null,
  /** The reporting day last chosen for the colours (null: today). */
  reportDay: null as IsoDate | null,
  busy: false,
};

const today = (): IsoDate => todayIso();
const reportDay = (): IsoDate => pane.reportDay ?? today();

/** The service that served this pane, when none is set: the pane is normally served by it at /addin. */
function defaultBaseUrl(): string {
  return location.protocol === 'https:' || location.protocol === 'http:' ? `${location.protocol}//${location.host}` : '';
}

function settings(): SyncSettings {
  return loadSettings(storage, defaultBaseUrl());
}

function client(): ServiceClient {
  const s = settings();
  if (!s.baseUrl || !s.token) throw new PaneError('needSettings');
  return createClient({ baseUrl: s.baseUrl, token: s.token });
}

/** A problem the pane explains in its own words. */
class PaneError extends Error {
  constructor(readonly key: WordKey) {
    super(key);
  }
}

function messageOf(e: unknown): string {
  if (e instanceof PaneError) return t(e.key);
  if (isServiceError(e) || (e && typeof (e as { messageEn?: unknown }).messageEn === 'string')) {
    const err = e as { message: string; messageEn: string };
    return t('error', { message: pick({ message: err.message, messageEn: err.messageEn }) });
  }
  return t('error', { message: e instanceof Error ? e.message : String(e) });
}

/** Runs one user action: buttons disabled meanwhile, the outcome (or the error) announced. */
async function run(action: () => Promise<void>): Promise<void> {
  if (pane.busy) return;
  pane.busy = true;
  const buttons = document.querySelectorAll('button');
  for (let i = 0; i < buttons.length; i++) (buttons[i] as HTMLButtonElement).disabled = true;
  document.body.setAttribute('aria-busy', 'true');
  setStatus(t('working'));
  try {
    await action();
  } catch (e) {
    setStatus(messageOf(e), 'error');
  } finally {
    for (let i = 0; i < buttons.length; i++) (buttons[i] as HTMLButtonElement).disabled = false;
    document.body.removeAttribute('aria-busy');
    pane.busy = false;
  }
}

// ---------------------------------------------------------------- 1. recognise

function recognise(): void {
  const source = pane.source!;
  source.recognition = recognizeAnnex(source.grid, { asOf: today(), mapping: source.mapping });
  renderRecognition();
}

async function detect(): Promise<void> {
  const active = await Excel.run((context) => adapter.readActiveGrid(context, pane.features!));
  pane.source = { sheetName: active.sheetName, grid: active.grid, recognition: null as unknown as Recognition, mapping: {} };
  pane.document = null;
  recognise();
  const r = pane.source.recognition;
  const sections = r.sections.length;
  setStatus(t('detected', { tasks: r.tasks.length, sections, sheet: active.sheetName }), r.tasks.length ? 'success' : 'warning');
}

/** Header texts of the grid's header rows by 0-based column, for the column selects. */
function headerTexts(source: NonNullable<typeof pane.source>): string[] {
  const first = source.grid.firstRow ?? 1;
  const texts: string[] = [];
  for (const headerRow of source.recognition.headerRows) {
    const cells = source.grid.rows[headerRow - first] ?? [];
    cells.forEach((v, c) => {
      const s = v === null || v === undefined ? '' : String(v).replace(/<[^>]+>|\*+/g, '').trim();
      if (s) texts[c] = texts[c] ? `${texts[c]} / ${s}` : s;
    });
  }
  return texts;
}

function columnSelect(field: TaskField, source: NonNullable<typeof pane.source>, headers: string[]): HTMLElement {
  const current = source.recognition.columns.find((c) => c.field === field);
  const width = source.grid.rows.reduce((m, r) => Math.max(m, r.length), 0);
  // The recogniser takes a column for a field, not "no column": "(none)" only shows a field that has none.
  const select = el('select', { id: `map-${field}`, 'data-field': field, 'aria-label': `${t(FIELD_WORDS[field])}: ${t('column')}` }, [
    current ? null : el('option', { value: '' }, [t('noColumn')]),
  ]);
  for (let c = 0; c < width; c++) {
    const letter = columnName(c);
    const option = el('option', { value: String(c) }, [headers[c] ? `${letter} — ${headers[c]}` : letter]) as HTMLOptionElement;
    if (current && current.column === c) option.selected = true;
    select.appendChild(option);
  }
  return select;
}

function columnName(index: number): string {
  let s = '';
  for (let n = index + 1; n > 0; n = Math.floor((n - 1) / 26)) s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
  return s;
}

function renderRecognition(): void {
  const source = pane.source!;
  const r = source.recognition;
  const headers = headerTexts(source);
  const problems: ProblemItem[] = r.diagnostics.map((d) => ({
    row: d.row,
    severity: d.severity,
    message: d.message,
    messageEn: d.messageEn,
    sheet: source.sheetName,
    address: d.row !== null ? `${columnLetterOf(d.field, r) ?? 'A'}${d.row}` : null,
  }));
  show(
    byId('detect-result'),
    el('p', {}, [t('detected', { tasks: r.tasks.length, sections: r.sections.length, sheet: source.sheetName })]),
    r.title ? el('p', { class: 'help' }, [t('annexTitle', { title: r.title })]) : null,
    r.headerRows.length ? el('p', { class: 'help' }, [t('headerRow', { rows: r.headerRows.join(', ') })]) : null,
    table(
      [t('field'), t('column'), t('headerText')],
      FIELDS.map((f) => {
        const mapped = r.columns.find((c) => c.field === f);
        return [
          el('label', { for: `map-${f}` }, [t(FIELD_WORDS[f])]),
          columnSelect(f, source, headers),
          mapped ? mapped.header : '',
        ];
      }),
    ),
    el('p', { class: 'help' }, [t('mappingHelp')]),
    problemList(problems),
  );
}

/** Column letter of a diagnostic's field ("deadline", or already a letter). */
function columnLetterOf(field: string | undefined, r: Recognition): string | null {
  if (!field) return null;
  if (/^[A-Z]{1,3}$/.test(field)) return field;
  const mapped = r.columns.find((c) => c.field === field);
  return mapped ? mapped.letter : null;
}

function onMappingChange(select: HTMLSelectElement): void {
  const source = pane.source;
  if (!source) return;
  const field = select.getAttribute('data-field') as TaskField;
  const mapping: Partial<Record<TaskField, number>> = {};
  for (const c of source.recognition.columns) if (c.field) mapping[c.field] = c.column;
  if (select.value === '') return;
  mapping[field] = Number(select.value);
  source.mapping = mapping;
  recognise();
  const focus = document.getElementById(`map-${field}`);
  if (focus) focus.focus();
  setStatus(t('detected', { tasks: source.recognition.tasks.length, sections: source.recognition.sections.length, sheet: source.sheetName }));
}

/** "Từ văn bản…": the chosen file read in the browser, its tasks shown for a person to check before the tracker is built. */
async function fromDocument(): Promise<void> {
  const file = byId<HTMLInputElement>('document-file').files?.[0];
  if (!file) throw new PaneError('chooseDocument');
  const found = recognizeDocumentTasks(await readDocumentFile(file), { asOf: today() });
  pane.document = { name: file.name, found };
  pane.source = null;
  show(
    byId('detect-result'),
    el('p', {}, [t('documentFound', { tasks: found.tasks.length, name: file.name })]),
    found.title ? el('p', { class: 'help' }, [t('annexTitle', { title: found.title })]) : null,
    table(
      [t('fieldStt'), t('fieldTask'), t('fieldLead'), t('deadlineWritten'), t('deadlineRead')],
      found.tasks.map((task) => [task.stt, task.task, task.leadRaw, task.deadline.raw, task.deadline.due ? formatDay(task.deadline.due) : task.deadline.kind]),
    ),
    problemList(
      found.diagnostics.map((d) => ({ row: d.row, severity: d.severity, message: d.message, messageEn: d.messageEn, sheet: '', address: null })),
    ),
  );
  setStatus(t('documentFound', { tasks: found.tasks.length, name: file.name }), found.tasks.length ? 'success' : 'warning');
}

// ---------------------------------------------------------------- 2. convert

function layoutFor(title: string | null, tasks: readonly Task[], annexColumns: Recognition['columns'] | null, progress: Record<string, Progress> = {}) {
  const layout = trackerLayout({
    title,
    tasks,
    annexColumns: annexColumns ? annexColumns.map((c) => ({ field: c.field, header: c.header })) : undefined,
    asOf: today(),
    lang: lang(),
    agencyNames: defaultRegistry.agencies.map((a) => a.name),
  });
  return { layout, rows: trackerRows(layout, tasks, progress) };
}

async function writeNewTracker(sheetName: string, built: ReturnType<typeof layoutFor>): Promise<{ sheetName: string; rowCount: number }> {
  const features = pane.features!;
  const written = await Excel.run((context) => adapter.writeTracker(context, { sheetName, layout: built.layout, rows: built.rows, features }));
  pane.trackerSheet = written.sheetName;
  return written;
}

async function convert(): Promise<void> {
  const source = pane.source;
  const chosen = pane.document;
  let built: ReturnType<typeof layoutFor>;
  if (chosen && chosen.found.tasks.length > 0) {
    built = layoutFor(chosen.found.title ?? chosen.name, chosen.found.tasks, chosen.found.annex?.columns ?? null);
  } else if (source && source.recognition.tasks.length > 0) {
    built = layoutFor(source.recognition.title, source.recognition.tasks, source.recognition.columns);
  } else {
    throw new PaneError('needDetect');
  }
  const name = byId<HTMLInputElement>('sheet-name').value.trim() || built.layout.sheetName;
  const written = await writeNewTracker(name, built);
  setStatus(t('converted', { sheet: written.sheetName, rows: written.rowCount }), 'success');
}

// ---------------------------------------------------------------- 3. check

async function readTrackerSheet(): Promise<TrackerSheet> {
  const sheet = await Excel.run((context) => adapter.readTracker(context, pane.trackerSheet ?? undefined));
  if (!sheet) throw new PaneError('noTrackerSheet');
  pane.trackerSheet = sheet.sheetName;
  return sheet;
}

async function check(): Promise<void> {
  const sheet = await readTrackerSheet();
  const problems = checkTracker(sheet.rows, { asOf: today(), columns: sheet.columns });
  show(
    byId('check-result'),
    problemList(
      problems.map((d) => ({
        row: d.row,
        severity: d.severity,
        message: d.message,
        messageEn: d.messageEn,
        sheet: sheet.sheetName,
        address: `${d.column ?? sheet.columns.stt ?? 'A'}${d.row}`,
      })),
    ),
  );
  setStatus(t('checked', { rows: sheet.rows.length, count: problems.length }), problems.length ? 'warning' : 'success');
}

async function selectCell(sheet: string, address: string): Promise<void> {
  await Excel.run((context) => adapter.selectCell(context, sheet, address));
}

// ---------------------------------------------------------------- 4. highlight

/** dd/mm/yyyy (or d/m/yyyy, or ISO) typed in the date box; null for empty. */
function parseTypedDay(text: string): IsoDate | null | 'invalid' {
  const s = text.trim();
  if (!s) return null;
  const dmy = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(s);
  const iso = dmy ? isoFromParts(+dmy[3], +dmy[2], +dmy[1]) : parseIso(s);
  return iso ?? 'invalid';
}

async function highlight(asOf: IsoDate | null): Promise<void> {
  const counts = await Excel.run((context) => adapter.setReportDate(context, asOf, { sheetName: pane.trackerSheet ?? undefined }));
  pane.reportDay = asOf;
  pane.trackerSheet = counts.sheetName;
  const caption = asOf ? t('highlighted', { date: formatDay(asOf) }) : t('highlightedToday');
  show(byId('highlight-result'), categorySummary(counts.counts, caption));
  setStatus(caption, 'success');
}

async function highlightChosen(): Promise<void> {
  const input = byId<HTMLInputElement>('report-date');
  const day = parseTypedDay(input.value);
  if (day === 'invalid') {
    input.setAttribute('aria-invalid', 'true');
    input.focus();
    throw new Error(t('badDate', { text: input.value }));
  }
  input.removeAttribute('aria-invalid');
  await highlight(day);
}

// ---------------------------------------------------------------- 5. sync

function readSettingsForm(): SyncSettings {
  const current = settings();
  return {
    baseUrl: byId<HTMLInputElement>('service-url').value.trim() || current.baseUrl,
    token: byId<HTMLInputElement>('service-token').value.trim(),
    trackerId: byId<HTMLSelectElement>('tracker-id').value || current.trackerId,
  };
}

async function connect(): Promise<void> {
  const form = readSettingsForm();
  if (!form.baseUrl || !form.token) throw new PaneError('needSettings');
  saveSettings(storage, form);
  const api = client();
  pane.caller = await api.me();
  const trackers = await api.listTrackers();
  const select = byId<HTMLSelectElement>('tracker-id');
  show(select, el('option', { value: '' }, [t('noTracker')]));
  for (const tr of trackers) {
    const option = el('option', { value: tr.id, 'data-title': tr.title }, [`${tr.title} (${tr.taskCount})`]) as HTMLOptionElement;
    if (tr.id === form.trackerId) option.selected = true;
    select.appendChild(option);
  }
  renderWhoami();
  setStatus(byId('whoami').textContent ?? '', 'success');
  updateQueueInfo();
}

function renderWhoami(): void {
  const c = pane.caller;
  byId('whoami').textContent = c ? t('connectedAs', { name: c.name, role: t(c.role === 'admin' ? 'roleAdmin' : 'roleAgency') }) : '';
}

function chosenTracker(): string {
  const id = byId<HTMLSelectElement>('tracker-id').value || settings().trackerId;
  if (!id) throw new PaneError('needTracker');
  return id;
}

function rememberTracker(id: string, title: string, taskCount: number): void {
  saveSettings(storage, { ...settings(), trackerId: id });
  const select = byId<HTMLSelectElement>('tracker-id');
  let found = false;
  for (let i = 0; i < select.options.length; i++) found = found || select.options[i].value === id;
  if (!found) select.appendChild(el('option', { value: id, 'data-title': title }, [`${title} (${taskCount})`]));
  select.value = id;
}

async function caller(api: ServiceClient): Promise<Caller> {
  if (!pane.caller) pane.caller = await api.me();
  return pane.caller;
}

async function publish(): Promise<void> {
  const api = client();
  if ((await caller(api)).role !== 'admin') throw new PaneError('adminOnly');
  const source = pane.source;
  if (!source || source.recognition.tasks.length === 0) throw new PaneError('needDetect');
  const r = source.recognition;
  const tracker = await api.publish({ title: r.title || source.sheetName, tasks: r.tasks });
  rememberTracker(tracker.id, tracker.title, tracker.tasks.length);
  const state = stateFromTracker(tracker, null);
  // The service keeps the annex's task ids; rows of a tracker sheet that lost theirs get them back.
  if (pane.trackerSheet || (await findTrackerQuietly())) {
    const sheet = await readTrackerSheet();
    const ids = sheet.rows
      .filter((row) => !row.id)
      .map((row) => ({ row: row.row, task: tracker.tasks.find((tk) => tk.stt === row.stt && tk.task === row.task) }))
      .filter((x) => x.task)
      .map((x) => ({ row: x.row, id: x.task!.id }));
    if (ids.length) await Excel.run((context) => adapter.writeIds(context, sheet.sheetName, ids));
  }
  saveState(storage, state);
  setStatus(t('published', { tasks: tracker.tasks.length, id: tracker.id }), 'success');
}

async function findTrackerQuietly(): Promise<boolean> {
  try {
    await readTrackerSheet();
    return true;
  } catch {
    return false;
  }
}

async function pull(): Promise<void> {
  const api = client();
  const me = await caller(api);
  const tracker = await api.getTracker(chosenTracker());
  const state = stateFromTracker(tracker, me.role === 'agency' ? me.agencyId : null);
  const progress: Record<string, Progress> = {};
  for (const id of Object.keys(state.tasks)) progress[id] = state.tasks[id].progress;
  const built = layoutFor(tracker.title, tracker.tasks, null, progress);
  const name = byId<HTMLInputElement>('sheet-name').value.trim() || built.layout.sheetName;
  const written = await writeNewTracker(name, built);
  saveState(storage, state);
  rememberTracker(tracker.id, tracker.title, tracker.tasks.length);
  show(byId('conflicts'));
  setStatus(t('pulled', { tasks: tracker.tasks.length, sheet: written.sheetName }), 'success');
}

function sheetProgress(sheet: TrackerSheet): SheetProgress[] {
  return sheet.rows.filter((r) => r.id).map((r) => ({ row: r.row, id: r.id!, progress: r.progress }));
}

function showProgress(sent: number, total: number): void {
  const box = byId('sync-progress');
  box.hidden = total === 0;
  const bar = byId<HTMLProgressElement>('sync-bar');
  bar.max = Math.max(total, 1);
  bar.value = sent;
  byId('sync-progress-label').textContent = t('sending', { sent, total });
}

function updateQueueInfo(): void {
  const n = queue.pending();
  byId('queue-info').textContent = n ? t('queued', { count: n }) : '';
}

/** Sends what waits in the queue, follows the feed, and brings the sheet up to date; true when the service was reached. */
async function exchange(api: ServiceClient, state: SyncState, sheet: TrackerSheet): Promise<{ applied: number; received: number; rejected: string[]; offline: boolean }> {
  const result = await queue.flush(api, state.trackerId, { since: () => state.cursor, onProgress: showProgress });
  let applied = 0;
  const rejected: string[] = [];
  for (const { answer } of result.answers) {
    applyAnswer(state, answer);
    applied += answer.applied.length;
    for (const r of answer.rejected) rejected.push(`${r.taskId}: ${r.reason}`);
  }
  for (const { error } of result.refused) rejected.push(pick({ message: error.message, messageEn: error.messageEn }));
  if (result.stoppedBy && !isOffline(result.stoppedBy)) throw result.stoppedBy;
  const offline = !!result.stoppedBy;
  if (!offline) {
    const bar = byId<HTMLProgressElement>('sync-bar');
    if (bar.value > 0) byId('sync-progress-label').textContent = t('sentCount', { sent: bar.value, total: bar.value });
    // The rest of the feed (the answers carry one page at most).
    for (let page = 0; page < 100; page++) {
      const feed = await api.changes(state.trackerId, state.cursor);
      applyFeed(state, feed);
      if (feed.changes.length === 0) break;
    }
  }
  const updates = sheetUpdates(state, sheetProgress(sheet));
  if (updates.length) await Excel.run((context) => adapter.writeProgress(context, sheet.sheetName, updates));
  saveState(storage, state);
  return { applied, received: updates.length, rejected, offline };
}

async function sync(): Promise<void> {
  const api = client();
  const me = await caller(api);
  const trackerId = chosenTracker();
  const sheet = await readTrackerSheet();
  if (me.role === 'admin') {
    await refreshAdmin(api, trackerId, sheet);
    return;
  }
  let state = loadState(storage, trackerId);
  if (!state) {
    state = stateFromTracker(await api.getTracker(trackerId), me.agencyId);
    saveState(storage, state);
  }
  const changes = diffChanges(state, sheetProgress(sheet));
  if (changes.length) {
    queue.enqueue(trackerId, changes);
    markQueued(state, changes);
    saveState(storage, state);
  }
  const outcome = await exchange(api, state, sheet);
  updateQueueInfo();
  renderAgencyConflicts(state, sheet);
  show(byId('sync-result'), outcome.rejected.length ? el('ul', {}, outcome.rejected.map((r) => el('li', {}, [t('rejected', { reason: r })]))) : null);
  if (outcome.offline) setStatus(t('offlineQueued', { count: queue.pending(trackerId) }), 'warning');
  else if (!changes.length && !outcome.applied && !outcome.received && !state.conflicts.length) setStatus(t('nothingToSend'), 'success');
  else setStatus(t('synced', { applied: outcome.applied, received: outcome.received }) + (state.conflicts.length ? ` ${t('conflicts', { count: state.conflicts.length })}` : ''), state.conflicts.length ? 'warning' : 'success');
}

/** The administrator's sheet follows the merged progress; open conflicts are theirs to settle on the service. */
async function refreshAdmin(api: ServiceClient, trackerId: string, sheet: TrackerSheet): Promise<void> {
  const state = stateFromTracker(await api.getTracker(trackerId), null);
  const updates = sheetUpdates(state, sheetProgress(sheet));
  if (updates.length) await Excel.run((context) => adapter.writeProgress(context, sheet.sheetName, updates));
  saveState(storage, state);
  const conflicts = await api.openConflicts(trackerId);
  show(
    byId('conflicts'),
    conflicts.length ? el('h3', {}, [t('conflicts', { count: conflicts.length })]) : null,
    ...conflicts.map((c) =>
      conflictCard({
        id: c.id,
        title: taskTitle(sheet, c.taskId),
        field: t(PROGRESS_WORDS[c.field as ProgressField] ?? 'progressNote'),
        left: { label: `${t('submitted')} (${c.submittedBy})`, value: shown(c.yours) },
        right: { label: t('theirs'), value: shown(c.theirs) },
        actions: [
          { keep: 'yours', label: t('keepSubmitted') },
          { keep: 'theirs', label: t('keepTheirs') },
        ],
      }),
    ),
  );
  setStatus(t('synced', { applied: 0, received: updates.length }) + (conflicts.length ? ` ${t('conflicts', { count: conflicts.length })}` : ''), 'success');
}

function taskTitle(sheet: TrackerSheet, taskId: string): string {
  const row = sheet.rows.filter((r) => r.id === taskId)[0];
  return row ? `${t('taskN', { stt: row.stt })}: ${row.task.length > 80 ? row.task.slice(0, 80) + '…' : row.task}` : taskId;
}

function shown(value: unknown): string {
  if (value === null || value === undefined || value === '') return '—';
  if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value)) return formatDay(value);
  return String(value);
}

function renderAgencyConflicts(state: SyncState, sheet: TrackerSheet): void {
  show(
    byId('conflicts'),
    state.conflicts.length ? el('h3', {}, [t('conflicts', { count: state.conflicts.length })]) : null,
    state.conflicts.length ? el('p', { class: 'help' }, [t('conflictHelp')]) : null,
    ...state.conflicts.map((c) =>
      conflictCard({
        id: c.id,
        title: taskTitle(sheet, c.taskId),
        field: t(PROGRESS_WORDS[c.field]),
        left: { label: t('mine'), value: shown(c.yours) },
        right: { label: t('theirs'), value: shown(c.theirs) },
        actions: [
          { keep: 'mine', label: t('keepMine') },
          { keep: 'theirs', label: t('keepTheirs') },
        ],
      }),
    ),
  );
}

async function resolve(conflictId: string, keep: string): Promise<void> {
  const api = client();
  const trackerId = chosenTracker();
  const sheet = await readTrackerSheet();
  if ((await caller(api)).role === 'admin') {
    await api.resolveConflict(trackerId, conflictId, keep === 'yours' ? 'yours' : 'theirs');
    await refreshAdmin(api, trackerId, sheet);
    setStatus(t('conflictResolved'), 'success');
    return;
  }
  const state = loadState(storage, trackerId);
  if (!state) throw new PaneError('needTracker');
  const change = resolveLocally(state, conflictId, keep === 'mine' ? 'mine' : 'theirs');
  if (change) {
    queue.enqueue(trackerId, [change]);
    markQueued(state, [change]);
  }
  saveState(storage, state);
  const outcome = await exchange(api, state, sheet);
  updateQueueInfo();
  renderAgencyConflicts(state, await readTrackerSheet());
  setStatus(outcome.offline ? t('offlineQueued', { count: queue.pending(trackerId) }) : t('conflictResolved'), outcome.offline ? 'warning' : 'success');
}

// ---------------------------------------------------------------- 6. report

async function report(): Promise<void> {
  const sheet = await readTrackerSheet();
  const title = pane.source?.recognition.title || sheet.sheetName;
  const content = reportFromSheet(sheet.rows, { title, asOf: reportDay(), lang: lang() });
  const written = await Excel.run((context) => adapter.writeReportSheet(context, content, pane.features ?? undefined));
  setStatus(t('reported', { sheet: written.sheetName }), 'success');
}

// ---------------------------------------------------------------- features and the export link

function renderFeatures(): void {
  const features = pane.features!;
  const missing = missingFeatures(features);
  const box = byId('features');
  box.hidden = missing.length === 0;
  if (!missing.length) return;
  show(
    box,
    el('p', {}, [t('featuresMissing', { api: features.excelApi })]),
    el('ul', {}, missing.map((m) => el('li', {}, [pick(m)]))),
    el('p', {}, [t('featuresFallback')]),
    el('button', { type: 'button', 'data-action': 'export' }, [t('exportLink')]),
    el('span', { class: 'help' }, [` ${t('exportNeedsTracker')}`]),
  );
}

/** Downloads export.xlsx with the token (a plain link cannot carry it). */
async function downloadExport(): Promise<void> {
  const trackerId = chosenTracker();
  const blob = await client().exportWorkbook(trackerId, lang());
  const select = byId<HTMLSelectElement>('tracker-id');
  // selectedIndex, not selectedOptions: IE 11 has only the former.
  const option = select.options[select.selectedIndex];
  // Named as the service names it: the tracker's title, what it is and the day.
  const name = downloadName('tracker', option?.getAttribute('data-title') || trackerId, todayIso(), lang());
  const nav = navigator as Navigator & { msSaveOrOpenBlob?: (blob: Blob, name: string) => boolean };
  if (nav.msSaveOrOpenBlob) {
    nav.msSaveOrOpenBlob(blob, name);
    return;
  }
  const url = URL.createObjectURL(blob);
  const link = el('a', { href: url, download: name }) as HTMLAnchorElement;
  document.body.appendChild(link);
  link.click();
  document.body.removeChild(link);
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}

// ---------------------------------------------------------------- wiring

const ACTIONS: Record<string, (target: HTMLElement) => Promise<void>> = {
  detect,
  'from-document': fromDocument,
  convert,
  check,
  highlight: highlightChosen,
  'highlight-today': () => highlight(null),
  'save-settings': connect,
  publish,
  pull,
  sync,
  report,
  export: downloadExport,
  'select-cell': (target) => selectCell(target.getAttribute('data-sheet') ?? '', target.getAttribute('data-address') ?? 'A1'),
  resolve: (target) => resolve(target.getAttribute('data-conflict') ?? '', target.getAttribute('data-keep') ?? ''),
};

function onClick(event: Event): void {
  const target = withAttribute(event.target, 'data-action');
  if (!target) return;
  const action = ACTIONS[target.getAttribute('data-action') ?? ''];
  if (action) void run(() => action(target));
}

function switchLanguage(): void {
  setLang(lang() === 'vi' ? 'en' : 'vi', storage);
  translate(document);
  renderFeatures();
  renderWhoami();
  if (pane.source) renderRecognition();
  updateQueueInfo();
  setStatus(t('ready'));
}

function start(): void {
  setLang(initialLang(storage));
  translate(document);
  pane.features = detectFeatures();
  renderFeatures();
  const s = settings();
  byId<HTMLInputElement>('service-url').value = s.baseUrl;
  byId<HTMLInputElement>('service-token').value = s.token;
  if (s.trackerId) byId('tracker-id').appendChild(el('option', { value: s.trackerId, selected: 'selected' }, [s.trackerId]));
  document.addEventListener('click', onClick);
  document.addEventListener('change', (event) => {
    const select = withAttribute(event.target, 'data-field');
    if (select && select.tagName === 'SELECT') onMappingChange(select as HTMLSelectElement);
  });
  byId('lang-switch').addEventListener('click', switchLanguage);
  updateQueueInfo();
  // Changes queued while offline go out as soon as the connection is back, if the pane is open.
  window.addEventListener('online', () => {
    if (queue.pending() && settings().token) void run(sync);
  });
  setStatus(queue.pending() ? t('queued', { count: queue.pending() }) : t('ready'));
}

Office.onReady(() => start());
