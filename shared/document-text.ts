/**
 * Plain-text and Markdown documents (letters saved as .txt/.md, the seed letters):
 * each line is a paragraph, and runs of tab-separated lines (a table copied from
 * Word) are tables. Markdown emphasis is dropped from paragraphs so a letter reads
 * the same whether it came as text or as a Word file.
 */
import type { DocumentBlock, DocumentContent } from './document';
import type { CellValue } from './grid';
import { cleanText } from './text';

const LINE_BREAK = /\r\n|\r|\n/;
const EMPHASIS = /\*\*|__|<\/?(?:b|i|u|strong|em)>/gi;
const ITALIC = /\*([^*\n]+)\*/g;
/** A Markdown heading's "# ". */
const HEADING = /^#{1,6}\s+/;
/** A footnote mark typed as HTML ("<sup>1</sup>") reads as the superscript digit Word and PDF show. */
const SUPERSCRIPT = /<sup>\s*(\d{1,3})\s*(?:<\/sup>|$)/gi;
const SUPERSCRIPT_DIGITS = '⁰¹²³⁴⁵⁶⁷⁸⁹';

/** "12" → "¹²". */
export function superscriptDigits(digits: string): string {
  return digits.replace(/\d/g, (d) => SUPERSCRIPT_DIGITS[Number(d)]);
}

export function documentFromText(text: string, name: string): DocumentContent {
  const blocks: DocumentBlock[] = [];
  let table: CellValue[][] | null = null;
  let tableIndex = 0;
  const closeTable = () => {
    if (!table) return;
    while (table.length > 0 && table[table.length - 1].length === 0) table.pop();
    tableIndex++;
    blocks.push({ kind: 'table', grid: { sheet: `${name} (${tableIndex})`, rows: table, merges: [], firstRow: 1 } });
    table = null;
  };
  for (const line of text.split(LINE_BREAK)) {
    if (line.includes('\t')) {
      const cells: CellValue[] = line.split('\t').map((v) => (v.trim() === '' ? null : v));
      while (cells.length > 0 && cells[cells.length - 1] === null) cells.pop();
      (table ??= []).push(cells);
      continue;
    }
    if (line.trim() === '') {
      // Blank lines inside a table (rows cut by a page break) keep the table open.
      table?.push([]);
      continue;
    }
    closeTable();
    const paragraph = paragraphText(line);
    if (paragraph !== '') blocks.push({ kind: 'paragraph', text: paragraph });
  }
  closeTable();
  return { name, format: 'text', blocks };
}

/** A line as a paragraph: emphasis markers and a heading's "#" removed, spaces tidied. */
export function paragraphText(line: string): string {
  return cleanText(line.replace(HEADING, '').replace(SUPERSCRIPT, (_, d: string) => superscriptDigits(d)).replace(EMPHASIS, '').replace(ITALIC, '$1'));
}

/**
 * Whether a text file is a table (most lines split by the delimiter: CSV, TSV, a
 * pasted annex) rather than a document of paragraphs.
 */
export function isDelimitedTable(text: string, delimiter: string): boolean {
  let lines = 0;
  let delimited = 0;
  for (const line of text.split(LINE_BREAK)) {
    if (line.trim() === '') continue;
    lines++;
    if (line.includes(delimiter)) delimited++;
  }
  return lines > 0 && delimited * 2 >= lines;
}
