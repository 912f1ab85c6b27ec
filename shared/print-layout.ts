/**
 * What a printed sheet needs, shared by the tracker, the report and the
 * per-lead sheet: one typeface, the paper, column widths that let
 * fit-to-width keep body text at 8 pt or more, row heights that hold their
 * wrapped text, and page breaks that never leave a heading at the foot of a page.
 *
 * Widths are Excel's unit: digits of the workbook's default 11-pt font. A
 * program lays a unit out as that font's digit on its machine: 7 px with
 * Calibri or Times New Roman, 9 px where LibreOffice substitutes DejaVu for
 * them. Pages are planned for the wide case, so they hold wherever they
 * print; where the digit is narrower, fit-to-width prints larger. Text is
 * measured in the same unit (a letter is about 0.9 of a digit in every one of
 * these fonts), so a line holds the same words in each program.
 */

export type Paper = 'A4' | 'A3';

/** Paper in points (portrait) and its OOXML paperSize code. */
export const PAPERS: Record<Paper, { code: number; short: number; long: number }> = {
  A4: { code: 9, short: 595.3, long: 841.9 },
  A3: { code: 8, short: 841.9, long: 1190.6 },
};

/** Inches, as the sheet's pageMargins take them. */
export const PRINT_MARGINS = { left: 0.4, right: 0.4, top: 0.5, bottom: 0.6, header: 0.3, footer: 0.3 } as const;

/** Vietnamese administrative documents are set in Times New Roman (Decree 30/2020). */
export const TYPEFACE = 'Times New Roman';
/** Body text on the sheet, in points. */
export const BODY_POINTS = 11;
/** The smallest text a printed page may carry. */
export const MIN_PRINTED_POINTS = 8;
/**
 * The least fit-to-width scale allowed: 8/11 = 0.727, kept at 0.75 so Excel's
 * whole-percent rounding and another program's slightly wider columns stay above 8 pt.
 */
export const MIN_SCALE = 0.75;
const MAX_ROW_POINTS = 409; // Excel's largest row height

/** Pixels (96 dpi) of a width unit where the default font is DejaVu, the widest substitute. */
const UNIT_PIXELS = 9;

/** Points a column of this Excel width takes on paper at 100 %, in the widest program. */
export function columnPoints(width: number): number {
  return Math.trunc(width * UNIT_PIXELS + 5) * 0.75;
}

/** Printable width and height of the paper in landscape, in points. */
export function printableArea(paper: Paper): { width: number; height: number } {
  const p = PAPERS[paper];
  return {
    width: p.long - (PRINT_MARGINS.left + PRINT_MARGINS.right) * 72,
    height: p.short - (PRINT_MARGINS.top + PRINT_MARGINS.bottom) * 72,
  };
}

/** The scale fit-to-width gives columns of these widths on this paper (never above 1). */
export function printScale(widths: readonly number[], paper: Paper): number {
  const total = widths.reduce((sum, w) => sum + columnPoints(w), 0);
  return total > 0 ? Math.min(1, printableArea(paper).width / total) : 1;
}

export interface PrintColumn {
  width: number;
  /** The narrowest the column may become (its longest word, a date, a short code). */
  minWidth: number;
}

/**
 * Widths that print on the paper at MIN_SCALE or more: wide columns give up
 * their width above their minimum in proportion. null when even the minimums
 * are too wide for the paper.
 */
export function fitWidths(columns: readonly PrintColumn[], paper: Paper): number[] | null {
  const budget = printableArea(paper).width / MIN_SCALE;
  const points = (ws: readonly number[]) => ws.reduce((sum, w) => sum + columnPoints(w), 0);
  const widths = columns.map((c) => c.width);
  if (points(widths) <= budget) return widths;
  const mins = columns.map((c) => Math.min(c.width, c.minWidth));
  if (points(mins) > budget) return null;
  // columnPoints is linear but for its rounding: solve on the linear part, then step down for the rounding.
  let share = (budget - points(mins)) / (points(widths) - points(mins));
  let fitted = columns.map((_, i) => Math.floor((mins[i] + (widths[i] - mins[i]) * share) * 2) / 2);
  while (points(fitted) > budget && share > 0) {
    share -= 0.02;
    fitted = columns.map((_, i) => Math.floor((mins[i] + (widths[i] - mins[i]) * Math.max(0, share)) * 2) / 2);
  }
  return fitted;
}

/** The paper a sheet of these columns prints on: the one asked for, else A4, else A3 when A4 cannot hold it at 8 pt. */
export function choosePaper(columns: readonly PrintColumn[], asked?: Paper): { paper: Paper; widths: number[] } {
  const order: Paper[] = asked ? [asked] : ['A4', 'A3'];
  for (const paper of order) {
    const widths = fitWidths(columns, paper);
    if (widths) return { paper, widths };
  }
  // Wider than A3 at 8 pt: the minimums, and fit-to-width shrinks what it must.
  return { paper: order[order.length - 1], widths: columns.map((c) => Math.min(c.width, c.minWidth)) };
}

// ---------------------------------------------------------------- text height

/** Advance of a character in digits of the same font: capitals are wider, spaces and punctuation narrower. */
function charUnits(code: number): number {
  if (code === 32 || code === 44 || code === 46 || code === 59 || code === 58) return 0.5;
  if ((code >= 65 && code <= 90) || code === 0x110 || (code >= 0xc0 && code <= 0xde) || (code >= 0x1ea0 && code <= 0x1ef9 && code % 2 === 0)) return 1.12;
  return 0.92;
}

/** Digits of text a column of this width holds on one line (cell padding taken off). */
function lineRoom(width: number): number {
  return Math.max(1, (width - 1) * 0.96);
}

/**
 * Lines a text takes wrapped word by word in a column of this width at this
 * size; a word longer than a line breaks where it must, as Excel does. Linear
 * in the text's length. A line is taken as a little shorter than it is, since
 * programs break lines by their own rules.
 */
export function wrappedLines(text: string, width: number, size = BODY_POINTS, bold = false): number {
  const room = (lineRoom(width) * BODY_POINTS) / (size * (bold ? 1.1 : 1));
  // Most cells are short: one line whatever their letters, without looking at each.
  if (text.length * 1.12 <= room && text.indexOf('\n') < 0) return 1;
  let lines = 1;
  let used = 0;
  let word = 0;
  for (let i = 0; i <= text.length; i++) {
    const code = i < text.length ? text.charCodeAt(i) : 10;
    // A line may end at a space, a line break, or after a hyphen or a slash ("510-CV/BTGDVTU").
    const hyphen = code === 45 || code === 47;
    if (code !== 32 && code !== 10 && !hyphen) {
      word += charUnits(code);
      continue;
    }
    if (hyphen) word += charUnits(code);
    if (used > 0 && used + word > room) {
      lines++;
      used = 0;
    }
    while (word > room) {
      lines++;
      word -= room;
    }
    used += word;
    word = 0;
    if (code === 32) used += charUnits(32);
    else if (code === 10 && i < text.length) {
      lines++;
      used = 0;
    }
  }
  return lines;
}

/** Row height in points for this many lines of text at this size. */
export function linesToPoints(lines: number, size = BODY_POINTS): number {
  return Math.min(MAX_ROW_POINTS, Math.ceil(lines * size * 1.2 + 4));
}

// ---------------------------------------------------------------- pages

export interface PageBreakOptions {
  paper: Paper;
  scale: number;
  /** Points above the first data row on page 1 (title and header rows). */
  firstPageTop: number;
  /** Points of the rows repeated at the top of every later page. */
  repeatedTop: number;
  /** Indexes of rows that must not end a page (section headings). */
  keepWithNext: ReadonlySet<number>;
}

/** Room left unused on each page so a program whose rows come out a little taller still breaks where we do. */
const PAGE_SLACK = 0.94;

/**
 * Indexes of the rows that start a new page, by the row heights: a page takes
 * rows while they fit, and a heading that would end a page moves to the next.
 * Manual breaks at these rows make every program break the same way.
 */
export function pageBreaks(heights: readonly number[], options: PageBreakOptions): number[] {
  const page = (printableArea(options.paper).height / options.scale) * PAGE_SLACK;
  const breaks: number[] = [];
  let used = options.firstPageTop;
  let start = 0;
  for (let i = 0; i < heights.length; i++) {
    if (used + heights[i] > page && i > start) {
      let at = i;
      // Move the break above the headings that would end this page (never emptying it).
      while (at - 1 > start && options.keepWithNext.has(at - 1)) at--;
      breaks.push(at);
      start = at;
      used = options.repeatedTop;
      for (let j = at; j < i; j++) used += heights[j];
    }
    used += heights[i];
  }
  return breaks;
}
