/**
 * The page's words, Vietnamese first with English beside them, and the number
 * and date formats of each language. Category and progress labels come from
 * shared/status.ts so the page says what the workbooks say.
 */
import { isoFromParts } from '../../shared/dates';
import type { ProgressStatus, StatusCategory } from '../../shared/schemas';
import { CATEGORY_LABELS, PROGRESS_LABELS } from '../../shared/status';

export type Lang = 'vi' | 'en';
export interface Pair {
  vi: string;
  en: string;
}

const STRINGS = {
  appTitle: { vi: 'Theo dõi nhiệm vụ', en: 'Task tracker' },
  appSubtitle: { vi: 'Sở Khoa học và Công nghệ — tổng hợp báo cáo các cơ quan', en: 'Department of Science and Technology — agencies’ reports merged' },
  skip: { vi: 'Bỏ qua, đến nội dung chính', en: 'Skip to the main content' },
  switchLang: { vi: 'English', en: 'Tiếng Việt' },
  switchLangLabel: { vi: 'Chuyển sang tiếng Anh', en: 'Switch to Vietnamese' },
  signIn: { vi: 'Đăng nhập', en: 'Sign in' },
  signInHelp: {
    vi: 'Nhập mã truy cập Sở Khoa học và Công nghệ đã cấp cho cơ quan của bạn. Mã chỉ được giữ trong thẻ trình duyệt này.',
    en: 'Enter the access token the Department of Science and Technology gave your agency. It is kept in this browser tab only.',
  },
  token: { vi: 'Mã truy cập', en: 'Access token' },
  tokenMissing: { vi: 'Hãy nhập mã truy cập.', en: 'Enter the access token.' },
  signedOut: { vi: 'Phiên đăng nhập đã hết; hãy đăng nhập lại.', en: 'Your session ended; sign in again.' },
  signOut: { vi: 'Đăng xuất', en: 'Sign out' },
  roleAgency: { vi: 'Cơ quan', en: 'Agency' },
  roleAdmin: { vi: 'Quản trị viên', en: 'Administrator' },
  pages: { vi: 'Các trang', en: 'Pages' },
  viewOverview: { vi: 'Tổng quan', en: 'Overview' },
  viewTasks: { vi: 'Nhiệm vụ', en: 'Tasks' },
  viewConflicts: { vi: 'Xung đột', en: 'Conflicts' },
  viewAdmin: { vi: 'Quản trị', en: 'Administration' },
  filters: { vi: 'Bộ lọc', en: 'Filters' },
  activeFilters: { vi: '{n} đang dùng', en: '{n} in use' },
  tracker: { vi: 'Bảng theo dõi', en: 'Tracker' },
  asOf: { vi: 'Ngày báo cáo', en: 'Reporting date' },
  agency: { vi: 'Cơ quan chủ trì', en: 'Lead agency' },
  allAgencies: { vi: 'Tất cả cơ quan', en: 'All agencies' },
  section: { vi: 'Mục', en: 'Section' },
  allSections: { vi: 'Tất cả các mục', en: 'All sections' },
  category: { vi: 'Phân loại', en: 'Category' },
  allCategories: { vi: 'Tất cả phân loại', en: 'All categories' },
  search: { vi: 'Tìm trong nội dung nhiệm vụ', en: 'Search the task text' },
  searchHint: { vi: 'Gõ có dấu hoặc không dấu', en: 'With or without diacritics' },
  clearFilters: { vi: 'Xoá bộ lọc', en: 'Clear filters' },
  loading: { vi: 'Đang tải…', en: 'Loading…' },
  loaded: { vi: 'Đã tải {n} nhiệm vụ.', en: 'Loaded {n} tasks.' },
  showing: { vi: 'Đang hiện {n} nhiệm vụ.', en: 'Showing {n} tasks.' },
  noTrackers: { vi: 'Chưa có bảng theo dõi nào.', en: 'There is no tracker yet.' },
  noTrackersAdmin: { vi: 'Chưa có bảng theo dõi nào: hãy tạo từ tệp phụ lục ở trang Quản trị.', en: 'There is no tracker yet: create one from an annex file under Administration.' },
  asOfLine: { vi: 'Số liệu đến ngày {date}', en: 'Figures as of {date}' },
  periodLine: { vi: 'Kỳ báo cáo tháng {month}; hạn gửi báo cáo {date}', en: 'Reporting month {month}; reports due by {date}' },
  downloads: { vi: 'Tải về', en: 'Downloads' },
  downloadTracker: { vi: 'Tải bảng theo dõi tổng hợp (.xlsx)', en: 'Download the merged tracker (.xlsx)' },
  downloadReport: { vi: 'Tải báo cáo tháng (.xlsx)', en: 'Download the monthly report (.xlsx)' },
  downloaded: { vi: 'Đã tải về {name}.', en: 'Downloaded {name}.' },
  summary: { vi: 'Tổng hợp theo phân loại', en: 'Totals by category' },
  totalTasks: { vi: 'Tổng số nhiệm vụ', en: 'Tasks' },
  rateOfAll: { vi: 'Tỷ lệ hoàn thành (trên tổng số)', en: 'Completion rate (of all tasks)' },
  rateOfDue: { vi: 'Tỷ lệ hoàn thành (trên số đã đến hạn)', en: 'Completion rate (of tasks due)' },
  rateDetail: { vi: '{done}/{of} nhiệm vụ', en: '{done} of {of} tasks' },
  byAgencyNote: { vi: 'Đếm theo báo cáo riêng của cơ quan đã chọn.', en: 'Counted by the chosen agency’s own reports.' },
  chart: { vi: 'Phân loại theo cơ quan chủ trì', en: 'Categories by lead agency' },
  chartNote: {
    vi: 'Mỗi nhiệm vụ được tính cho từng cơ quan chủ trì theo báo cáo của cơ quan đó; cơ quan có nhiều nhiệm vụ quá hạn nhất đứng đầu.',
    en: 'Each task counts for each lead agency by that agency’s own report; agencies with the most overdue tasks come first.',
  },
  chartRow: { vi: '{name}: {n} nhiệm vụ; {parts}', en: '{name}: {n} tasks; {parts}' },
  chartTasks: { vi: '{n} nhiệm vụ', en: '{n} tasks' },
  chartEmpty: { vi: 'Không có nhiệm vụ nào khớp bộ lọc.', en: 'No task matches the filters.' },
  showAllAgencies: { vi: 'Hiện tất cả {n} cơ quan', en: 'Show all {n} agencies' },
  chartTable: { vi: 'Xem số liệu dạng bảng', en: 'Show the figures as a table' },
  you: { vi: '(cơ quan bạn)', en: '(your agency)' },
  late: { vi: 'Nhiệm vụ quá hạn và sắp đến hạn', en: 'Overdue and due-soon tasks' },
  lateEmpty: { vi: 'Không có nhiệm vụ quá hạn hay sắp đến hạn.', en: 'No task is overdue or due soon.' },
  no: { vi: 'STT', en: 'No.' },
  task: { vi: 'Nhiệm vụ', en: 'Task' },
  lead: { vi: 'Cơ quan chủ trì', en: 'Lead' },
  pendingLeads: { vi: 'Chưa hoàn thành', en: 'Not done by' },
  deadline: { vi: 'Thời hạn (như văn bản)', en: 'Deadline (as written)' },
  due: { vi: 'Hạn (ngày)', en: 'Due date' },
  daysLate: { vi: 'Số ngày quá hạn', en: 'Days late' },
  daysLeft: { vi: 'Còn {n} ngày', en: '{n} days left' },
  lateBy: { vi: 'Quá {n} ngày', en: '{n} days late' },
  progress: { vi: 'Tình trạng', en: 'Progress' },
  timing: { vi: 'Quá hạn / còn lại', en: 'Late / left' },
  reporting: { vi: 'Tình hình gửi báo cáo kỳ này', en: 'Who reported this period' },
  reportingLine: {
    vi: '{reported}/{total} cơ quan đã báo cáo, {onTime} đúng hạn (hạn {date}).',
    en: '{reported} of {total} agencies reported, {onTime} on time (due {date}).',
  },
  reported: { vi: 'Đã báo cáo', en: 'Reported' },
  onTime: { vi: 'Đúng hạn', en: 'On time' },
  firstOn: { vi: 'Ngày báo cáo đầu tiên', en: 'First report on' },
  submissions: { vi: 'Số lần gửi', en: 'Submissions' },
  yes: { vi: 'Có', en: 'Yes' },
  noWord: { vi: 'Không', en: 'No' },
  notYetDue: { vi: 'Chưa đến hạn', en: 'Not yet due' },
  badDay: { vi: 'Ngày không có thật; viết dd/mm/yyyy, ví dụ 25/06/2026', en: 'Not a real day; write dd/mm/yyyy, e.g. 25/06/2026' },
  badToken: { vi: 'Mã truy cập không đúng, đã hết hiệu lực hoặc đã bị thu hồi. Hãy hỏi quản trị viên mã mới.', en: 'The access token is wrong, expired or revoked. Ask the administrator for a new one.' },
  tasksTitle: { vi: 'Danh sách nhiệm vụ', en: 'Task list' },
  ownFirst: { vi: 'Nhiệm vụ cơ quan bạn chủ trì được xếp trước.', en: 'Tasks your agency leads come first.' },
  mine: { vi: 'Của cơ quan bạn', en: 'Yours' },
  showMore: { vi: 'Hiện thêm {n}', en: 'Show {n} more' },
  shownOf: { vi: 'Đang hiện {shown}/{total}', en: 'Showing {shown} of {total}' },
  conflictsTitle: { vi: 'Xung đột cần quyết định', en: 'Conflicts to decide' },
  conflictsNone: { vi: 'Không có xung đột nào đang chờ.', en: 'No conflict is waiting.' },
  conflictsHelp: {
    vi: 'Hai bên cùng sửa một trường: giá trị đang lưu được giữ nguyên, giá trị cơ quan gửi được giữ lại ở đây để quyết định.',
    en: 'Two writers changed one field: the stored value stayed, the agency’s value waits here for a decision.',
  },
  conflictMeta: { vi: 'Cơ quan: {agency} · Trường: {field} · Gửi lúc {at}', en: 'Agency: {agency} · Field: {field} · Sent {at}' },
  yours: { vi: 'Giá trị cơ quan gửi', en: 'The agency’s value' },
  theirs: { vi: 'Giá trị đang lưu', en: 'The stored value' },
  chooseYours: { vi: 'Dùng giá trị cơ quan gửi', en: 'Use the agency’s value' },
  chooseTheirs: { vi: 'Giữ giá trị đang lưu', en: 'Keep the stored value' },
  ownValue: { vi: 'Hoặc nhập giá trị khác', en: 'Or type another value' },
  saveValue: { vi: 'Lưu giá trị này', en: 'Save this value' },
  resolved: { vi: 'Đã lưu quyết định cho xung đột.', en: 'The conflict is decided.' },
  empty: { vi: '(trống)', en: '(empty)' },
  history: { vi: 'Lịch sử thay đổi của nhiệm vụ', en: 'The task’s history' },
  historyNone: { vi: 'Chưa có thay đổi nào.', en: 'No change yet.' },
  historyLine: { vi: '{field}: {old} → {new}', en: '{field}: {old} → {new}' },
  historyBy: { vi: '{at} · {agency} · bởi {by} · phiên bản {version}', en: '{at} · {agency} · by {by} · version {version}' },
  adminTitle: { vi: 'Quản trị', en: 'Administration' },
  createAgency: { vi: 'Tạo cơ quan và cấp mã truy cập', en: 'Create an agency and its token' },
  agencyName: { vi: 'Tên cơ quan', en: 'Agency name' },
  createAgencyButton: { vi: 'Tạo cơ quan', en: 'Create agency' },
  tokenOnce: {
    vi: 'Mã truy cập của {name}. Mã chỉ hiện một lần: hãy sao chép và gửi cho cơ quan qua kênh an toàn.',
    en: 'Access token of {name}. It is shown once: copy it and send it to the agency over a safe channel.',
  },
  copy: { vi: 'Sao chép', en: 'Copy' },
  copied: { vi: 'Đã sao chép mã.', en: 'Token copied.' },
  agencyCreated: { vi: 'Đã tạo cơ quan {name}.', en: 'Created {name}.' },
  agenciesTitle: { vi: 'Các cơ quan', en: 'Agencies' },
  manageTokens: { vi: 'Mã truy cập…', en: 'Tokens…' },
  tokensOf: { vi: 'Mã truy cập của {name}', en: 'Access tokens of {name}' },
  tokenState: { vi: 'Trạng thái', en: 'State' },
  tokenActive: { vi: 'Đang dùng', en: 'Active' },
  tokenRevokedAt: { vi: 'Đã thu hồi {at}', en: 'Revoked {at}' },
  actions: { vi: 'Thao tác', en: 'Actions' },
  revokeToken: { vi: 'Thu hồi', en: 'Revoke' },
  tokenRevoked: { vi: 'Đã thu hồi một mã của {name}.', en: 'Revoked a token of {name}.' },
  rotateToken: { vi: 'Cấp mã mới, thu hồi mọi mã cũ', en: 'Issue a new token, revoke all older ones' },
  rotateHelp: {
    vi: 'Khi mã bị lộ hoặc bị mất: cấp mã mới cho cơ quan; các mã cũ hết hiệu lực ngay.',
    en: 'When a token is leaked or lost: issue the agency a new one; the older ones stop working at once.',
  },
  tokenRotated: { vi: 'Đã cấp mã mới cho {name}; {n} mã cũ bị thu hồi.', en: 'Issued {name} a new token; {n} older ones revoked.' },
  registryId: { vi: 'Mã danh mục', en: 'Registry id' },
  createdAt: { vi: 'Tạo lúc', en: 'Created' },
  createTracker: { vi: 'Tạo bảng theo dõi từ văn bản', en: 'Create a tracker from a document' },
  documentFile: { vi: 'Văn bản hoặc phụ lục ({types})', en: 'Document or annex ({types})' },
  previewButton: { vi: 'Xem trước các nhiệm vụ', en: 'Preview the tasks' },
  previewFound: { vi: 'Tìm thấy {n} nhiệm vụ trong {name}. Bỏ chọn những dòng không phải nhiệm vụ rồi xác nhận.', en: 'Found {n} tasks in {name}. Untick the rows that are not tasks, then confirm.' },
  previewCaption: { vi: 'Các nhiệm vụ tìm thấy trong {name}', en: 'Tasks found in {name}' },
  confirmTracker: { vi: 'Tạo bảng theo dõi với {n} nhiệm vụ đã chọn', en: 'Create the tracker with the {n} ticked tasks' },
  include: { vi: 'Giữ', en: 'Keep' },
  includeTask: { vi: 'Giữ nhiệm vụ {stt}', en: 'Keep task {stt}' },
  stt: { vi: 'STT', en: 'No.' },
  taskText: { vi: 'Nhiệm vụ', en: 'Task' },
  leadAgency: { vi: 'Cơ quan chủ trì', en: 'Lead agency' },
  deadlineWritten: { vi: 'Thời hạn (như văn bản ghi)', en: 'Deadline (as written)' },
  deadlineRead: { vi: 'Thời hạn (đã đọc)', en: 'Deadline (as read)' },
  diagnosticsTitle: { vi: 'Chẩn đoán ({n})', en: 'Diagnostics ({n})' },
  row: { vi: 'Dòng', en: 'Row' },
  trackerTitle: { vi: 'Tiêu đề (không bắt buộc)', en: 'Title (optional)' },
  trackerCreated: { vi: 'Đã tạo bảng theo dõi “{title}” với {n} nhiệm vụ.', en: 'Created tracker “{title}” with {n} tasks.' },
  submitWorkbook: { vi: 'Nộp bảng theo dõi do cơ quan gửi lại', en: 'Merge a tracker workbook an agency sent back' },
  workbookFile: { vi: 'Tệp bảng theo dõi (.xlsx)', en: 'Tracker workbook (.xlsx)' },
  onBehalfOf: { vi: 'Thay mặt cơ quan', en: 'On behalf of' },
  send: { vi: 'Gửi', en: 'Send' },
  submitted: {
    vi: 'Đã hợp nhất: {applied} nhiệm vụ cập nhật, {conflicts} xung đột, {rejected} bị từ chối, {unmatched} dòng không khớp.',
    en: 'Merged: {applied} tasks updated, {conflicts} conflicts, {rejected} refused, {unmatched} rows unmatched.',
  },
  chooseFile: { vi: 'Hãy chọn tệp.', en: 'Choose a file.' },
  networkError: { vi: 'Không kết nối được máy chủ.', en: 'Could not reach the server.' },
} satisfies Record<string, Pair>;

export type StringKey = keyof typeof STRINGS;

export const FIELD_LABELS: Record<string, Pair> = {
  status: { vi: 'Tình trạng', en: 'Progress' },
  result: { vi: 'Kết quả thực hiện', en: 'Result so far' },
  completedOn: { vi: 'Ngày hoàn thành', en: 'Completed on' },
  evidence: { vi: 'Văn bản/sản phẩm', en: 'Document/product' },
  note: { vi: 'Ghi chú', en: 'Notes' },
};

let current: Lang = 'vi';

export function getLang(): Lang {
  return current;
}

export function setLang(lang: Lang): void {
  current = lang;
  document.documentElement.lang = lang;
  document.title = `${pick(STRINGS.appTitle)} — ${lang === 'vi' ? 'Sở Khoa học và Công nghệ' : 'DoST'}`;
}

export function pick(pair: Pair): string {
  return pair[current];
}

/** The string, with {name} placeholders filled in. */
export function t(key: StringKey, values: Record<string, string | number> = {}): string {
  return pick(STRINGS[key]).replace(/\{(\w+)\}/g, (_, name: string) => String(values[name] ?? `{${name}}`));
}

export const categoryLabel = (c: StatusCategory): string => pick(CATEGORY_LABELS[c]);
export const progressLabel = (s: ProgressStatus): string => pick(PROGRESS_LABELS[s]);
export const fieldLabel = (field: string): string => (FIELD_LABELS[field] ? pick(FIELD_LABELS[field]) : field);

/** "25/6/2026" or "25-06-2026" → "2026-06-25"; null when it is not a real day (31/02 is none). */
export function parseDay(text: string): string | null {
  const m = /^\s*(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})\s*$/.exec(text);
  return m ? isoFromParts(Number(m[3]), Number(m[2]), Number(m[1])) : null;
}

/** dd/mm/yyyy, as Vietnamese documents write dates (also in English, so both read the same). */
export function formatDay(iso: string | null | undefined): string {
  if (!iso) return '—';
  const [y, m, d] = iso.slice(0, 10).split('-');
  return `${d}/${m}/${y}`;
}

/** A moment in the local time of the reader, day first. */
export function formatMoment(at: string | null | undefined): string {
  if (!at) return '—';
  const date = new Date(at);
  if (Number.isNaN(date.getTime())) return at;
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${pad(date.getDate())}/${pad(date.getMonth() + 1)}/${date.getFullYear()} ${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

export function formatPercent(rate: number | null): string {
  if (rate === null) return '—';
  return new Intl.NumberFormat(current === 'vi' ? 'vi-VN' : 'en-GB', { style: 'percent', maximumFractionDigits: 1 }).format(rate);
}

/** "2026-06" → "06/2026". */
export const formatMonth = (month: string): string => `${month.slice(5, 7)}/${month.slice(0, 4)}`;
