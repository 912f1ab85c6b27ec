import { readDocumentFromFile } from '../io/read-document';
readDocumentFromFile(process.argv[2]).then((d) => {
  for (const b of d.blocks) {
    if (b.kind === 'paragraph') console.log('P', b.page ?? '', JSON.stringify(b.text).slice(0, 160));
    else { console.log('T', b.page ?? '', b.grid.sheet, b.grid.rows.length, 'rows', JSON.stringify(b.grid.merges.slice(0, 5)), 'hdr', b.headerRows); for (const r of b.grid.rows.slice(0, Number(process.argv[3] ?? 4))) console.log('   ', JSON.stringify(r).slice(0, 220)); }
  }
}, (e) => console.log('ERR', e.message, e.messageEn));
