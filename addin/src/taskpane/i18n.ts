/**
 * The pane's words, Vietnamese first with English alongside, and the language
 * switch. Static text in taskpane.html carries data-i18n (text) or
 * data-i18n-attr="attribute:key;…" (labels, placeholders), so one call
 * re-labels the whole pane; the chosen language is kept on this computer.
 */
export type Lang = 'vi' | 'en';

const WORDS = {
  title: { vi: 'Theo dõi nhiệm vụ Phụ lục', en: 'Annex task tracker' },
  switchLang: { vi: 'English', en: 'Tiếng Việt' },
  switchLangLabel: { vi: 'Chuyển sang tiếng Anh', en: 'Switch to Vietnamese' },
  ready: { vi: 'Sẵn sàng.', en: 'Ready.' },
  working: { vi: 'Đang xử lý…', en: 'Working…' },
  // 1. recognise
  detectHeading: { vi: '1. Nhận dạng phụ lục', en: '1. Recognise the annex' },
  detectHelp: {
    vi: 'Mở trang tính có bảng phụ lục (STT, Nhiệm vụ, Cơ quan chủ trì, Thời hạn…) rồi bấm Nhận dạng.',
    en: 'Open the sheet with the annex table (STT, Nhiệm vụ, Cơ quan chủ trì, Thời hạn…) and click Recognise.',
  },
  detect: { vi: 'Nhận dạng', en: 'Recognise' },
  detected: { vi: 'Tìm thấy {tasks} nhiệm vụ trong {sections} mục trên trang “{sheet}”.', en: 'Found {tasks} tasks in {sections} sections on sheet “{sheet}”.' },
  headerRow: { vi: 'Dòng tiêu đề: {rows}', en: 'Header row: {rows}' },
  annexTitle: { vi: 'Tên phụ lục: {title}', en: 'Annex title: {title}' },
  field: { vi: 'Trường', en: 'Field' },
  column: { vi: 'Cột', en: 'Column' },
  headerText: { vi: 'Tiêu đề cột', en: 'Column header' },
  noColumn: { vi: '(không có)', en: '(none)' },
  mappingHelp: { vi: 'Nếu cột nào sai, chọn lại cột đúng; kết quả được nhận dạng lại ngay.', en: 'If a column is wrong, pick the right one; the annex is recognised again at once.' },
  problems: { vi: 'Vấn đề ({count})', en: 'Problems ({count})' },
  noProblems: { vi: 'Không có vấn đề nào.', en: 'No problems.' },
  rowN: { vi: 'Dòng {row}', en: 'Row {row}' },
  severityError: { vi: 'Lỗi', en: 'Error' },
  severityWarning: { vi: 'Cảnh báo', en: 'Warning' },
  severityInfo: { vi: 'Lưu ý', en: 'Note' },
  fieldStt: { vi: 'STT', en: 'No.' },
  fieldTask: { vi: 'Nhiệm vụ', en: 'Task' },
  fieldLead: { vi: 'Cơ quan chủ trì', en: 'Lead agency' },
  fieldSupport: { vi: 'Cơ quan phối hợp', en: 'Supporting agencies' },
  fieldDeadline: { vi: 'Thời hạn', en: 'Deadline' },
  fieldOutput: { vi: 'Kết quả đầu ra', en: 'Expected output' },
  // 2. convert
  convertHeading: { vi: '2. Lập bảng theo dõi', en: '2. Build the tracker' },
  convertHelp: { vi: 'Bảng theo dõi được tạo trên trang tính mới; trang phụ lục gốc giữ nguyên.', en: 'The tracker goes on a new sheet; the original annex stays untouched.' },
  sheetName: { vi: 'Tên trang tính mới', en: 'New sheet name' },
  convert: { vi: 'Lập bảng theo dõi', en: 'Build tracker' },
  converted: { vi: 'Đã lập bảng theo dõi “{sheet}” với {rows} dòng.', en: 'Built tracker “{sheet}” with {rows} rows.' },
  needDetect: { vi: 'Hãy nhận dạng phụ lục trước.', en: 'Recognise the annex first.' },
  fromDocument: { vi: 'Từ văn bản…', en: 'From a document…' },
  fromDocumentHelp: {
    vi: 'Hoặc chọn văn bản Word (.docx) hay văn bản chữ (.txt, .md): khung này tìm các nhiệm vụ trong đó (cả bảng phụ lục lẫn đoạn giao việc) để xem trước rồi lập bảng theo dõi. PDF: tạo trên trang quản trị của máy chủ; .xls: mở bằng Excel rồi Nhận dạng.',
    en: 'Or choose a Word document (.docx) or a text letter (.txt, .md): the pane finds its tasks (annex tables and assigning paragraphs) for you to check, then builds the tracker. PDF: create it on the service’s administration page; .xls: open it in Excel, then Recognise.',
  },
  documentFile: { vi: 'Văn bản (.docx, .txt, .md)', en: 'Document (.docx, .txt, .md)' },
  chooseDocument: { vi: 'Hãy chọn tệp văn bản trước.', en: 'Choose the document file first.' },
  documentFound: { vi: 'Tìm thấy {tasks} nhiệm vụ trong {name}. Kiểm tra rồi bấm Lập bảng theo dõi.', en: 'Found {tasks} tasks in {name}. Check them, then click Build the tracker.' },
  deadlineWritten: { vi: 'Thời hạn (văn bản ghi)', en: 'Deadline (as written)' },
  deadlineRead: { vi: 'Thời hạn (đã đọc)', en: 'Deadline (as read)' },
  // 3. check
  checkHeading: { vi: '3. Kiểm tra', en: '3. Check' },
  checkHelp: { vi: 'Tìm cơ quan lạ, thời hạn không đọc được, “Hoàn thành” thiếu ngày, ngày hoàn thành ở tương lai, STT trùng. Bấm vào một vấn đề để chọn ô.', en: 'Finds unknown agencies, unreadable deadlines, “Done” without a date, completion dates in the future, repeated numbers. Click a problem to select its cell.' },
  check: { vi: 'Kiểm tra', en: 'Check' },
  checked: { vi: 'Kiểm tra {rows} nhiệm vụ: {count} vấn đề.', en: 'Checked {rows} tasks: {count} problems.' },
  // 4. highlight
  highlightHeading: { vi: '4. Tô màu quá hạn', en: '4. Highlight overdue' },
  highlightHelp: { vi: 'Màu và cột “Phân loại” tính theo ngày báo cáo; để trống là theo hôm nay.', en: 'Colours and the Category column follow the reporting day; leave it empty for today.' },
  reportDate: { vi: 'Ngày báo cáo (dd/mm/yyyy)', en: 'Reporting day (dd/mm/yyyy)' },
  highlight: { vi: 'Tô màu', en: 'Highlight' },
  today: { vi: 'Theo hôm nay', en: 'As of today' },
  highlighted: { vi: 'Đã tô màu theo ngày {date}.', en: 'Highlighted as of {date}.' },
  highlightedToday: { vi: 'Đã tô màu theo ngày hôm nay.', en: 'Highlighted as of today.' },
  badDate: { vi: 'Ngày “{text}” không hợp lệ; nhập dd/mm/yyyy.', en: '“{text}” is not a valid day; enter dd/mm/yyyy.' },
  category: { vi: 'Phân loại', en: 'Category' },
  count: { vi: 'Số nhiệm vụ', en: 'Tasks' },
  total: { vi: 'Tổng', en: 'Total' },
  // 5. sync
  syncHeading: { vi: '5. Đồng bộ với máy chủ', en: '5. Sync with the service' },
  syncHelp: {
    vi: 'Địa chỉ và mã truy cập chỉ lưu trên máy tính này, không lưu trong sổ tính.',
    en: 'The address and token are kept on this computer only, never in the workbook.',
  },
  serviceUrl: { vi: 'Địa chỉ máy chủ', en: 'Service address' },
  token: { vi: 'Mã truy cập', en: 'Access token' },
  saveSettings: { vi: 'Lưu và kết nối', en: 'Save and connect' },
  connectedAs: { vi: 'Đã kết nối: {name} ({role}).', en: 'Connected: {name} ({role}).' },
  roleAdmin: { vi: 'quản trị – Sở KH&CN', en: 'administrator – DoST' },
  roleAgency: { vi: 'cơ quan', en: 'agency' },
  tracker: { vi: 'Bảng theo dõi trên máy chủ', en: 'Tracker on the service' },
  noTracker: { vi: '(chưa chọn)', en: '(none chosen)' },
  publish: { vi: 'Xuất bản lên máy chủ', en: 'Publish to the service' },
  published: { vi: 'Đã xuất bản {tasks} nhiệm vụ; mã bảng theo dõi {id}.', en: 'Published {tasks} tasks; tracker id {id}.' },
  pull: { vi: 'Tải bảng theo dõi về', en: 'Pull the tracker' },
  pulled: { vi: 'Đã tải {tasks} nhiệm vụ về trang “{sheet}”.', en: 'Pulled {tasks} tasks into sheet “{sheet}”.' },
  sync: { vi: 'Gửi thay đổi và cập nhật', en: 'Send changes and update' },
  sending: { vi: 'Đang gửi {sent}/{total} thay đổi…', en: 'Sending {sent}/{total} changes…' },
  sentCount: { vi: 'Đã gửi {sent}/{total} thay đổi.', en: 'Sent {sent}/{total} changes.' },
  synced: { vi: 'Đã gửi {applied} thay đổi, nhận {received} cập nhật.', en: 'Sent {applied} changes, received {received} updates.' },
  nothingToSend: { vi: 'Không có thay đổi nào cần gửi.', en: 'No changes to send.' },
  offlineQueued: {
    vi: 'Không kết nối được máy chủ. {count} thay đổi đã được lưu trên máy này và sẽ tự gửi khi có mạng; có thể tiếp tục làm việc.',
    en: 'The service cannot be reached. {count} changes are saved on this computer and will be sent when the connection is back; you can keep working.',
  },
  queued: { vi: '{count} thay đổi đang chờ gửi.', en: '{count} changes waiting to be sent.' },
  rejected: { vi: 'Không nhận: {reason}', en: 'Not accepted: {reason}' },
  conflicts: { vi: 'Xung đột ({count})', en: 'Conflicts ({count})' },
  conflictHelp: {
    vi: 'Trên máy chủ, người khác đã sửa cùng ô sau lần đồng bộ trước của bạn. Chọn bản giữ lại.',
    en: 'Someone else changed the same cell on the service since your last sync. Choose which to keep.',
  },
  mine: { vi: 'Của tôi', en: 'Mine' },
  theirs: { vi: 'Trên máy chủ', en: 'On the service' },
  submitted: { vi: 'Bản cơ quan gửi', en: 'Submitted' },
  keepMine: { vi: 'Giữ của tôi', en: 'Keep mine' },
  keepTheirs: { vi: 'Giữ bản trên máy chủ', en: 'Keep the service’s' },
  keepSubmitted: { vi: 'Giữ bản cơ quan gửi', en: 'Keep the submitted one' },
  conflictResolved: { vi: 'Đã giải quyết xung đột.', en: 'Conflict resolved.' },
  needSettings: { vi: 'Nhập địa chỉ máy chủ và mã truy cập trước.', en: 'Enter the service address and token first.' },
  needTracker: { vi: 'Chọn bảng theo dõi trên máy chủ trước.', en: 'Choose the tracker on the service first.' },
  adminOnly: { vi: 'Chỉ quản trị viên (Sở KH&CN) được xuất bản.', en: 'Only the administrator (DoST) may publish.' },
  taskN: { vi: 'Nhiệm vụ {stt}', en: 'Task {stt}' },
  progressStatus: { vi: 'Tình trạng', en: 'Progress' },
  progressResult: { vi: 'Kết quả thực hiện', en: 'Result so far' },
  progressCompletedOn: { vi: 'Ngày hoàn thành', en: 'Completed on' },
  progressEvidence: { vi: 'Văn bản/sản phẩm', en: 'Document/product' },
  progressNote: { vi: 'Ghi chú', en: 'Notes' },
  // 6. report
  reportHeading: { vi: '6. Báo cáo', en: '6. Report' },
  reportHelp: { vi: 'Trang báo cáo: tổng hợp theo cơ quan, danh sách quá hạn và sắp đến hạn, biểu đồ.', en: 'Report sheet: summary by agency, late and due-soon list, chart.' },
  report: { vi: 'Lập trang báo cáo', en: 'Make the report sheet' },
  reported: { vi: 'Đã lập trang báo cáo “{sheet}”.', en: 'Made report sheet “{sheet}”.' },
  // features
  featuresMissing: {
    vi: 'Phiên bản Excel này (Excel API {api}) không hỗ trợ:',
    en: 'This version of Excel (Excel API {api}) does not support:',
  },
  featuresFallback: {
    vi: 'Bảng theo dõi vẫn được lập nhưng thiếu các phần trên. Có thể tải sổ tính đầy đủ từ máy chủ:',
    en: 'The tracker is still built, without the parts above. The complete workbook can be downloaded from the service:',
  },
  exportLink: { vi: 'Tải sổ tính theo dõi (export.xlsx)', en: 'Download the tracker workbook (export.xlsx)' },
  exportNeedsTracker: { vi: '(cần kết nối máy chủ và chọn bảng theo dõi ở mục 5)', en: '(connect to the service and choose a tracker in step 5)' },
  error: { vi: 'Lỗi: {message}', en: 'Error: {message}' },
  noTrackerSheet: { vi: 'Chưa có bảng theo dõi: hãy lập ở bước 2 hoặc tải về ở bước 5.', en: 'No tracker sheet yet: build one in step 2 or pull one in step 5.' },
} as const;

export type WordKey = keyof typeof WORDS;

const LANG_KEY = 'annexTracker.lang';
let current: Lang = 'vi';

export function initialLang(storage: Pick<Storage, 'getItem'> | null): Lang {
  const saved = storage?.getItem(LANG_KEY);
  return saved === 'en' ? 'en' : 'vi';
}

export function setLang(lang: Lang, storage?: Pick<Storage, 'setItem'> | null): void {
  current = lang;
  storage?.setItem(LANG_KEY, lang);
}

export function lang(): Lang {
  return current;
}

/** The word in the current language, with {name} placeholders filled. */
export function t(key: WordKey, params: Record<string, string | number> = {}): string {
  return WORDS[key][current].replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}

/** A bilingual pair (from the core or the service) in the current language. */
export function pick(pair: { vi: string; en: string } | { message: string; messageEn: string }): string {
  if ('vi' in pair) return pair[current];
  return current === 'en' ? pair.messageEn : pair.message;
}

/** Re-labels every element marked with data-i18n / data-i18n-attr under root. */
export function translate(root: ParentNode): void {
  const texts = root.querySelectorAll('[data-i18n]');
  for (let i = 0; i < texts.length; i++) {
    const el = texts[i] as HTMLElement;
    el.textContent = t(el.getAttribute('data-i18n') as WordKey);
  }
  const attrs = root.querySelectorAll('[data-i18n-attr]');
  for (let i = 0; i < attrs.length; i++) {
    const el = attrs[i] as HTMLElement;
    for (const pair of (el.getAttribute('data-i18n-attr') ?? '').split(';')) {
      const [attr, key] = pair.split(':');
      if (attr && key) el.setAttribute(attr.trim(), t(key.trim() as WordKey));
    }
  }
  if (root instanceof Document) root.documentElement.lang = current;
}
