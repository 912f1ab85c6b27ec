/**
 * Real letters, notices and plans of other offices (tests/fixtures/prose/corpus,
 * from the development corpus): the tasks a person found in each, against those
 * recognised. The figures are printed; the floor below guards against regressions.
 */
import { recognizeDocument } from '../../shared/document-recognition';
import { loadCorpus, score, type Figures } from './prose-corpus';

const corpus = loadCorpus().filter((doc) => doc.prose.length > 0);

describe('prose corpus', () => {
  const figures = new Map<string, Figures>();
  for (const doc of corpus) {
    const result = recognizeDocument(doc.document, { asOf: '2026-01-15' });
    figures.set(doc.id, score(doc.prose, result.tasks.filter((t) => !(t.section ?? '').startsWith('Phụ lục'))));
  }

  afterAll(() => {
    const lines = [...figures].map(([id, f]) => `${id.padEnd(16)} ${f.found}/${f.expected} found, ${f.extra} more, lead ${f.lead}, deadline ${f.deadline}`);
    console.log(lines.join('\n'));
  });

  it.each(corpus.map((doc) => doc.id))('%s: finds most of its tasks, with their lead and deadline', (id) => {
    const f = figures.get(id) as Figures;
    expect(f.found).toBeGreaterThanOrEqual(Math.ceil(f.expected * 0.6));
    expect(f.lead).toBeGreaterThanOrEqual(Math.floor(f.found * 0.6));
    expect(f.deadline).toBeGreaterThanOrEqual(Math.floor(f.found * 0.7));
    expect(f.extra).toBeLessThanOrEqual(Math.max(3, Math.ceil(f.expected * 0.5)));
  });

  it('finds nine in ten of all tasks', () => {
    let expected = 0;
    let found = 0;
    let lead = 0;
    let deadline = 0;
    for (const f of figures.values()) {
      expected += f.expected;
      found += f.found;
      lead += f.lead;
      deadline += f.deadline;
    }
    expect(found / expected).toBeGreaterThanOrEqual(0.9);
    expect(lead / found).toBeGreaterThanOrEqual(0.85);
    expect(deadline / found).toBeGreaterThanOrEqual(0.9);
  });
});
