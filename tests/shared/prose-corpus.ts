/**
 * The prose fixtures (tests/fixtures/prose): documents as a reader gives them (one
 * paragraph per line, Markdown tables as table blocks) and the tasks a person
 * found in them, with the measure of how many the recogniser finds.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { DocumentBlock, DocumentContent } from '../../shared/document';
import type { Task } from '../../shared/schemas';
import { matchKey } from '../../shared/text';

export const PROSE_FIXTURES = join(__dirname, '..', 'fixtures', 'prose');

export interface ExpectedTask {
  ref: string;
  task: string;
  lead: string | null;
  support: string | null;
  deadline: string | null;
}

export interface CorpusDocument {
  id: string;
  document: DocumentContent;
  prose: ExpectedTask[];
  tableRows: number;
}

function cells(line: string): string[] {
  return line.trim().replace(/^\|/, '').replace(/\|$/, '').split('|').map((c) => c.trim());
}

/** Lines as paragraphs; a run of "| … |" lines as one table (its "|---|" rule dropped). */
export function documentFromText(name: string, text: string): DocumentContent {
  const blocks: DocumentBlock[] = [];
  let table: string[][] | null = null;
  for (const line of text.split(/\r?\n/)) {
    if (line.startsWith('<!--')) continue;
    if (line.trim().startsWith('|')) {
      if (/^\s*\|[\s:|-]+\|\s*$/.test(line)) continue;
      if (!table) {
        table = [];
        blocks.push({ kind: 'table', grid: { sheet: name, rows: table, merges: [] } });
      }
      table.push(cells(line));
      continue;
    }
    table = null;
    if (line.trim() !== '') blocks.push({ kind: 'paragraph', text: line });
  }
  return { name, format: 'text', blocks };
}

export function loadCorpus(): CorpusDocument[] {
  const dir = join(PROSE_FIXTURES, 'corpus');
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => {
      const truth = JSON.parse(readFileSync(join(dir, f), 'utf8')) as { id: string; prose: ExpectedTask[]; tables: { rows: number }[] };
      const text = readFileSync(join(dir, `${truth.id}.md`), 'utf8');
      return {
        id: truth.id,
        document: documentFromText(`${truth.id}.md`, text),
        prose: truth.prose,
        tableRows: truth.tables.reduce((n, t) => n + t.rows, 0),
      };
    });
}

const MARKER = /^\s*(?:[IVX]{1,6}\.|\d{1,2}(?:\.\d{1,2}){0,3}[.)-]?|[a-zđ]\)|\((?:\d{1,2}|[ivx]{1,5}|[a-zđ])\)|[-+•])\s*/u;

function key(text: string | null | undefined): string {
  return matchKey((text ?? '').replace(MARKER, ''));
}

function overlaps(a: string, b: string, ratio: number): boolean {
  if (a === '' || b === '') return a === b;
  const [short, long] = a.length <= b.length ? [a, b] : [b, a];
  return long.includes(short) && short.length >= ratio * long.length;
}

/** The found task for an expected one: one contains the start of the other. */
function sameTask(expected: string, found: string): boolean {
  const e = key(expected);
  const f = key(found);
  if (e === '' || f === '') return false;
  return f.includes(e.slice(0, 60)) || e.includes(f.slice(0, 60));
}

export interface Figures {
  expected: number;
  found: number;
  /** Found tasks matching no expected one. */
  extra: number;
  lead: number;
  deadline: number;
  misses: ExpectedTask[];
  /** The found tasks matching none. */
  extras: Task[];
  wrong: { expected: ExpectedTask; task: Task; field: 'lead' | 'deadline' }[];
}

/** Expected tasks matched one to one, in order, with the lead and deadline compared as written. */
export function score(expected: readonly ExpectedTask[], tasks: readonly Task[]): Figures {
  const used = new Set<number>();
  const figures: Figures = { expected: expected.length, found: 0, extra: 0, lead: 0, deadline: 0, misses: [], extras: [], wrong: [] };
  for (const e of expected) {
    const index = tasks.findIndex((t, i) => !used.has(i) && sameTask(e.task, t.task));
    if (index < 0) {
      figures.misses.push(e);
      continue;
    }
    used.add(index);
    const task = tasks[index];
    figures.found += 1;
    if (overlaps(key(e.lead), key(task.leadRaw), 0.6)) figures.lead += 1;
    else figures.wrong.push({ expected: e, task, field: 'lead' });
    const deadline = key(e.deadline);
    const raw = key(task.deadline.raw);
    if (deadline === raw || (deadline !== '' && raw !== '' && (deadline.includes(raw) || raw.includes(deadline)))) figures.deadline += 1;
    else figures.wrong.push({ expected: e, task, field: 'deadline' });
  }
  figures.extras = tasks.filter((_, i) => !used.has(i));
  figures.extra = figures.extras.length;
  return figures;
}
