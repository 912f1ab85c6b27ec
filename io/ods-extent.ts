/**
 * The extent of each sheet of an .ods, found by streaming content.xml before
 * SheetJS builds every cell: one XML row or cell may stand for thousands
 * (table:number-rows-repeated, table:number-columns-repeated), so a tiny file
 * can expand to millions of cells. Only cells holding something count; the
 * empty repeated rows and columns every LibreOffice sheet ends with do not.
 */
import type { GridBudget } from './grid-limits';
import { localName, streamXml } from './xml';
import type { ZipArchive } from './zip';

const repeat = (value: string | undefined) => Math.max(1, Number(value) || 1);

export async function checkOdsExtent(zip: ZipArchive, budget: GridBudget): Promise<void> {
  let sheet = '';
  let row = 0; // 0-based index of the current XML row's first sheet row
  let rowRepeat = 1;
  let column = 0;
  let cellRepeat = 1;
  let cellFilled = false;
  let rowCells = 0;
  let rowEnd = 0; // columns up to the last filled cell of the current row
  let rows = 0; // rows up to the last filled row of the sheet
  let columns = 0;
  let cells = 0;
  await streamXml(
    zip,
    'content.xml',
    (tag) => {
      switch (localName(tag.name)) {
        case 'table':
          sheet = tag.attributes['table:name'] ?? '';
          row = rows = columns = cells = 0;
          break;
        case 'table-row':
          rowRepeat = repeat(tag.attributes['table:number-rows-repeated']);
          column = rowCells = rowEnd = 0;
          break;
        case 'table-cell':
        case 'covered-table-cell':
          cellRepeat = repeat(tag.attributes['table:number-columns-repeated']);
          cellFilled = tag.attributes['office:value-type'] !== undefined;
          break;
        case 'p':
          cellFilled = true;
          break;
      }
    },
    (name) => {
      switch (localName(name)) {
        case 'table-cell':
        case 'covered-table-cell':
          column += cellRepeat;
          if (cellFilled) {
            rowCells += cellRepeat;
            rowEnd = column;
          }
          cellFilled = false;
          break;
        case 'table-row':
          row += rowRepeat;
          if (rowCells === 0) break;
          rows = row;
          columns = Math.max(columns, rowEnd);
          cells += rowCells * rowRepeat;
          budget.extent(sheet, rows, columns, cells);
          break;
      }
    },
  );
}
