/**
 * Who a prose line assigns: an owner heading ("2. Sở Khoa học và Công nghệ",
 * "1. Ủy ban nhân dân các xã, phường:", "4. Đề nghị Ban Tuyên giáo …"), an agency
 * as the subject of the sentence ("Sở Nội vụ hướng dẫn …", "Công an Thành phố:
 * phối hợp …"), or the object of "Giao / Đề nghị / Yêu cầu" ("Giao Sở … theo dõi",
 * "Về …: giao Bộ … chủ trì"), and whom it works with ("phối hợp với …").
 *
 * A subject ends at its duty verb. Verbs are matched in lower case only, except a
 * few that never start a word of a name ("Khẩn trương", "Phối hợp"), because names
 * hold verbs in capitals ("Sở Xây dựng", "Ban Chỉ đạo").
 */
import { fold } from './fold';

/** Words an agency name (or a group of them) starts with, folded. */
const AGENCY_START =
  /^(?:cac |toan the )?(?:so|uy ban|ubnd|hdnd|hoi dong|cong an|ban|bo|cuc|vu|van phong|vp|dang uy|dang doan|dang bo|to|cong ty|tong cong ty|tap doan|trung tam|hoi|dai|bao|chi cuc|phong|thanh tra|kho bac|ngan hang|bao hiem|toa an|vien|tinh doan|thanh doan|doan|mat tran|ubmttq|mttq|co quan|chu tich|giam doc|thu truong|bo truong|cap uy|chinh quyen|lien doan|lien hiep|bo chi huy|canh sat|don vi|chu dau tu|benh vien|hoc vien|truong|quan khu|bo doi|ttxvn|thong tan xa)\b/;
const GROUP_START = /^cac \S/;
/** Phrases that start like a name but are not one. */
const NOT_AGENCY = /^(?:to chuc|ban hanh|bao cao|bao dam|bo tri|bo sung|phong chong|phong ngua|hoi nghi|hoi thao|dai hoi|vien tro|truong hop|don vi tinh|co quan nha nuoc|so hoa|so lieu|so luong|cac (?:nhiem vu|noi dung|giai phap|chi tieu|muc tieu|van ban|chuong trinh|de an|du an|hoat dong|linh vuc|thu tuc|chinh sach|quy dinh|bieu mau|tieu chi|san pham|ket qua|ke hoach))\b/;

/** Duty verbs, folded; a subject ends where one starts. */
const VERBS = [
  'chu tri', 'phoi hop', 'thuc hien', 'khan truong', 'tham muu', 'huong dan', 'ra soat', 'xay dung', 'to chuc',
  'chi dao', 'theo doi', 'tong hop', 'bao cao', 'nghien cuu', 'trien khai', 'uu tien', 'tiep tuc', 'tang cuong',
  'chu dong', 'co trach nhiem', 'chiu trach nhiem', 'la co quan', 'la dau moi', 'don doc', 'kiem tra', 'bo tri',
  'can doi', 'day manh', 'nang cao', 'quan tam', 'dam bao', 'bao dam', 'lanh dao', 'cap nhat', 'hoan thanh',
  'hoan thien', 'de xuat', 'trinh', 'ban hanh', 'phat huy', 'tap trung', 'gui', 'cung cap', 'quan ly', 'giam sat',
  'xu ly', 'thong bao', 'tuyen truyen', 'pho bien', 'lua chon', 'khac phuc', 'thanh lap', 'kien toan', 'dieu chinh',
  'tiep nhan', 'giai quyet', 'ho tro', 'van hanh', 'phan cong', 'ky ket', 'lam viec', 'dang ky', 'su dung', 'ap dung',
  'thuc thi', 'cat giam', 'chuan bi', 'khao sat', 'danh gia', 'soan thao', 'tham dinh', 'tong ket', 'so ket',
  'nghiem tuc', 'can cu', 'phan dau', 'dong gop', 'tham gia', 'bo sung', 'rut kinh nghiem', 'xac dinh', 'dieu phoi',
  'phan tich', 'thong ke', 'quan triet', 'dau tu', 'nang cap', 'mo rong', 'tuyen dung',
  'dinh ky', 'thuong xuyen', 'kip thoi',
  'chiu', 'co van ban', 'tiep thu', 'tich cuc', 'huy dong', 'bo tri', 'de nghi', 'yeu cau', 'giao',
];
const VERB = new RegExp(`(?:^|[\\s,;(])(${[...new Set(VERBS)].sort((a, b) => b.length - a.length).join('|')})(?=$|[\\s,;:.)])`, 'g');
/** Verbs that may be capitalised after a name run together with it ("3. Cục Điện ảnh Phối hợp với …"). */
const CAPITAL_VERBS = new Set(['chu tri', 'phoi hop', 'khan truong', 'tham muu', 'chiu trach nhiem', 'co trach nhiem', 'tap trung', 'tiep tuc', 'chu dong', 'uu tien']);
/** Verb readings that are words of a name ("Ban Quản lý dự án đầu tư xây dựng"). */
const NAME_WORDS = /(?:dau tu|ban|chi cuc|trung tam|la) $/;
/** Opening words that hand a duty to the agency after them. */
const HANDOVER = /^(?:giao(?: cho)?|de nghi|yeu cau|uy quyen cho) /;
/** "Về <topic>: …" — the duty follows the colon. */
const TOPIC = /^ve [^:]{1,200}: /;
/** Longest subject, in words. */
const SUBJECT_WORDS = 40;

export interface Owner {
  /** The agency (or agencies) as written. */
  name: string;
}

export interface Assignment {
  owner: string;
  /** The duty, from its verb on ("" when the line is only a heading). */
  duty: string;
  /** Offset of the duty in the line. */
  dutyStart: number;
}

function startsAsAgency(folded: string): boolean {
  return (AGENCY_START.test(folded) || GROUP_START.test(folded)) && !NOT_AGENCY.test(folded);
}

/** The first duty verb at or after `from`: its offset, or -1. */
function firstVerb(text: string, folded: string, from: number): number {
  VERB.lastIndex = from;
  for (let m = VERB.exec(folded); m; m = VERB.exec(folded)) {
    const at = m.index + m[0].length - m[1].length;
    const ch = text[at];
    const lower = ch === ch.toLowerCase();
    if ((lower || CAPITAL_VERBS.has(m[1])) && !NAME_WORDS.test(folded.slice(Math.max(0, at - 12), at))) return at;
    VERB.lastIndex = m.index + 1;
  }
  return -1;
}

function wordCount(text: string): number {
  let n = 1;
  for (let i = 0; i < text.length; i++) if (text[i] === ' ') n += 1;
  return n;
}

function trimOwner(owner: string): string {
  return owner.replace(/^[\s\-–—,]+/u, '').replace(/[\s,;:\-–—]+$/u, '');
}

/**
 * The agency a line assigns and its duty, when the line says so: an owner heading
 * (duty ""), "Owner: duty", "Owner duty-verb …" or "Giao Owner duty-verb …".
 */
export function assignmentOf(text: string): Assignment | null {
  const folded = fold(text);
  let start = 0;
  const topic = TOPIC.exec(folded);
  if (topic) start = topic[0].length;
  const handover = HANDOVER.exec(folded.slice(start));
  if (handover) start += handover[0].length;
  else if (topic) {
    // "Về …: giao Bộ …" — the handover may follow the topic.
    const inner = /(?:^|[.;] )(?:giao(?: cho)?|de nghi|yeu cau) /.exec(folded.slice(start));
    if (!inner) return null;
    start += inner.index + inner[0].length;
  }
  const rest = folded.slice(start);
  if (!startsAsAgency(rest)) return null;

  const verb = firstVerb(text, folded, start);
  const colon = text.indexOf(':', start);
  const sentenceEnd = firstSentenceEnd(text, start);
  let end = verb;
  if (colon >= 0 && (end < 0 || colon < end) && colon < sentenceEnd) end = colon;
  if (end < 0 || end > sentenceEnd) {
    // No duty: the whole line names the owner (a heading), if it is short enough.
    const owner = trimOwner(text.slice(start));
    return wordCount(owner) <= SUBJECT_WORDS && sentenceEnd >= text.length ? { owner, duty: '', dutyStart: text.length } : null;
  }
  const owner = trimOwner(text.slice(start, end));
  if (owner === '' || wordCount(owner) > SUBJECT_WORDS) return null;
  let dutyStart = end;
  if (text[end] === ':') {
    dutyStart = end + 1;
    while (text[dutyStart] === ' ') dutyStart += 1;
    // "Owner: Công ty A; Công ty B" lists members, not a duty.
    if (firstVerb(text, folded, dutyStart) !== dutyStart && !HANDOVER.test(folded.slice(dutyStart))) {
      return { owner, duty: '', dutyStart: text.length };
    }
  }
  return { owner, duty: text.slice(dutyStart), dutyStart };
}

/** Offset of the first full stop that ends a sentence (followed by a capital or the end), or the length. */
function firstSentenceEnd(text: string, from: number): number {
  for (let i = from; i < text.length; i++) {
    if (text[i] !== '.' && text[i] !== '!' && text[i] !== '?') continue;
    if (i === text.length - 1) return i;
    const next = text[i + 1] === ' ' ? text[i + 2] : undefined;
    if (next !== undefined && next !== next.toLowerCase()) return i;
  }
  return text.length;
}

const SUPPORT = /(?:^|[\s,;])phoi hop (?:voi|cung) /g;

/** The agencies a duty says the owner works with ("phối hợp với …"), as written, or "". */
export function supportOf(text: string): string {
  const folded = fold(text);
  const found: string[] = [];
  for (const m of folded.matchAll(SUPPORT)) {
    const from = m.index + m[0].length;
    if (!startsAsAgency(folded.slice(from))) continue;
    let end = firstVerb(text, folded, from);
    const stop = /[.;:(]/.exec(text.slice(from));
    if (stop && (end < 0 || from + stop.index < end)) end = from + stop.index;
    if (end < 0) end = text.length;
    const piece = trimOwner(text.slice(from, end));
    if (piece && wordCount(piece) <= SUBJECT_WORDS) found.push(piece);
  }
  return found.join('; ');
}


/** Whether an unnumbered line only states a deadline ("Đảm bảo hoàn thành trong quý I/2026."). */
export function isDeadlineOnly(text: string): boolean {
  return /^(?:(?:dam bao|bao dam|phai|can) )?(?:hoan thanh|xong|thoi han(?: hoan thanh)?:?|han hoan thanh:?)\b[^.;]{0,60}[.;]?$/.test(fold(text)) && wordCount(text) <= 16;
}

/** A sentence that only asks for the letter to be carried out ("Yêu cầu … nghiêm túc triển khai thực hiện./."). */
export function isClosingSentence(sentence: string): boolean {
  const folded = fold(sentence);
  return (
    /\b(?:yeu cau|de nghi)\b/.test(folded) &&
    wordCount(sentence) <= 35 &&
    /(?:thuc hien|trien khai)(?: nghiem(?: tuc)?)?(?: (?:ke hoach|van ban|cong van|chi thi|quyet dinh|thong bao|cong dien)(?: nay)?)?(?: theo quy dinh)?[\s./]*$/.test(folded)
  );
}

/** The issuer introducing the list ("Chủ tịch Ủy ban nhân dân tỉnh yêu cầu:"), not a duty. */
export function isIntroduction(duty: string): boolean {
  return /^(?:yeu cau|de nghi|chi dao|giao|quyet dinh|ket luan|thong bao|dong y)\b[^.]{0,60}:$/.test(fold(duty).trim());
}
