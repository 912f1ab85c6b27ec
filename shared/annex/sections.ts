/**
 * Section labels and the path of nested sections. A label is read from the start of
 * a cell: "Phần/Mục/Bảng/Chương X", a Roman numeral, a capital letter, a dotted
 * number (III.1, 1.2.3), a number or a lower-case letter, each with its title after it.
 */
import type { SectionRef } from '../schemas';
import type { Section } from './types';

export interface SectionLabel {
  /** Kind of numbering; nested sections differ in kind (a dotted number's depth counts). */
  kind: string;
  /** As written, without its trailing punctuation. */
  label: string;
  /** The text after the label (the title when it shares the cell). */
  rest: string;
  /** Roman numerals, capital letters and "Phần/Bảng …" only ever number sections; numbers and letters a) also number tasks. */
  strong: boolean;
}

const SEPARATOR = '\\s*[.):\\u2013-]?\\s*';
const NOT_WORD = '(?![A-Za-z0-9\\u00c0-\\u1ef9])';
const WORD_LABEL = new RegExp(`^(phần|mục|bảng|chương)\\s+([IVXL]+|\\d+|[A-Z])((?:\\.\\d+)*)${NOT_WORD}${SEPARATOR}(.*)$`, 'i');
const ROMAN = new RegExp(`^([IVX]{1,7})${NOT_WORD}${SEPARATOR}(.*)$`);
const VALID_ROMAN = /^(?:X{0,3})(?:IX|IV|V?I{0,3})$/;
const CAPITAL = new RegExp(`^([A-Z])${NOT_WORD}${SEPARATOR}(.*)$`);
const DOTTED = new RegExp(`^((?:[IVX]+|\\d{1,3})(?:\\.\\d{1,3})+)${NOT_WORD}${SEPARATOR}(.*)$`);
const NUMBER = new RegExp(`^(\\d{1,3})${NOT_WORD}${SEPARATOR}(.*)$`);
const LOWER = /^([a-zđ])\s*[.)]\s*(.*)$/;
const PLAIN_NUMBER = /^\d+$/;

/** The label a cell starts with, or null. */
export function sectionLabel(text: string): SectionLabel | null {
  // Most labels are a task's plain number: answered without the chain of patterns below.
  if (PLAIN_NUMBER.test(text)) return text.length <= 3 ? { kind: 'number', label: text, rest: '', strong: false } : null;
  let m = WORD_LABEL.exec(text);
  if (m) {
    // "Phần I" stands level with a later "II."; the word only says the row is a heading.
    const inner = sectionLabel(m[2] + m[3]);
    return { kind: inner ? inner.kind : 'word', label: m[2] + m[3], rest: m[4], strong: true };
  }
  m = DOTTED.exec(text);
  if (m) return { kind: `dotted${m[1].split('.').length}`, label: m[1], rest: m[2], strong: false };
  m = ROMAN.exec(text);
  // "II.4" numbers a task (DOTTED above); "II. Hạ tầng số" is a section with its title in the same cell.
  if (m && VALID_ROMAN.test(m[1]) && !/^\d/.test(m[2])) return { kind: 'roman', label: m[1], rest: m[2], strong: true };
  m = CAPITAL.exec(text);
  if (m && !/^\d/.test(m[2])) return { kind: 'capital', label: m[1], rest: m[2], strong: true };
  m = NUMBER.exec(text);
  if (m) return { kind: 'number', label: m[1], rest: m[2], strong: false };
  m = LOWER.exec(text);
  if (m) return { kind: 'lower', label: m[1], rest: m[2], strong: false };
  return null;
}

/** A lone line that heads a sub-table ("Bảng I.2 …", "1. Các nhiệm vụ quá hạn"): a label and a title. */
export function isHeadingLine(text: string): boolean {
  const label = sectionLabel(text);
  return !!label && label.kind !== 'lower' && /[A-Za-zÀ-ỹ]/.test(label.rest.slice(0, 3)) && label.rest.length >= 3;
}

/** The first number of its kind ("1", "a", "I", "A"): numbering that restarts under a new section. */
export function isFirstOrdinal(stt: string): boolean {
  return /^(?:1|a|i|I|A|1\.1)\s*[.)]?$/.test(stt);
}

/** The open sections, outermost first: a section of a kind already open closes it and what it holds. */
export class SectionStack {
  /** itemKind: how the first item under the section is numbered. */
  private readonly open: { kind: string; section: Section; itemKind?: string }[] = [];
  private cached: Section[] | null = null;

  push(kind: string, numeral: string, title: string, row: number): Section {
    const at = this.open.findIndex((s) => s.kind === kind);
    if (at >= 0) this.open.length = at;
    this.cached = null;
    const section: Section = { numeral, title, row, level: this.open.length };
    this.open.push({ kind, section });
    return section;
  }

  /**
   * Places an item numbered `kind` (a number or letter, not a section label): an item
   * numbered like an open section whose own items are numbered otherwise ("2" after
   * section "1" holding 1.1 and 1.2) stands beside that section, which closes.
   */
  place(kind: string): void {
    const at = this.open.findIndex((s) => s.kind === kind && s.itemKind !== undefined && s.itemKind !== kind);
    if (at >= 0) {
      this.open.length = at;
      this.cached = null;
    }
    const inner = this.open[this.open.length - 1];
    if (inner && inner.itemKind === undefined) inner.itemKind = kind;
  }

  /** The innermost open section (its title may still grow: a title cut by a page break). */
  get current(): Section | null {
    return this.open.length ? this.open[this.open.length - 1].section : null;
  }

  /** The open sections, outermost first: one array for every item until the sections change (50,000 items share a few). */
  path(): Section[] {
    if (!this.cached) this.cached = this.open.map((s) => s.section);
    return this.cached;
  }
}

/** The path as the Task schema keeps it. */
export function pathRefs(path: readonly Section[]): SectionRef[] {
  return path.map((s) => ({ label: s.numeral, title: s.title }));
}
