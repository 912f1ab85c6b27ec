import { readDocumentFromFile } from '../io/read-document';
import { documentGrids } from '../shared/document-tasks';
import { pickAnnex } from '../shared/annex';
(async () => {
  for (const seed of ['001-phu-luc', '003-phu-luc-II', '003-phu-luc-III', '003-phu-luc-IV']) {
    const base = pickAnnex(documentGrids(await readDocumentFromFile(`tests/fixtures/seeds/${seed}.txt`)), { asOf: '2026-05-01' });
    for (const ext of ['docx', 'pdf']) {
      const r = pickAnnex(documentGrids(await readDocumentFromFile(`tests/fixtures/documents/${seed}.${ext}`)), { asOf: '2026-05-01' });
      const strip = (ts: any[]) => ts.map(({ row, ...t }) => t); const a = JSON.stringify(strip(base.tasks)), b = JSON.stringify(strip(r.tasks));
      console.log(seed, ext, base.tasks.length, r.tasks.length, a === b ? 'SAME' : 'DIFF', base.title === r.title ? '' : `title ${base.title} vs ${r.title}`);
      if (a !== b) for (let i = 0; i < Math.max(base.tasks.length, r.tasks.length); i++) { const A: any = base.tasks[i], B: any = r.tasks[i]; for (const k of Object.keys(A ?? {})) if (k !== "row" && JSON.stringify(A[k]) !== JSON.stringify(B?.[k])) { console.log(i, k, JSON.stringify(A[k]).slice(0,300), "|", JSON.stringify(B?.[k]).slice(0,300)); } }
    }
  }
})();
