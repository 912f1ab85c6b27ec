/**
 * A document as the core sees it, whatever it came from (docx, PDF, text, a workbook):
 * paragraphs and tables in reading order. Readers at the edges (io/, the add-in's file
 * input) build it; recognizeDocument finds the tasks in it, prose and annex tables alike.
 */
import type { Grid } from './grid';

/** The file types import reads (chosen by content; the extension only names them to people and file pickers). */
export const DOCUMENT_EXTENSIONS = ['.xlsx', '.xls', '.ods', '.csv', '.tsv', '.txt', '.md', '.docx', '.pdf'] as const;

export type DocumentFormat = 'xlsx' | 'xls' | 'ods' | 'csv' | 'text' | 'docx' | 'pdf';

export type DocumentBlock =
  /**
   * One paragraph of body text, list numbering ("1.", "a)", "-") included as written.
   * role 'footnote': a footnote's text ("[n] …"), placed after the body.
   */
  | { kind: 'paragraph'; text: string; page?: number; role?: 'footnote' }
  /**
   * One table (a sheet of a workbook, a Word table, a table rebuilt from a PDF page).
   * headerRows: how many top rows the document marks as the header (Word's "repeat as
   * header row"), when it says so.
   */
  | { kind: 'table'; grid: Grid; page?: number; headerRows?: number };

export interface DocumentContent {
  /** File name, for messages. */
  name: string;
  format: DocumentFormat;
  blocks: DocumentBlock[];
}
