/**
 * From the paragraphs a reader gives to the lines a letter is made of: markup
 * left by text conversions removed, footnotes taken out, lines a wrap or a page
 * break cut joined again, and each line's numbering ("III.", "1.", "1.1.", "1-",
 * "a)", "(i)", "-", "+") read with the outline level it stands at.
 */
import { cleanText } from '../text';
import { assignmentOf } from './assignment';
import { noteOf, referencesIn, superscriptTags } from './footnotes';

export type MarkerKind =
  | 'roman'
  | 'decimal1'
  | 'decimal2'
  | 'decimal3'
  | 'hyphenated'
  | 'letter'
  | 'paren-number'
  | 'paren-roman'
  | 'paren-letter'
  | 'dash'
  | 'plus'
  /** An unnumbered line that only names the agency whose duties follow (a bold heading). */
  | 'heading';

export interface Marker {
  kind: MarkerKind;
  /** The number as printed, without its closing punctuation ("1.1", "a", "(i)", "" for bullets). */
  label: string;
}

export interface Line {
  /** The line as written (clean text), numbering included. */
  text: string;
  /** The text after the numbering. */
  body: string;
  marker: Marker | null;
  /** Row of the line's first paragraph (1-based, in the document's numbering). */
  row: number;
  /** Footnote numbers referred to in the line. */
  notes: string[];
}

export interface Outline {
  lines: Line[];
  /** Footnote number → its text. */
  notes: Map<string, string>;
}

const ROMAN = /^(?:(?:PHẦN|Phần|MỤC|Mục)\s+)?([IVX]{1,6})\s*[.):–-]\s*(.*)$/u;
const DECIMAL = /^(\d{1,2}(?:\.\d{1,2}){0,3})(?:[.)]\s*|\s+(?=\p{Lu}))(.*)$/u;
const NESTED_DECIMAL = /^(\d{1,2}(?:\.\d{1,2}){1,3})\s+(.*)$/u;
const HYPHENATED = /^(\d{1,2})\s?-\s+(.*)$/;
const LETTER = /^([a-zđ])[.)]\s+(.*)$/u;
const PAREN = /^\((\d{1,2}|[ivx]{1,5}|[a-zđ])\)\s*(.*)$/u;
const BULLET = /^([-–—•+*])\s*(.*)$/u;
/** An item number printed alone on its line, its text on the next. */
const LONE_NUMBER = /^(?:\d{1,2}(?:\.\d{1,2}){0,3}[.)]?|\d{1,2}\s?-|[a-zđ]\)|\((?:\d{1,2}|[ivx]{1,5}|[a-zđ])\)|[IVX]{1,6}\.)$/u;
const VALID_ROMAN = /^(?:X{0,3})(?:IX|IV|V?I{0,3})$/;
/** How a sentence or a clause ends; a line ending otherwise runs on into the next. */
const TERMINAL = /[.!?;:…”"»)]$/u;
const MARKDOWN_HEADING = /^#{1,6}\s+/;
/** A decorative rule under a header ("-------"). */
const RULE = /^[-_=–—.\s]{3,}$/u;
const CAPITALISED_END = /(?:^|\s)\p{Lu}[\p{L}\p{M}]*(?:\s[\p{L}\p{M}]+)?$/u;
const LOWER_START = /^[\p{Ll}]/u;

export function markerOf(text: string): { marker: Marker; body: string } | null {
  let m = ROMAN.exec(text);
  if (m && VALID_ROMAN.test(m[1]) && m[2] !== '') return { marker: { kind: 'roman', label: m[1] }, body: m[2] };
  m = DECIMAL.exec(text) ?? NESTED_DECIMAL.exec(text);
  if (m && m[2] !== '') {
    const depth = m[1].split('.').length;
    const kind = depth === 1 ? 'decimal1' : depth === 2 ? 'decimal2' : 'decimal3';
    return { marker: { kind, label: m[1] }, body: m[2] };
  }
  m = HYPHENATED.exec(text);
  if (m) return { marker: { kind: 'hyphenated', label: m[1] }, body: m[2] };
  m = LETTER.exec(text);
  if (m) return { marker: { kind: 'letter', label: m[1] }, body: m[2] };
  m = PAREN.exec(text);
  if (m) {
    const kind = /^\d/.test(m[1]) ? 'paren-number' : /^[ivx]+$/.test(m[1]) && m[1] !== 'v' && m[1] !== 'x' ? 'paren-roman' : 'paren-letter';
    return { marker: { kind, label: `(${m[1]})` }, body: m[2] };
  }
  m = BULLET.exec(text);
  if (m && m[2] !== '') return { marker: { kind: m[1] === '+' ? 'plus' : 'dash', label: '' }, body: m[2] };
  return null;
}

/** Markdown a text conversion leaves: heading hashes, emphasis stars, escaped punctuation. */
function unmark(text: string): string {
  let s = superscriptTags(text);
  if (s.startsWith('#')) s = s.replace(MARKDOWN_HEADING, '');
  if (s.startsWith('* ')) s = '- ' + s.slice(2);
  if (s.includes('*')) s = s.replace(/\*+/g, '');
  if (s.includes('\\')) s = s.replace(/\\([.\-*_()[\]#+])/g, '$1');
  return cleanText(s);
}

/** Reads the paragraphs (rows: each paragraph's row number) into lines. */
export function outline(paragraphs: readonly string[], rows: readonly number[]): Outline {
  const notes = new Map<string, string>();
  const pending = new Set<string>();
  const lines: Line[] = [];
  let lone: { text: string; row: number } | null = null;

  paragraphs.forEach((paragraph, i) => {
    const row = rows[i] ?? i + 1;
    let text = unmark(paragraph);
    if (text === '' || RULE.test(text)) return;
    const note = noteOf(text, pending);
    if (note) {
      notes.set(note.number, note.text);
      pending.delete(note.number);
      return;
    }
    for (const ref of referencesIn(text)) if (!notes.has(ref)) pending.add(ref);
    if (LONE_NUMBER.test(text)) {
      lone = { text, row };
      return;
    }
    let startRow = row;
    if (lone) {
      text = `${lone.text} ${text}`;
      startRow = lone.row;
      lone = null;
    }
    const marked = markerOf(text);
    const previous = lines[lines.length - 1];
    if (previous && runsOn(previous, text, marked?.marker ?? null)) {
      previous.text += ' ' + text;
      previous.body += ' ' + text;
      previous.notes.push(...referencesIn(text));
      return;
    }
    lines.push({ text, body: marked ? marked.body : text, marker: marked?.marker ?? null, row: startRow, notes: referencesIn(text) });
  });
  return { lines, notes };
}

/**
 * Whether a paragraph continues the line before it, cut by a wrap or a page
 * break: an unnumbered paragraph starting in lower case after a line that does
 * not end a clause, or a "- …" that continues a running sentence of body text
 * (a name such as "Tập đoàn Công nghiệp - Viễn thông Quân đội" cut before its dash).
 */
function runsOn(previous: Line, text: string, marker: Marker | null): boolean {
  if (TERMINAL.test(previous.text)) return false;
  if (marker === null) return LOWER_START.test(text);
  if (marker.kind !== 'dash' || previous.text.endsWith(',')) return false;
  const body = previous.marker === null || previous.marker.kind === 'dash' || previous.marker.kind === 'plus';
  if (body) return previous.body.split(' ').length >= 12;
  // A numbered item cut inside a name: a sentence with a duty, ending on a capitalised word.
  return CAPITALISED_END.test(previous.body) && previous.body.split(' ').length >= 8 && (assignmentOf(previous.body)?.duty ?? '') !== '';
}
