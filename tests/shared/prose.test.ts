/**
 * Tasks assigned in prose: the seed letters 000 and 004 task by task (their
 * expected tasks, read from the letters, are in tests/fixtures/prose/seeds), then
 * each rule of administrative style on letters written for it.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { recognizeProse } from '../../shared/prose';
import type { Task } from '../../shared/schemas';
import { PROSE_FIXTURES } from './prose-corpus';

const AS_OF = '2026-05-20';

interface Expected {
  stt: string;
  lead: string[];
  deadline: string | null;
  due: string | null;
  task: string;
}

function seed(name: string): { tasks: Task[]; expected: Expected[]; text: string } {
  const text = readFileSync(join(PROSE_FIXTURES, 'seeds', `${name}.txt`), 'utf8');
  const expected = JSON.parse(readFileSync(join(PROSE_FIXTURES, 'seeds', `${name}.expected.json`), 'utf8')) as Expected[];
  return { tasks: recognizeProse(text.split('\n'), { asOf: AS_OF }).tasks, expected, text };
}

function prose(lines: string[]): Task[] {
  return recognizeProse(lines, { asOf: AS_OF }).tasks;
}

describe.each(['000-cong-van', '004-cong-van'])('seed letter %s', (name) => {
  const { tasks, expected } = seed(name);

  it('finds every task it assigns, no more', () => {
    expect(tasks.map((t) => t.task.split(' ').slice(0, 12).join(' '))).toEqual(expected.map((e) => e.task));
  });

  it.each(expected.map((e, i) => [i + 1, e] as const))('task %i: item number, lead and deadline', (i, e) => {
    const task = tasks[i - 1];
    expect(task.stt).toBe(e.stt);
    expect(task.lead).toEqual(e.lead);
    expect(task.deadline.raw || null).toBe(e.deadline);
    expect(task.deadline.due).toBe(e.due);
  });

  it('gives every task a distinct id, the same on each reading', () => {
    const again = seed(name).tasks;
    expect(new Set(tasks.map((t) => t.id)).size).toBe(tasks.length);
    expect(again.map((t) => t.id)).toEqual(tasks.map((t) => t.id));
  });

  it('takes no task from the addressees, the recipients or the signature', () => {
    for (const t of tasks) expect(t.task).not.toMatch(/^(?:Như trên|Lưu:|Kính gửi|Nơi nhận|KT\. CHỦ TỊCH)/);
    expect(tasks.some((t) => /nghiêm túc triển khai thực hiện/.test(t.task))).toBe(false);
  });
});

describe('seed letter 000', () => {
  const { tasks } = seed('000-cong-van');

  it('resolves the footnotes a task refers to (the members of the inspection team)', () => {
    const team = tasks.find((t) => t.task.startsWith('Thành lập Đoàn kiểm tra¹'));
    expect(team?.extra['Chú thích']).toContain('Thành phần gồm: Công an tỉnh, Sở Khoa học và Công nghệ');
    expect(team?.extra['Chú thích']).toContain('Nội dung kiểm tra về');
    const overdue = tasks.find((t) => t.task.startsWith('Rà soát toàn bộ các nhiệm vụ quá hạn'));
    expect(overdue?.extra['Chú thích']).toContain('Ban hành kiến trúc dữ liệu');
  });

  it('joins a sentence cut by a page of footnotes, without the footnotes', () => {
    const home = tasks.find((t) => t.lead[0] === 'Sở Nội vụ');
    expect(home?.task).toContain('xác định rõ điểm mạnh để phát huy');
    expect(home?.task).not.toContain('Thành phần gồm');
    expect(home?.deadline).toMatchObject({ raw: 'trước ngày 30/6/2026', kind: 'date', due: '2026-06-30' });
  });

  it('reads who works with the owner and recurring deadlines', () => {
    const architecture = tasks.find((t) => t.task.startsWith('Chủ trì, phối hợp với Sở Khoa học và Công nghệ rà soát'));
    expect(architecture?.lead).toEqual(['Công an tỉnh']);
    expect(architecture?.support).toEqual(['Sở Khoa học và Công nghệ']);
    const monthly = tasks.find((t) => t.task.startsWith('Giao Sở Khoa học và Công nghệ'));
    expect(monthly?.deadline).toMatchObject({ kind: 'recurring', due: '2026-05-25', recurrence: { every: 'month', day: 25 } });
  });
});

describe('seed letter 004', () => {
  const { tasks } = seed('004-cong-van');

  it('reads the sub-items of an item whose subject introduces them, not the item itself', () => {
    expect(tasks.filter((t) => t.stt.startsWith('1')).map((t) => t.stt)).toEqual(['1 (1)', '1 (2)', '1 (3)']);
  });

  it('keeps a duty whole across its footnotes and inline (i)…(iv)', () => {
    const centre = tasks[3];
    expect(centre.task).toContain('(iv) Đề xuất rõ ràng về lộ trình thực hiện');
    expect(centre.task).toContain('dữ liệu cần xây dựng của tỉnh');
    expect(centre.extra['Chú thích']).toContain('Thông báo số 17-TB/CQTTCĐ');
  });
});

describe('owners', () => {
  it('an agency heading owns the bullets under it; a bullet naming another agency does not', () => {
    const tasks = prose([
      'Kính gửi:',
      '- Sở Tài chính;',
      '- Sở Nội vụ.',
      'Thực hiện Công văn số 12/UBND ngày 02/3/2026, Chủ tịch UBND tỉnh yêu cầu:',
      '1. Sở Tài chính:',
      '- Bố trí kinh phí thực hiện. Hoàn thành trước ngày 15/7/2026.',
      '- Hướng dẫn quyết toán kinh phí.',
      '2. Sở Nội vụ hướng dẫn các cơ quan rà soát vị trí việc làm. Hoàn thành trước ngày 31/7/2026.',
    ]);
    expect(tasks.map((t) => [t.stt, t.lead, t.deadline.due])).toEqual([
      ['1', ['Sở Tài chính'], '2026-07-15'],
      ['1', ['Sở Tài chính'], null],
      ['2', ['Sở Nội vụ'], '2026-07-31'],
    ]);
  });

  it('reads an unnumbered agency line as the heading of the items under it, not the letterhead', () => {
    const tasks = prose([
      'ỦY BAN NHÂN DÂN',
      'TỈNH LÀO CAI',
      '- Căn cứ Kế hoạch số 10/KH-UBND;',
      'Sở Tài chính',
      '1. Bố trí kinh phí trong tháng 6/2026.',
      '2. Hướng dẫn quyết toán.',
      'Sở Nội vụ:',
      '- Rà soát vị trí việc làm.',
    ]);
    expect(tasks.map((t) => [t.stt, t.leadRaw, t.task])).toEqual([
      ['1', 'Sở Tài chính', 'Bố trí kinh phí trong tháng 6/2026.'],
      ['2', 'Sở Tài chính', 'Hướng dẫn quyết toán.'],
      ['', 'Sở Nội vụ', 'Rà soát vị trí việc làm.'],
    ]);
  });

  it('reads "Giao …", "Đề nghị …" and "Về …: giao …" as the agency that follows', () => {
    const tasks = prose([
      '1. Giao Sở Y tế theo dõi, tổng hợp tình hình, báo cáo trong tháng 5 năm 2026.',
      '2. Về đầu tư hạ tầng số: giao Sở Khoa học và Công nghệ chủ trì, phối hợp với Sở Tài chính đề xuất phương án, báo cáo trong Quý III/2026.',
      '3. Đề nghị Ủy ban Mặt trận Tổ quốc tỉnh phối hợp tuyên truyền.',
    ]);
    expect(tasks.map((t) => t.leadRaw)).toEqual(['Sở Y tế', 'Sở Khoa học và Công nghệ', 'Ủy ban Mặt trận Tổ quốc tỉnh']);
    expect(tasks[0].lead).toEqual(['Sở Y tế']);
    expect(tasks[0].deadline).toMatchObject({ raw: 'trong tháng 5 năm 2026', kind: 'period', due: '2026-05-31' });
    expect(tasks[1].support).toEqual(['Sở Tài chính']);
    expect(tasks[1].deadline).toMatchObject({ kind: 'period', due: '2026-09-30' });
  });

  it('splits a Party assignment "Giao Đảng uỷ …: (i) … (ii) …" into its duties', () => {
    const tasks = prose(['4.1. Giao Đảng uỷ Chính phủ: (i) Chỉ đạo Đảng uỷ Bộ Y tế hoàn thiện quy trình; (ii) Chỉ đạo Đảng uỷ Bộ Tài chính bố trí kinh phí.']);
    expect(tasks.map((t) => [t.stt, t.leadRaw])).toEqual([
      ['4.1 (i)', 'Đảng uỷ Chính phủ'],
      ['4.1 (ii)', 'Đảng uỷ Chính phủ'],
    ]);
  });

  it('takes the subject after an opening clause, and a new subject as a new task', () => {
    const tasks = prose([
      '2. Đối với các dự án chậm tiến độ, các sở, ban, ngành khẩn trương rà soát. Công an tỉnh phối hợp với Sở Tư pháp xử lý vi phạm. Thời hạn hoàn thành: trước ngày 30/11/2026.',
    ]);
    expect(tasks.map((t) => [t.leadRaw, t.supportRaw, t.deadline.raw])).toEqual([
      ['các sở, ban, ngành', '', 'trước ngày 30/11/2026'],
      ['Công an tỉnh', 'Sở Tư pháp', 'trước ngày 30/11/2026'],
    ]);
  });
});

describe('labelled fields', () => {
  it('reads labels inline, and labels on their own lines for the bullets above them', () => {
    const tasks = prose([
      'III. NHIỆM VỤ, GIẢI PHÁP',
      '1. Tuyên truyền, phổ biến pháp luật',
      '- Tổ chức hội nghị phổ biến Luật.',
      '- Biên soạn tài liệu hỏi đáp.',
      'Đơn vị chủ trì thực hiện: Sở Tư pháp.',
      'Đơn vị phối hợp: Sở Nội vụ; các cơ quan, đơn vị liên quan.',
      'Thời gian thực hiện: Quý III/2026.',
      'a) Xây dựng cơ sở dữ liệu. Cơ quan chủ trì: Sở Khoa học và Công nghệ; Cơ quan phối hợp: Sở Tài chính; Thời hạn: trước ngày 31/12/2026.',
    ]);
    expect(tasks.map((t) => [t.stt, t.section, t.task, t.leadRaw, t.supportRaw, t.deadline.raw])).toEqual([
      ['1', 'III', 'Tổ chức hội nghị phổ biến Luật.', 'Sở Tư pháp', 'Sở Nội vụ; các cơ quan, đơn vị liên quan', 'Quý III/2026'],
      ['1', 'III', 'Biên soạn tài liệu hỏi đáp.', 'Sở Tư pháp', 'Sở Nội vụ; các cơ quan, đơn vị liên quan', 'Quý III/2026'],
      ['1 a)', 'III', 'Xây dựng cơ sở dữ liệu.', 'Sở Khoa học và Công nghệ', 'Sở Tài chính', 'trước ngày 31/12/2026'],
    ]);
    expect(tasks[0].sectionTitle).toBe('NHIỆM VỤ, GIẢI PHÁP');
  });

  it('makes a heading the task when what stands between it and its labels only details it', () => {
    const tasks = prose([
      '5.',
      'Tổ chức các nội dung hỗ trợ thi hành Luật',
      'Các nội dung hỗ trợ thi hành Luật bao gồm:',
      '+ Hướng dẫn áp dụng các văn bản;',
      '+ Tiếp nhận và xử lý kiến nghị.',
      '- Cơ quan thực hiện: Các sở, ngành có liên quan.',
    ]);
    expect(tasks.map((t) => [t.stt, t.task, t.leadRaw])).toEqual([['5', 'Tổ chức các nội dung hỗ trợ thi hành Luật', 'Các sở, ngành có liên quan']]);
  });

  it('makes a numbered heading the task when its labels follow it directly', () => {
    const tasks = prose([
      '1. Xây dựng Cổng thông tin về bảo vệ dữ liệu cá nhân',
      '- Cơ quan thực hiện: Bộ Công an.',
      '- Thời gian thực hiện: năm 2026 - 2027.',
    ]);
    expect(tasks.map((t) => [t.task, t.leadRaw, t.deadline.raw])).toEqual([['Xây dựng Cổng thông tin về bảo vệ dữ liệu cá nhân', 'Bộ Công an', 'năm 2026 - 2027']]);
  });
});

describe('what is not a task', () => {
  it('skips background sections, introductions, closings and recipients', () => {
    const tasks = prose([
      'I. MỤC ĐÍCH, YÊU CẦU',
      '1. Mục đích',
      '- Sở Tư pháp nâng cao chất lượng công tác xây dựng pháp luật.',
      'II. TỔ CHỨC THỰC HIỆN',
      '1. Sở Tư pháp chủ trì theo dõi việc thực hiện Kế hoạch này.',
      'Trong quá trình thực hiện, nếu có khó khăn, vướng mắc, đề nghị các cơ quan báo cáo UBND tỉnh để xem xét./.',
      'Yêu cầu Thủ trưởng các sở, ban, ngành nghiêm túc triển khai thực hiện./.',
      'Nơi nhận:',
      '- Như trên;',
      '- Lưu: VT.',
      'KT. CHỦ TỊCH',
    ]);
    expect(tasks.map((t) => [t.section, t.stt, t.leadRaw])).toEqual([['II', '1', 'Sở Tư pháp']]);
  });
});

describe('layout', () => {
  it('reads "1-" numbering, a number alone on its line, "+" sub-bullets and wrapped lines', () => {
    const tasks = prose([
      '1-',
      'Bộ Công an chủ trì, phối hợp với Tập đoàn Công nghiệp',
      '- Viễn thông Quân đội triển khai nền tảng định danh điện tử trong năm 2026.',
      '2- Sở Y tế:',
      '+ Rà soát danh mục thuốc, chậm nhất 10 ngày sau khi Bộ Y tế ban hành hướng dẫn.',
    ]);
    expect(tasks.map((t) => [t.stt, t.leadRaw, t.deadline.raw])).toEqual([
      ['1', 'Bộ Công an', 'trong năm 2026'],
      ['2', 'Sở Y tế', 'chậm nhất 10 ngày sau khi Bộ Y tế ban hành hướng dẫn'],
    ]);
    expect(tasks[0].task).toContain('Tập đoàn Công nghiệp - Viễn thông Quân đội triển khai');
    expect(tasks[1].deadline.kind).toBe('relative');
  });

  it('reads markdown and HTML left by text conversions', () => {
    const tasks = prose(['## **2. Sở Tài chính**', '- Bố trí kinh phí <sup>1</sup> **trước ngày 30/6/2026.**', '<sup>1</sup> Theo Nghị quyết số 10/NQ-HĐND.']);
    expect(tasks).toHaveLength(1);
    expect(tasks[0]).toMatchObject({ stt: '2', lead: ['Sở Tài chính'], extra: { 'Chú thích': '(1) Theo Nghị quyết số 10/NQ-HĐND.' } });
    expect(tasks[0].deadline.due).toBe('2026-06-30');
  });

  it('reads a quarter or month named with its year as a deadline, inside a longer phrase when there is one', () => {
    const tasks = prose([
      '1. BHXH tỉnh rà soát đối tượng tham gia bảo hiểm, hoàn thành Quý III/2026.',
      '2. Công an tỉnh phối hợp với Sở Y tế kiểm tra cơ sở kinh doanh trong quý IV/2026.',
      '3. Sở Công Thương báo cáo kết quả 6 tháng đầu năm 2026.',
    ]);
    expect(tasks.map((t) => [t.leadRaw, t.supportRaw, t.deadline.raw, t.deadline.due])).toEqual([
      ['BHXH tỉnh', '', 'Quý III/2026', '2026-09-30'],
      ['Công an tỉnh', 'Sở Y tế', 'trong quý IV/2026', '2026-12-31'],
      ['Sở Công Thương', '', '6 tháng đầu năm 2026', '2026-06-30'],
    ]);
  });

  it('reads decomposed (NFD) text from a PDF layer and old accent placement like the composed form', () => {
    const lines = ['3. Sở Nội vụ:', '- Hướng dẫn Uỷ ban nhân dân các xã rà soát biên chế, hoàn thành trước ngày 15/8/2026.'];
    const composed = prose(lines);
    const decomposed = prose(lines.map((l) => l.normalize('NFD')));
    expect(decomposed.map((t) => [t.id, t.leadRaw, t.deadline.due])).toEqual(composed.map((t) => [t.id, t.leadRaw, t.deadline.due]));
    expect(composed.map((t) => [t.lead, t.deadline.due])).toEqual([[['Sở Nội vụ'], '2026-08-15']]);
  });

  it('does not take a cited document date for a deadline', () => {
    const [task] = prose(['1. Sở Tư pháp tham mưu thực hiện Công điện số 32/CĐ-TTg ngày 05/4/2026 của Thủ tướng Chính phủ.']);
    expect(task.deadline).toMatchObject({ raw: '', due: null });
  });
});
