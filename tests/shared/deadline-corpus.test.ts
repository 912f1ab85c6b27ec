import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseDeadline } from '../../shared/deadline';
import { findDeadlines } from '../../shared/deadline-phrases';
import { Deadline } from '../../shared/schemas';

interface Cell {
  source: string;
  text: string;
  kind: string;
  due: string | null;
  start?: string;
}
interface InText {
  source: string;
  ref: string | null;
  task: string;
  deadline: string;
}
const fixture = JSON.parse(readFileSync(join(__dirname, '..', 'fixtures', 'corpus', 'deadlines.json'), 'utf8')) as {
  asOf: string;
  cells: Cell[];
  inText: InText[];
};
const options = { asOf: fixture.asOf };

describe('every deadline written in the development corpus', () => {
  test('the fixture holds the corpus’s 75 distinct deadline texts and 42 in-sentence phrases', () => {
    expect(fixture.cells).toHaveLength(75);
    expect(fixture.inText).toHaveLength(42);
  });

  test.each(fixture.cells.map((c) => [`${c.source}: ${c.text}`, c] as const))('%s', (_, cell) => {
    const d = parseDeadline(cell.text, options);
    expect(Deadline.safeParse(d).success).toBe(true);
    expect([d.kind, d.due]).toEqual([cell.kind, cell.due]);
    if (cell.start !== undefined) expect(d.start).toBe(cell.start);
    // Nothing left unread.
    expect(d.kind).not.toBe('unknown');
  });
});

/**
 * A phrase starts at its preposition ("trong năm 2025"); the corpus's reader sometimes took the
 * verb before it too ("cơ bản hoàn thành trong năm 2025"), sometimes not: the verb is left out here.
 */
const LEADING_VERB = /^(?:cơ bản )?(?:hoàn thành|xong) /;

describe('deadline phrases found inside the corpus’s task sentences', () => {
  test.each(fixture.inText.map((t) => [`${t.source} ${t.ref ?? ''}: ${t.deadline}`, t] as const))('%s', (_, item) => {
    const expected = item.deadline.replace(LEADING_VERB, '');
    const found = findDeadlines(item.task, options);
    const phrase = found.find((p) => p.text === expected);
    expect([expected, phrase?.text]).toEqual([expected, expected]);
    expect(item.task.slice(phrase!.start, phrase!.end)).toBe(expected);
    expect(phrase!.deadline.due).toEqual(parseDeadline(item.deadline, options).due);
  });
});
