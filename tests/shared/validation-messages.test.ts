import { z } from 'zod';
import { issueText } from '../../shared/validation-messages';

/** The first issue of a failed parse, in both languages. */
function textOf(schema: z.ZodType, input: unknown) {
  const result = schema.safeParse(input);
  if (result.success) throw new Error('expected a failure');
  return issueText(result.error.issues[0]);
}

/** Words of zod's English messages that must never reach the Vietnamese half. */
const ENGLISH = /\b(Invalid|expected|received|option|Too|small|big|characters|items|integer|Unrecognized)\b/;

describe('validation messages a person reads', () => {
  it.each([
    ['an integer range', z.number().int().min(0).max(65535), 70000, 'cần không quá 65535', 'must be at most 65535'],
    ['a whole number', z.number().int(), 1.5, 'cần số nguyên', 'expected an integer'],
    ['a list of options', z.enum(['not_started', 'done']), 'xong', 'cần một trong: "not_started", "done"', 'expected one of: "not_started", "done"'],
    ['empty text', z.string().min(1), '', 'cần ít nhất 1 ký tự', 'needs at least 1 character'],
    ['long text', z.string().max(3), 'abcd', 'tối đa 3 ký tự', 'at most 3 characters'],
    ['a wrong type', z.object({ n: z.number() }), { n: 'x' }, 'cần số', 'expected a number'],
    ['an unknown field', z.object({ a: z.string() }).strict(), { a: 'x', b: 1 }, 'có trường không được nhận: “b”', 'unknown field: “b”'],
  ])('%s: wholly Vietnamese, wholly English', (_name, schema, input, vi, en) => {
    const text = textOf(schema, input);
    expect(text).toEqual({ vi, en });
    expect(text.vi).not.toMatch(ENGLISH);
  });

  it("keeps a message the schema wrote itself", () => {
    expect(textOf(z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'YYYY-MM-DD'), '1/2/2026')).toEqual({ vi: 'YYYY-MM-DD', en: 'YYYY-MM-DD' });
  });
});
