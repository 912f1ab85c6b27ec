/**
 * Writing the tracker workbook for 50,000 tasks: time, peak memory and file size.
 * Tasks are generated (varied Vietnamese texts, agencies, deadline forms, sections,
 * a third with progress) so the figures do not depend on a fixture.
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { writeTrackerWorkbook } from '../io/tracker-workbook';
import { addDays } from '../shared/dates';
import type { Deadline, Progress, Task } from '../shared/schemas';
import { figure, peakRssMiB, timed } from './measure';

const TASKS = 50_000;
const SECTION_EVERY = 500;
const ROMAN = ['I', 'II', 'III', 'IV', 'V', 'VI', 'VII', 'VIII', 'IX', 'X'];

const VERBS = ['Rà soát', 'Xây dựng', 'Triển khai', 'Hướng dẫn', 'Tổ chức', 'Đôn đốc', 'Tham mưu', 'Hoàn thiện', 'Nâng cấp', 'Đánh giá'];
const OBJECTS = [
  'các văn bản quy phạm pháp luật về khoa học, công nghệ',
  'hạ tầng số và trung tâm dữ liệu của tỉnh',
  'mô hình chính quyền địa phương 2 cấp',
  'cơ sở dữ liệu dân cư phục vụ Đề án 06',
  'hệ sinh thái khởi nghiệp đổi mới sáng tạo',
  'dịch vụ công trực tuyến toàn trình',
  'chương trình đào tạo nguồn nhân lực số',
  'kế hoạch xoá vùng “lỗ sóng” ở thôn, bản',
];
const AGENCIES = [
  'Sở Khoa học và Công nghệ',
  'Sở Nội vụ',
  'Sở Tài chính',
  'Công an tỉnh',
  'Văn phòng UBND tỉnh',
  'Sở Văn hóa, Thể thao và Du lịch',
  'Sở Giáo dục và Đào tạo',
  'Sở Nông nghiệp và Môi trường',
  'UBND phường Sa Pa',
  'UBND xã Bát Xát',
];
const OUTPUTS = ['Báo cáo kết quả', 'Kế hoạch triển khai', 'Văn bản hướng dẫn', 'Quyết định phê duyệt', 'Danh mục đề xuất'];

function deadline(i: number): Deadline {
  const day = addDays('2026-01-15', (i * 7) % 720);
  const [y, m, d] = day.split('-').map(Number);
  switch (i % 6) {
    case 0:
      return { raw: `${d}/${m}/${y}`, kind: 'date', due: day };
    case 1:
      return { raw: `Trước ngày ${d}/${m}/${y}`, kind: 'date', due: day };
    case 2: {
      const q = Math.ceil(m / 3);
      return { raw: `Quý ${ROMAN[q - 1]}/${y}`, kind: 'period', due: `${y}-${String(q * 3).padStart(2, '0')}-${q === 1 || q === 4 ? 31 : 30}` };
    }
    case 3:
      return { raw: `Năm ${y}`, kind: 'period', due: `${y}-12-31` };
    case 4:
      return { raw: 'Thường xuyên', kind: 'ongoing', due: null };
    default:
      return { raw: 'Theo hướng dẫn của Bộ Khoa học và Công nghệ', kind: 'conditional', due: null };
  }
}

function makeTasks(): { tasks: Task[]; progress: Record<string, Progress> } {
  const tasks: Task[] = [];
  const progress: Record<string, Progress> = {};
  for (let i = 0; i < TASKS; i++) {
    const s = Math.floor(i / SECTION_EVERY);
    const lead = AGENCIES[i % AGENCIES.length];
    const support = [AGENCIES[(i + 3) % AGENCIES.length], AGENCIES[(i + 5) % AGENCIES.length]];
    const id = `t${i.toString(36).padStart(6, '0')}`;
    tasks.push({
      id,
      stt: String((i % SECTION_EVERY) + 1),
      section: `${ROMAN[s % 10]}.${s}`,
      sectionTitle: `Nhóm nhiệm vụ ${s + 1}: ${OBJECTS[s % OBJECTS.length]}`,
      task: `${VERBS[i % VERBS.length]} ${OBJECTS[(i * 3) % OBJECTS.length]} (đợt ${i % 12 + 1}), bảo đảm tiến độ và chất lượng theo chỉ đạo của Ban Chỉ đạo tỉnh`,
      lead: [lead],
      support,
      supportRaw: support.join(', ') + ', các cơ quan liên quan',
      deadline: deadline(i),
      output: OUTPUTS[i % OUTPUTS.length],
      extra: {},
    });
    if (i % 3 === 0) {
      const done = i % 2 === 0;
      progress[id] = {
        status: done ? 'done' : 'in_progress',
        result: done ? 'Đã hoàn thành, gửi báo cáo về Sở Khoa học và Công nghệ' : 'Đang triển khai',
        completedOn: done ? addDays('2026-01-15', (i * 5) % 700) : null,
        evidence: done ? `Văn bản số ${i}/BC-UBND` : '',
        note: '',
      };
    }
  }
  return { tasks, progress };
}

async function main(): Promise<void> {
  const { tasks, progress } = makeTasks();
  const dir = mkdtempSync(path.join(tmpdir(), 'convert-bench-'));
  const file = path.join(dir, 'tracker.xlsx');
  try {
    global.gc?.();
    const { ms } = await timed(() => writeTrackerWorkbook({ title: 'PHỤ LỤC: DANH MỤC NHIỆM VỤ', tasks, progress, asOf: '2026-11-20' }, file));
    figure(`write tracker workbook, ${TASKS.toLocaleString('en')} tasks (time)`, ms, 'ms', 0);
    figure('write tracker workbook (peak RSS, whole process)', peakRssMiB(), 'MiB');
    figure('tracker workbook size', statSync(file).size / 1024 / 1024, 'MiB', 2);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
