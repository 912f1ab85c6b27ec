/**
 * The tasks of a whole document: those its body assigns in prose and those of
 * its annex tables, in document order. Annex tasks keep their own section, named
 * after the annex ("Phụ lục II"), so they never mix with the letter's items.
 * Paragraph rows are block numbers (1-based); annex rows are their table's rows.
 */
import { recognizeAnnex, type RecognizeOptions } from './annex';
import type { DocumentContent } from './document';
import { recognizeProse, type ProseRecognition } from './prose';
import type { Diagnostic, Task } from './schemas';
import { cleanText } from './text';

export interface DocumentRecognition {
  tasks: Task[];
  diagnostics: Diagnostic[];
  /** Task tables found. */
  tables: number;
  /** Tasks found in the prose. */
  proseTasks: number;
}

const ANNEX_TITLE = /^(phụ lục|phu luc)(?:\s+(?:số\s+)?([IVXLC]{1,6}|\d{1,3}))?/iu;
/** How far above a table its title may stand, in paragraphs. */
const TITLE_LOOKBACK = 4;

/** The short name of an annex ("Phụ lục II") from its title, or "Phụ lục n" by position. */
function annexLabel(title: string | null, position: number): string {
  const m = title ? ANNEX_TITLE.exec(title) : null;
  if (m) return m[2] ? `Phụ lục ${m[2].toUpperCase()}` : 'Phụ lục';
  return `Phụ lục ${position}`;
}

function titleAbove(doc: DocumentContent, index: number): string | null {
  for (let i = index - 1; i >= 0 && i >= index - TITLE_LOOKBACK; i--) {
    const block = doc.blocks[i];
    if (block.kind !== 'paragraph') break;
    const text = cleanText(block.text.replace(/[*#]+/g, ' '));
    if (ANNEX_TITLE.test(text)) return text;
  }
  return null;
}

/** The tasks the document's paragraphs assign, their rows numbered by block. */
export function documentProse(doc: DocumentContent, options: RecognizeOptions): ProseRecognition {
  const paragraphs: string[] = [];
  const rows: number[] = [];
  doc.blocks.forEach((block, i) => {
    if (block.kind === 'paragraph') {
      paragraphs.push(block.text);
      rows.push(i + 1);
    }
  });
  return recognizeProse(paragraphs, { asOf: options.asOf, registry: options.registry, rows });
}

/** `prose`: the document's prose already read (documentProse), so it is not read twice. */
export function recognizeDocument(doc: DocumentContent, options: RecognizeOptions, prose: ProseRecognition = documentProse(doc, options)): DocumentRecognition {

  // Annex tasks by the block they come from, to interleave them with the prose by position.
  const annexes: { block: number; tasks: Task[] }[] = [];
  const diagnostics: Diagnostic[] = [...prose.diagnostics];
  let tables = 0;
  doc.blocks.forEach((block, i) => {
    if (block.kind !== 'table') return;
    const first = recognizeAnnex(block.grid, { ...options, table: undefined, mapping: undefined });
    first.tables.forEach((summary) => {
      if (!summary.isTaskTable) return;
      tables += 1;
      const recognition = summary.index === 0 && first.tables.length === 1 ? first : recognizeAnnex(block.grid, { ...options, table: summary.index, mapping: undefined });
      const title = recognition.title ?? (summary.index === 0 ? titleAbove(doc, i) : null);
      const label = annexLabel(title, tables);
      const annexTitle = title ?? label;
      diagnostics.push(...recognition.diagnostics.filter((d) => d.code !== 'table.multiple'));
      annexes.push({
        block: i + 1,
        tasks: recognition.tasks.map((task) => ({
          ...task,
          section: task.section ? `${label} – ${task.section}` : label,
          sectionTitle: task.sectionTitle ? `${annexTitle} – ${task.sectionTitle}` : annexTitle,
        })),
      });
    });
  });

  const tasks: Task[] = [];
  let p = 0;
  for (const annex of annexes) {
    while (p < prose.tasks.length && (prose.tasks[p].row ?? 0) < annex.block) tasks.push(prose.tasks[p++]);
    tasks.push(...annex.tasks);
  }
  while (p < prose.tasks.length) tasks.push(prose.tasks[p++]);
  if (tasks.length === 0) {
    diagnostics.push({
      row: null,
      severity: 'warning',
      code: 'document.no-tasks',
      message: `Không tìm thấy nhiệm vụ nào trong “${doc.name}”: không có bảng phụ lục nhiệm vụ, cũng không có đoạn văn giao việc cho cơ quan nào`,
      messageEn: `No task found in "${doc.name}": no annex task table, and no paragraph assigning work to an agency`,
    });
  }
  return { tasks, diagnostics, tables, proseTasks: prose.tasks.length };
}
