/**
 * Labelled fields of a prose task: "Cơ quan chủ trì: …", "Đơn vị phối hợp (thực hiện): …",
 * "Thời hạn: …" / "Thời gian thực hiện: …", "Sản phẩm: …", "Nội dung thực hiện: …",
 * inline after the task ("a) … Cơ quan chủ trì: …; Thời hạn: …") or on their own lines.
 * A value runs to the next label or the end of the line; its final full stop is dropped.
 */
import { fold } from './fold';

export type FieldName = 'lead' | 'support' | 'deadline' | 'output' | 'content' | 'place';

export interface Fields {
  lead?: string;
  support?: string;
  deadline?: string;
  output?: string;
  content?: string;
  place?: string;
}

/**
 * A label on the folded text: at the start, or after a clause, a bracket or a bullet.
 * The qualifier words form one flat alternation per word, so matching stays linear.
 */
const LABEL =
  /(^|[.;)]\s+|[-+]\s*)(?:(co quan|don vi|bo phan)\s+)?(chu tri|thuc hien|phoi hop|tham muu|thoi han|thoi gian|han hoan thanh|san pham|ket qua dau ra|noi dung|dia diem)((?:\s+(?:chu tri|thuc hien|tham muu|phoi hop|hoan thanh|du kien|ban hanh|dau ra|bao cao|trinh|chiu trach nhiem|to chuc))*)\s*(?:\([^)]{0,24}\))?\s*:\s*/g;

function fieldOf(owner: string | undefined, head: string): FieldName | null {
  switch (head) {
    case 'chu tri':
      return 'lead';
    case 'thuc hien':
    case 'tham muu':
      return owner ? 'lead' : null;
    case 'phoi hop':
      return 'support';
    case 'thoi han':
    case 'thoi gian':
    case 'han hoan thanh':
      return 'deadline';
    case 'san pham':
    case 'ket qua dau ra':
      return 'output';
    case 'noi dung':
      return owner ? null : 'content';
    case 'dia diem':
      return owner ? null : 'place';
    default:
      return null;
  }
}

export interface LabelledText {
  /** The text before the first label (the task itself), as written. */
  before: string;
  fields: Fields;
  /** The line is nothing but labels. */
  labelsOnly: boolean;
}

function tidyValue(value: string): string {
  return value.replace(/^[\s:]+/, '').replace(/[\s.;,]+$/u, '');
}

/** The labelled fields of a line, and the text before them. */
export function readFields(text: string): LabelledText {
  const folded = fold(text);
  const found: { start: number; valueStart: number; field: FieldName }[] = [];
  for (const m of folded.matchAll(LABEL)) {
    const field = fieldOf(m[2], m[3]);
    if (!field) continue;
    found.push({ start: m.index + m[1].length, valueStart: m.index + m[0].length, field });
  }
  if (found.length === 0) return { before: text, fields: {}, labelsOnly: false };
  const fields: Fields = {};
  found.forEach((label, i) => {
    const end = i + 1 < found.length ? found[i + 1].start : text.length;
    const value = tidyValue(text.slice(label.valueStart, end));
    if (value !== '' && fields[label.field] === undefined) fields[label.field] = value;
  });
  const before = text.slice(0, found[0].start).replace(/[\s\-+]+$/u, '');
  return { before, fields, labelsOnly: before.trim() === '' };
}
