/** The workbook the .xls/.ods fixtures were made from (LibreOffice converted it), and what each reader must return for it. */
import ExcelJS from 'exceljs';
import type { CellValue } from '../../shared/grid';

const utc = (y: number, m: number, d: number) => new Date(Date.UTC(y, m - 1, d));

export const LONG_TASK =
  'Tổ chức triển khai phong trào “Bình dân học vụ số”, bảo đảm 100% cán bộ, công chức, viên chức được bồi dưỡng kỹ năng số; ưu tiên người dân ở thôn, bản vùng sâu, vùng xa';

/** Rows of sheet "Phụ lục II" as every reader returns them. */
export const SOURCE_ROWS: CellValue[][] = [
  ['PHỤ LỤC II: DANH MỤC NHIỆM VỤ TRỌNG TÂM NĂM 2026'],
  [],
  ['STT', 'Nhiệm vụ', 'Cơ quan', null, 'Thời hạn', 'Kết quả đầu ra'],
  [null, null, 'Chủ trì', 'Phối hợp'],
  ['I', 'CHUYỂN ĐỔI SỐ'],
  [1, 'Rà soát văn bản quy phạm pháp luật', 'Sở Tư pháp', 'Các sở, ban, ngành', utc(2026, 4, 15), 'Báo cáo'],
  [2, LONG_TASK, 'Sở Khoa học và Công nghệ', null, 'Quý II/2026', 'Kế hoạch'],
  [3, 'Nâng cấp hệ thống thông tin', 'Văn phòng UBND tỉnh', null, utc(2026, 12, 31), true],
  [null, 'Tổng số nhiệm vụ', 3.5],
];

export const SOURCE_MERGES = [
  { top: 0, left: 0, bottom: 0, right: 5 },
  { top: 2, left: 0, bottom: 3, right: 0 },
  { top: 2, left: 1, bottom: 3, right: 1 },
  { top: 2, left: 2, bottom: 2, right: 3 },
];

/** The source workbook: the rows above with rich text, a formula, date formats and a second sheet. */
export function sourceWorkbook(): ExcelJS.Workbook {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('Phụ lục II');
  SOURCE_ROWS.forEach((row, r) => row.forEach((v, c) => v !== null && (ws.getCell(r + 1, c + 1).value = v)));
  ws.getCell('B6').value = { richText: [{ text: 'Rà soát ', font: { bold: true } }, { text: 'văn bản quy phạm pháp luật' }] };
  ws.getCell('C9').value = { formula: 'A8+0.5', result: 3.5 };
  ws.getCell('E6').numFmt = 'dd/mm/yyyy';
  ws.getCell('E8').numFmt = 'd" tháng "m" năm "yyyy';
  for (const m of SOURCE_MERGES) ws.mergeCells(m.top + 1, m.left + 1, m.bottom + 1, m.right + 1);
  wb.addWorksheet('Ghi chú').getCell('A1').value = 'Số liệu đến ngày 20/4/2026';
  return wb;
}
