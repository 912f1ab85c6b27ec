/**
 * Per-document figures of prose recognition on the fixtures: tasks found / expected,
 * leads and deadlines as expected, and tasks found beyond them.
 * `npx ts-node --transpile-only scripts/prose-figures.ts [--verbose] [id…]`
 */
import { recognizeDocument } from '../shared/document-recognition';
import { loadCorpus, score } from '../tests/shared/prose-corpus';

const args = process.argv.slice(2);
const verbose = args.includes('--verbose');
const only = args.filter((a) => !a.startsWith('--'));
const skip = only.filter((a) => a.startsWith('^')).map((a) => a.slice(1));
const pick = only.filter((a) => !a.startsWith('^'));
const total = { expected: 0, found: 0, extra: 0, lead: 0, deadline: 0 };
console.log('document'.padEnd(16), 'found/expected', 'extra', 'lead', 'deadline', 'tables');
for (const doc of loadCorpus()) {
  if (pick.length > 0 && !pick.includes(doc.id)) continue;
  if (skip.includes(doc.id)) continue;
  const result = recognizeDocument(doc.document, { asOf: '2026-01-15' });
  const proseTasks = result.tasks.filter((t) => !(t.section ?? '').startsWith('Phụ lục'));
  const f = score(doc.prose, proseTasks);
  for (const k of Object.keys(total) as (keyof typeof total)[]) total[k] += f[k];
  console.log(doc.id.padEnd(16), `${f.found}/${f.expected}`.padStart(14), String(f.extra).padStart(5), `${f.lead}`.padStart(4), `${f.deadline}`.padStart(8), `${result.tables} (${result.tasks.length - proseTasks.length}/${doc.tableRows} rows)`);
  if (verbose) {
    for (const m of f.misses) console.log('   MISS', m.ref, '|', m.task.slice(0, 100), '|', m.lead);
    for (const w of f.wrong) console.log('   WRONG', w.field, w.expected.ref, '| expected:', w.field === 'lead' ? w.expected.lead : w.expected.deadline, '| found:', w.field === 'lead' ? w.task.leadRaw : w.task.deadline.raw, '|', w.task.task.slice(0, 60));
    for (const t of f.extras) console.log('   EXTRA', t.stt, '|', t.leadRaw, '|', t.task.slice(0, 100));
  }
}
console.log('total'.padEnd(16), `${total.found}/${total.expected}`.padStart(14), String(total.extra).padStart(5), `${total.lead}`.padStart(4), `${total.deadline}`.padStart(8));
