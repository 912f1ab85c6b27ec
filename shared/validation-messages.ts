/**
 * What a failed schema check says to a person, wholly in Vietnamese and wholly in English
 * (zod's own messages are English only and would leak into the Vietnamese half). A message a
 * schema sets itself (a date's "YYYY-MM-DD", a refinement's reason) is kept as written.
 */
import type { z } from 'zod';
import { InputError } from './errors';

export interface Bilingual {
  vi: string;
  en: string;
}

type Issue = z.core.$ZodIssue;

const TYPE_NAMES: Record<string, Bilingual> = {
  string: { vi: 'chuỗi văn bản', en: 'text' },
  number: { vi: 'số', en: 'a number' },
  int: { vi: 'số nguyên', en: 'an integer' },
  boolean: { vi: 'đúng/sai (true/false)', en: 'true or false' },
  array: { vi: 'danh sách', en: 'a list' },
  object: { vi: 'đối tượng', en: 'an object' },
  date: { vi: 'ngày', en: 'a date' },
  null: { vi: 'null', en: 'null' },
  undefined: { vi: 'không có giá trị', en: 'nothing' },
};

const typeName = (t: string): Bilingual => TYPE_NAMES[t] ?? { vi: t, en: t };

/** zod's default texts start so; anything else was written by our schemas. */
const DEFAULT_MESSAGE = /^(Invalid|Too (small|big)|Unrecognized key)/;

const UNITS: Record<string, Bilingual> = {
  string: { vi: 'ký tự', en: 'characters' },
  array: { vi: 'phần tử', en: 'items' },
  set: { vi: 'phần tử', en: 'items' },
  file: { vi: 'byte', en: 'bytes' },
};

function bound(issue: { origin: string; inclusive?: boolean }, value: number | bigint | string, least: boolean): Bilingual {
  const unit = UNITS[issue.origin];
  const strict = issue.inclusive === false;
  if (unit) {
    const n = least ? (strict ? Number(value) + 1 : Number(value)) : strict ? Number(value) - 1 : Number(value);
    const en = n === 1 ? unit.en.replace(/s$/, '') : unit.en;
    return least ? { vi: `cần ít nhất ${n} ${unit.vi}`, en: `needs at least ${n} ${en}` } : { vi: `tối đa ${n} ${unit.vi}`, en: `at most ${n} ${en}` };
  }
  return least
    ? { vi: strict ? `cần lớn hơn ${value}` : `cần từ ${value} trở lên`, en: `must be ${strict ? 'greater than' : 'at least'} ${value}` }
    : { vi: `cần ${strict ? 'nhỏ hơn' : 'không quá'} ${value}`, en: `must be ${strict ? 'less than' : 'at most'} ${value}` };
}

/** One issue in both languages, without the field (the caller names it). */
export function issueText(issue: Issue): Bilingual {
  if (!DEFAULT_MESSAGE.test(issue.message)) return { vi: issue.message, en: issue.message };
  switch (issue.code) {
    case 'invalid_type': {
      const want = typeName(issue.expected);
      return { vi: `cần ${want.vi}`, en: `expected ${want.en}` };
    }
    case 'invalid_value': {
      const list = issue.values.map((v) => JSON.stringify(v)).join(', ');
      return issue.values.length === 1 ? { vi: `cần đúng ${list}`, en: `expected ${list}` } : { vi: `cần một trong: ${list}`, en: `expected one of: ${list}` };
    }
    case 'too_small':
      return bound(issue, issue.minimum, true);
    case 'too_big':
      return bound(issue, issue.maximum, false);
    case 'invalid_format':
      return { vi: `sai định dạng (${issue.format})`, en: `wrong format (${issue.format})` };
    case 'unrecognized_keys': {
      const keys = issue.keys.map((k) => `“${k}”`).join(', ');
      return { vi: `có trường không được nhận: ${keys}`, en: `unknown field${issue.keys.length > 1 ? 's' : ''}: ${keys}` };
    }
    case 'invalid_union':
      return { vi: 'giá trị không thuộc dạng nào được nhận', en: 'the value matches none of the accepted forms' };
    case 'not_multiple_of':
      return { vi: `cần là bội số của ${issue.divisor}`, en: `must be a multiple of ${issue.divisor}` };
    default:
      return { vi: 'giá trị không hợp lệ', en: 'invalid value' };
  }
}

/**
 * A failed schema check as the error a person reads (the service answers it 400): its first issue,
 * the field path in both languages ("changes.0.fields.status") and, inside a list, the row.
 */
export function invalidInput(error: z.ZodError): InputError {
  const issue = error.issues[0];
  const field = issue.path.map(String).join('.') || undefined;
  const where = field ? ` "${field}"` : '';
  const rowIndex = issue.path.find((p) => typeof p === 'number');
  const text = issueText(issue);
  return new InputError(`Dữ liệu không hợp lệ ở trường${where}: ${text.vi}`, `Invalid value in field${where}: ${text.en}`, 'request.invalid', {
    field,
    ...(typeof rowIndex === 'number' ? { row: rowIndex + 1 } : {}),
  });
}

/** A request body that is not JSON at all. */
export function malformedJson(): InputError {
  return new InputError('Nội dung JSON không đọc được', 'The JSON body is malformed', 'request.malformed');
}
