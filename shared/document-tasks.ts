/**
 * The tasks of any document, the one rule every entry point (command line, service,
 * dashboard, add-in) follows: a document whose tasks are all in annex tables reads
 * exactly as the workbook those tables were typed from (pickAnnex over its tables,
 * each with the title lines above it); a document that assigns tasks in prose (a
 * công văn, a thông báo kết luận) is read by recognizeDocument, prose and annexes
 * in document order.
 */
import { pickAnnex, type Recognition, type RecognizeOptions } from './annex';
import type { DocumentContent } from './document';
import { documentProse, recognizeDocument } from './document-recognition';
import { InputError } from './errors';
import type { CellValue, Grid } from './grid';
import type { Diagnostic, Task } from './schemas';

/** Most paragraphs above a table taken as its title (a title, a subtitle, "(Kèm theo …)" and a spare line). */
const TITLE_LINES = 4;
/** A title line is short; a longer paragraph above a table is body text. */
const TITLE_CHARS = 300;
/** A letter's subject line: "V/v thực hiện …". */
const SUBJECT = /^V\/v\s+/i;

export interface DocumentTasks {
  /** The annex's title, or the letter's subject ("V/v …"), when found. */
  title: string | null;
  tasks: Task[];
  diagnostics: Diagnostic[];
  /** When the tasks come from annex tables only: the annex recognition (columns, sections, tables). */
  annex?: Recognition;
  /** How many tasks the prose assigns. */
  proseTasks: number;
}

/** The document's tables as sheets, each with the paragraphs right above it (the annex's title lines) as its first rows. */
export function documentGrids(doc: DocumentContent): Grid[] {
  const grids: Grid[] = [];
  doc.blocks.forEach((block, i) => {
    if (block.kind !== 'table') return;
    const title: CellValue[][] = [];
    for (let j = i - 1; j >= 0 && title.length < TITLE_LINES; j--) {
      const above = doc.blocks[j];
      if (above.kind !== 'paragraph' || above.role === 'footnote' || above.text.length > TITLE_CHARS) break;
      title.unshift([above.text]);
    }
    if (title.length === 0) {
      grids.push(block.grid);
      return;
    }
    const shift = title.length + 1;
    grids.push({
      ...block.grid,
      rows: [...title, [], ...block.grid.rows],
      merges: block.grid.merges.map((m) => ({ ...m, top: m.top + shift, bottom: m.bottom + shift })),
    });
  });
  return grids;
}

/**
 * The tasks of `doc`. `grids` narrows the annex path to some of the document's
 * tables (the command line's --sheet); by default all of them.
 */
export function recognizeDocumentTasks(doc: DocumentContent, options: RecognizeOptions, grids: Grid[] = documentGrids(doc)): DocumentTasks {
  if (doc.blocks.some((b) => b.kind === 'paragraph' && b.role !== 'footnote')) {
    // The prose first, alone: a document that assigns nothing in prose goes to the annex path
    // without its tables being recognised twice.
    const prose = documentProse(doc, options);
    if (prose.tasks.length > 0) {
      const found = recognizeDocument(doc, options, prose);
      const subject = doc.blocks.find((b) => b.kind === 'paragraph' && SUBJECT.test(b.text));
      return { title: subject?.kind === 'paragraph' ? subject.text : null, tasks: found.tasks, diagnostics: found.diagnostics, proseTasks: found.proseTasks };
    }
    if (grids.length === 0) {
      throw new InputError(
        `Không tìm thấy nhiệm vụ nào trong ${doc.name}: không có đoạn giao việc cho cơ quan nào, cũng không có bảng phụ lục`,
        `No task found in ${doc.name}: no paragraph assigns work to an agency and there is no annex table`,
        'document.no_tasks',
      );
    }
  }
  // pickAnnex throws a bilingual InputError when no table holds an annex header.
  const annex = pickAnnex(grids, options);
  return { title: annex.title, tasks: annex.tasks, diagnostics: annex.diagnostics, annex, proseTasks: 0 };
}
