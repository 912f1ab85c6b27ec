/**
 * The extent of each sheet of an .xls (BIFF8, also BIFF5), found by walking its
 * Workbook stream's record headers before SheetJS builds every cell: a 20 MB
 * .xls of MULRK records holds millions of cells. Counts the records that carry
 * a value (blank cells do not count) and the rows and columns they reach; a
 * FILEPASS record means the rest is encrypted, which is a refusal of its own.
 */
import type { GridBudget } from './grid-limits';
import { passwordProtected } from './sheetjs-reader';

const BOF = 0x0809;
const BOUNDSHEET = 0x0085;
const FILEPASS = 0x002f;
/** Records holding one value at (row, column): NUMBER, LABELSST, RK, FORMULA, BOOLERR, LABEL, RSTRING. */
const ONE_CELL = new Set([0x0203, 0x00fd, 0x027e, 0x0006, 0x0205, 0x0204, 0x00d6]);
/** MULRK: (row, first column, 6 bytes per cell …, last column). */
const MULRK = 0x00bd;

export function checkXlsExtent(stream: Uint8Array, budget: GridBudget): void {
  const view = new DataView(stream.buffer, stream.byteOffset, stream.byteLength);
  const names: string[] = [];
  let substream = -1; // -1 before the first BOF, 0 the workbook globals, n the n-th sheet
  let rows = 0;
  let columns = 0;
  let cells = 0;
  const sheetName = () => names[substream - 1] ?? `#${substream}`;
  for (let at = 0; at + 4 <= stream.length; ) {
    const type = view.getUint16(at, true);
    const length = view.getUint16(at + 2, true);
    const data = at + 4;
    if (data + length > stream.length) break; // a truncated stream: SheetJS will say so
    if (type === BOF) {
      substream++;
      rows = columns = cells = 0;
    } else if (type === FILEPASS) throw passwordProtected();
    else if (type === BOUNDSHEET && substream === 0 && length >= 8) names.push(sheetNameOf(stream, data + 6, length - 6));
    else if (substream > 0 && length >= 4 && (ONE_CELL.has(type) || type === MULRK)) {
      const row = view.getUint16(data, true);
      const first = view.getUint16(data + 2, true);
      const last = type === MULRK && length >= 6 ? view.getUint16(data + length - 2, true) : first;
      const count = Math.max(0, last - first + 1);
      rows = Math.max(rows, row + 1);
      columns = Math.max(columns, last + 1);
      cells += count;
      budget.extent(sheetName(), rows, columns, cells);
    }
    at = data + length;
  }
}

/** A BIFF8 ShortXLUnicodeString (length, flags, characters) or a BIFF5 byte string. */
function sheetNameOf(stream: Uint8Array, at: number, room: number): string {
  const length = stream[at];
  const wide = (stream[at + 1] & 1) === 1;
  const start = at + 2;
  if (room < 2 + length * (wide ? 2 : 1)) return '';
  const bytes = stream.subarray(start, start + length * (wide ? 2 : 1));
  return new TextDecoder(wide ? 'utf-16le' : 'latin1').decode(bytes);
}
