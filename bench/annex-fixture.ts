/**
 * A large, realistic annex workbook for benchmarks: title rows, a two-row
 * merged header, Roman sections every ~50 tasks, varied Vietnamese task texts,
 * agencies written in full, abbreviated and several per cell, deadlines in every
 * form the domain brief lists, some as date cells. Deterministic (seeded), so
 * every run measures the same file. Written with exceljs's streaming writer,
 * which is safe for writing and keeps memory low.
 */
import { existsSync, mkdirSync, renameSync } from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';

const VERBS = ['Rà soát', 'Xây dựng', 'Triển khai', 'Tổ chức', 'Hoàn thiện', 'Đề xuất', 'Tham mưu ban hành', 'Kiểm tra, đánh giá', 'Nâng cấp', 'Hướng dẫn'];
const OBJECTS = [
  'văn bản quy phạm pháp luật về khoa học, công nghệ và đổi mới sáng tạo',
  'cơ sở dữ liệu dùng chung của tỉnh',
  'hệ thống thông tin giải quyết thủ tục hành chính',
  'nền tảng chia sẻ, tích hợp dữ liệu (LGSP)',
  'chương trình đào tạo kỹ năng số cho cán bộ, công chức',
  'mô hình chính quyền địa phương 02 cấp',
  'hạ tầng viễn thông tại các thôn, bản vùng lõm sóng',
  'dịch vụ công trực tuyến toàn trình',
  'kế hoạch ứng dụng trí tuệ nhân tạo trong quản lý nhà nước',
  'phong trào “Bình dân học vụ số”',
];
const QUALIFIERS = [
  'trên địa bàn tỉnh',
  'bảo đảm kết nối, liên thông với hệ thống của Trung ương',
  'theo lộ trình của Đề án 06',
  'gắn với cải cách hành chính',
  'nhằm khơi thông các điểm nghẽn cho phát triển',
  '',
];
const AGENCIES = [
  'Sở Khoa học và Công nghệ',
  'Sở KH&CN',
  'Sở Nội vụ',
  'Sở Tư pháp',
  'Sở Tài chính',
  'Sở Công thương',
  'Sở Văn hóa, Thể thao và Du lịch',
  'Sở GD&ĐT',
  'Sở Y tế',
  'VP UBND tỉnh',
  'Văn phòng UBND tỉnh',
  'CA tỉnh',
  'Công an tỉnh',
  'Ban Quản lý Khu kinh tế tỉnh',
  'UBND xã Bát Xát',
  'UBND phường Sa Pa',
];
const SUPPORT = ['Các sở, ban, ngành, địa phương', 'các cơ quan liên quan', 'Sở Tư pháp, Văn phòng UBND tỉnh', 'Sở Tài chính; Sở Nội vụ', 'Các doanh nghiệp viễn thông', ''];
const DEADLINES = [
  '15/4/2026',
  'Trước ngày 30/6/2026',
  'Chậm nhất ngày 15/09/2026',
  'ngày 20 tháng 10 năm 2026',
  'Tháng 9/2026',
  'Quý II/2026',
  'Q3/2026',
  'Quý III-IV/2026',
  '6 tháng đầu năm 2026',
  'Năm 2026',
  'Thường xuyên',
  'Hằng năm',
  'Định kỳ trước ngày 20 hằng tháng',
  'Theo hướng dẫn của Bộ Khoa học và Công nghệ',
  'Chậm nhất 10 ngày sau khi có hướng dẫn của Trung ương',
  '2025 - 2026',
];
const OUTPUTS = ['Báo cáo kết quả', 'Quyết định của UBND tỉnh', 'Kế hoạch triển khai', 'Văn bản hướng dẫn', 'Hệ thống được đưa vào vận hành'];

const UNITS = ['', 'I', 'II', 'III', 'IV', 'V', 'VI', 'VII', 'VIII', 'IX'];
/** Sections run I … XXX and start again: real annexes stay far below XXXIX, the highest numeral the recogniser reads. */
const SECTIONS_PER_CYCLE = 30;

function roman(n: number): string {
  return 'X'.repeat(Math.floor(n / 10)) + UNITS[n % 10];
}

/** One task row of the large annex, as written. */
export interface AnnexTaskRow {
  stt: number;
  task: string;
  lead: string;
  support: string | null;
  deadline: string | Date;
  output: string;
}

/** The body of the large annex in order: Roman section rows every 50 tasks, then task rows. Deterministic. */
export function* largeAnnexBody(tasks: number): Generator<{ section: [string, string] } | { task: AnnexTaskRow }> {
  // A small linear congruential generator: the same file on every run.
  let seed = 20260415;
  const pick = <T>(list: readonly T[]): T => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return list[seed % list.length];
  };
  let section = 0;
  let stt = 0;
  for (let i = 0; i < tasks; i++) {
    if (i % 50 === 0) {
      section++;
      stt = 0;
      yield { section: [roman(((section - 1) % SECTIONS_PER_CYCLE) + 1), `${pick(VERBS)} ${pick(OBJECTS)} (nhóm ${section})`] };
    }
    stt++;
    const lead = i % 7 === 0 ? `${pick(AGENCIES)}, ${pick(AGENCIES)}` : i % 11 === 0 ? `${pick(AGENCIES)}; ${pick(AGENCIES)}` : pick(AGENCIES);
    const deadline: string | Date = i % 9 === 0 ? new Date(Date.UTC(2026, (i / 9) % 12, 1 + ((i / 9) % 28))) : pick(DEADLINES);
    const task = `${pick(VERBS)} ${pick(OBJECTS)} ${pick(QUALIFIERS)}`.trim() + (i % 5 === 0 ? `; ${pick(VERBS).toLowerCase()} ${pick(OBJECTS)}` : '');
    yield { task: { stt, task, lead, support: pick(SUPPORT) || null, deadline, output: pick(OUTPUTS) } };
  }
}

export async function writeLargeAnnex(path: string, tasks: number): Promise<void> {
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: path, useSharedStrings: true, useStyles: true });
  const sheet = workbook.addWorksheet('Phụ lục II');
  sheet.addRow(['PHỤ LỤC II: DANH MỤC NHIỆM VỤ, GIẢI PHÁP TRỌNG TÂM']);
  sheet.addRow(['(Ban hành kèm theo Kế hoạch số 45/KH-BCĐ ngày 10/4/2026 của Ban Chỉ đạo)']);
  sheet.addRow(['STT', 'Tên nhiệm vụ', 'Cơ quan', null, 'Thời hạn hoàn thành', 'Kết quả đầu ra']);
  sheet.addRow([null, null, 'Chủ trì', 'Phối hợp']);
  // The streaming writer merges only rows not yet committed.
  for (const range of ['A1:F1', 'A2:F2', 'A3:A4', 'B3:B4', 'C3:D3', 'E3:E4', 'F3:F4']) sheet.mergeCells(range);
  for (const row of largeAnnexBody(tasks)) {
    if ('section' in row) sheet.addRow(row.section).commit();
    else {
      const t = row.task;
      sheet.addRow([t.stt, t.task, t.lead, t.support, t.deadline, t.output]).commit();
    }
  }
  sheet.commit();
  await workbook.commit();
}

/** The 50,000-task annex the import and convert benchmarks share, written once under bench/out/. */
export const LARGE_ANNEX_TASKS = 50_000;
export const LARGE_ANNEX_FILE = path.join(__dirname, 'out', `annex-${LARGE_ANNEX_TASKS}.xlsx`);

/** Writes the shared annex if it is not there yet; true when it did. */
export async function ensureLargeAnnex(): Promise<boolean> {
  if (existsSync(LARGE_ANNEX_FILE)) return false;
  mkdirSync(path.dirname(LARGE_ANNEX_FILE), { recursive: true });
  // Written aside and renamed, so an interrupted run leaves no half file in the cache.
  await writeLargeAnnex(`${LARGE_ANNEX_FILE}.part`, LARGE_ANNEX_TASKS);
  renameSync(`${LARGE_ANNEX_FILE}.part`, LARGE_ANNEX_FILE);
  return true;
}
