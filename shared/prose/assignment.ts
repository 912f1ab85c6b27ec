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
  /^(?:cac |toan the |lanh dao (?:cac )?)?(?:so|uy ban|ubnd|hdnd|hoi dong|cong an|ban|bo|cuc|vu|van phong|vp|dang uy|dang doan|dang bo|to|cong ty|tong cong ty|tap doan|trung tam|hoi|dai|bao|chi cuc|phong|thanh tra|kho bac|ngan hang|bao hiem|toa an|vien|tinh doan|thanh doan|doan|mat tran|thuong truc|ubmttq|mttq|co quan|chu tich|giam doc|thu truong|bo truong|cap uy|chinh quyen|lien doan|lien hiep|bo chi huy|canh sat|don vi|chu dau tu|benh vien|hoc vien|truong|quan khu|bo doi|ttxvn|thong tan xa|bhxh|kbnn|nhnn|bchqs|ldld|hlhpn|hoi lhpn|ccb|ubkt|bch|cand|qdnd)\b/;
/** Groups named by what their members are ("các địa phương", "các thành viên …", "các đồng chí …"). */
const GROUP_START = /^cac (?:nganh|dia phuong|xa|phuong|tinh|thanh pho|doanh nghiep|to chuc|doan the|chu dau tu|chu rung|nha truong|co so|thanh vien|dong chi|cap|lanh dao|thu truong|giam doc|chu tich|nha thau|don vi)\b/;
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
  'phan tich', 'thong ke', 'quan triet', 'nang cap', 'mo rong', 'tuyen dung',
  'dinh ky', 'thuong xuyen', 'kip thoi', 'phai', 'can phai', 'theo chuc nang', 'tien hanh', 'tren co so',
  'chiu', 'co van ban', 'tiep thu', 'tich cuc', 'huy dong', 'bo tri', 'de nghi', 'yeu cau', 'giao',
];
const VERB = new RegExp(`(?:^|[\\s,;(])(${[...new Set(VERBS)].sort((a, b) => b.length - a.length).join('|')})(?=$|[\\s,;:.)])`, 'g');
/** Verbs that may be capitalised after a name run together with it ("3. Cục Điện ảnh Phối hợp với …"). */
const CAPITAL_VERBS = new Set(['chu tri', 'phoi hop', 'khan truong', 'tham muu', 'chiu trach nhiem', 'co trach nhiem', 'tap trung', 'tiep tuc', 'chu dong', 'uu tien']);
/** Verbs whose folded form other words share ("giáo", "mỗi"): they count only spelt so. */
const SPELLING = new Map([
  ['giao', 'giao'],
  ['gui', 'gửi'],
  ['trinh', 'trình'],
  ['chiu', 'chịu'],
  ['phai', 'phải'],
  ['can phai', 'cần phải'],
  ['de nghi', 'đề nghị'],
]);
/** Verb readings that are words of a name ("Ban Quản lý dự án đầu tư xây dựng"). */
const NAME_WORDS = /(?:dau tu|ban|chi cuc|trung tam|la|duoc|cac) $/;
/** An inline enumerator opening a list of duties: "(i)", "(1)", "a)". */
export const ENUMERATOR = /^(?:\((?:\d{1,2}|[ivx]{1,5}|[a-zđ])\)|[a-zđ]\))\s*/u;
const VERB_AT = new RegExp(`^(?:${[...new Set(VERBS)].join('|')})(?=$|[\\s,;:.)])`);
/** Opening words that hand a duty to the agency after them. */
const HANDOVER = /^(?:giao(?: cho)?|de nghi|yeu cau|uy quyen cho|doi voi) /;
/** Longest subject, in words. */
const SUBJECT_WORDS = 60;
/** How far a subject's verb is looked for, in characters (60 words and then some). */
const VERB_REACH = 600;
/** How far the colon or full stop that may end a subject is looked for. */
const CLAUSE_REACH = 1200;

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
  // A subject is at most SUBJECT_WORDS long: looking further only costs time on long paragraphs.
  const window = folded.slice(0, from + VERB_REACH);
  VERB.lastIndex = from;
  for (let m = VERB.exec(window); m; m = VERB.exec(window)) {
    const at = m.index + m[0].length - m[1].length;
    const ch = text[at];
    const lower = ch === ch.toLowerCase();
    const spelling = SPELLING.get(m[1]);
    const spelt = spelling === undefined || text.slice(at, at + spelling.length).toLowerCase() === spelling;
    if ((lower || CAPITAL_VERBS.has(m[1])) && spelt && !NAME_WORDS.test(folded.slice(Math.max(0, at - 18), at))) return at;
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
  if (!folded.startsWith('ve ')) return assignmentAt(text, folded, 0);
  // "Về <topic>: Bộ … khẩn trương …", "Về <topic>: …: giao Bộ …" — the duty follows one of the colons.
  for (let colon = folded.indexOf(': '); colon >= 0 && colon < TOPIC_REACH; colon = folded.indexOf(': ', colon + 2)) {
    const found = assignmentAt(text, folded, colon + 2);
    if (found && found.duty !== '') return found;
  }
  return null;
}

/** The assignment of the clause starting at `from`, its subject first or after an opening clause. */
function assignmentAt(text: string, folded: string, from: number): Assignment | null {
  const direct = assignmentFrom(text, folded, from);
  if (direct) return direct;
  const opening = folded.slice(from, from + OPENER_REACH);
  if (!OPENER.test(opening)) return null;
  // "Đối với …, các Bộ … khẩn trương …", "Trên cơ sở …, yêu cầu Sở … ": the subject follows the opening clause.
  const adverb = ADVERB_OPENER.test(opening);
  for (let comma = folded.indexOf(', ', from); comma >= 0 && comma < from + OPENER_REACH; comma = folded.indexOf(', ', comma + 2)) {
    // Past a lead verb the sentence is in its predicate: no subject follows ("…, chủ trì, phối hợp với các cơ quan …").
    if (hasPredicate(text, folded, from, comma)) return null;
    const found = assignmentFrom(text, folded, comma + 2);
    if (found && found.duty !== '') return found;
    if (adverb) return null;
  }
  return null;
}

/** Clauses that open a sentence before its subject. */
const OPENER = /^(?:doi voi|tren co so|voi vai tro|de|nham|sau khi|trong (?:qua trinh|thoi gian)|truoc tinh hinh|tren day la|dinh ky|hang (?:nam|quy|thang))\b/;
const OPENER_REACH = 400;
const TOPIC_REACH = 800;
/** An adverb opener ("Định kỳ, …") is followed by the subject at once. */
const ADVERB_OPENER = /^(?:dinh ky|hang (?:nam|quy|thang))\b/;
const PREDICATE = /\b(?:chu tri|phoi hop|bao cao)\b/g;
const HANDOVER_VERB = /^(?:giao(?: cho)?|de nghi|yeu cau) /;

/** A lead verb in lower case before `end` ("Báo cáo số …" is a document, "báo cáo" a duty). */
function hasPredicate(text: string, folded: string, start: number, end: number): boolean {
  PREDICATE.lastIndex = 0;
  for (const m of folded.slice(start, end).matchAll(PREDICATE)) if (text[start + m.index] === folded[start + m.index]) return true;
  return false;
}

function assignmentFrom(text: string, folded: string, from: number): Assignment | null {
  let start = from;
  const handover = HANDOVER.exec(folded.slice(start)) ?? (text.slice(start, start + 4).toLowerCase() === 'mời ' ? ['moi '] : null);
  if (handover) start += handover[0].length;
  const rest = folded.slice(start);
  if (!startsAsAgency(rest)) return null;

  const verb = firstVerb(text, folded, start);
  // Bounded looks: a subject is short, so a colon or full stop further on cannot end it.
  const colonAt = text.slice(start, start + CLAUSE_REACH).indexOf(':');
  const colon = colonAt < 0 ? -1 : start + colonAt;
  const sentenceEnd = firstSentenceEnd(text, start);
  let end = verb;
  if (colon >= 0 && colon < sentenceEnd && (end < 0 || colon < end || ownerBeforeColon(text, folded, start, colon))) end = colon;
  if (end < 0 || end > sentenceEnd) {
    // No duty: the whole line names the owner (a heading), if it is short enough.
    const owner = trimOwner(text.slice(start));
    const whole = sentenceEnd >= text.length || text.slice(sentenceEnd + 1).trim() === '';
    return wordCount(owner) <= SUBJECT_WORDS && whole ? { owner: owner.replace(/[.!?]$/, ''), duty: '', dutyStart: text.length } : null;
  }
  const owner = trimOwner(text.slice(start, end));
  if (owner === '' || wordCount(owner) > SUBJECT_WORDS) return null;
  let dutyStart = end;
  if (text[end] === ':') {
    dutyStart = end + 1;
    while (text[dutyStart] === ' ') dutyStart += 1;
    const enumerator = ENUMERATOR.exec(text.slice(dutyStart));
    const verbAt = dutyStart + (enumerator ? enumerator[0].length : 0);
    // "Owner: Công ty A; Công ty B" lists members, not a duty; after a colon a verb may be capitalised.
    const clause = text[verbAt] !== undefined && text[verbAt] !== text[verbAt].toUpperCase();
    if (!clause && !VERB_AT.test(folded.slice(verbAt)) && !HANDOVER.test(folded.slice(verbAt))) {
      // "các Bộ: Nông nghiệp và Môi trường; Xây dựng khẩn trương …": the list names the group's members.
      const later = folded.startsWith('cac ', start) ? firstVerb(text, folded, dutyStart) : -1;
      if (later < 0 || later > sentenceEnd) {
        // "UBND các phường: Ba Đình, Hoàn Kiếm …" — a group heading names its members.
        const named = /\bcac\b/.test(fold(owner)) ? trimOwner(text.slice(start)).replace(/[.!?]$/, '') : owner;
        return { owner: named, duty: '', dutyStart: text.length };
      }
      return { owner: trimOwner(text.slice(start, later)), duty: text.slice(later), dutyStart: later };
    }
  } else if (HANDOVER_VERB.test(folded.slice(end))) {
    // "<Issuer> yêu cầu <Agency> …": the duty is the agency's.
    const handed = assignmentFrom(text, folded, end);
    if (handed) return handed;
  }
  return { owner, duty: text.slice(dutyStart), dutyStart };
}

/**
 * "Đơn vị duy trì thoát nước …: Công ty A; …", "Sở Công Thương, Tổng Công ty …: duy trì …":
 * a short name before a colon owns what follows when that is a clause in lower case or a list of names.
 */
function ownerBeforeColon(text: string, folded: string, start: number, colon: number): boolean {
  if (wordCount(text.slice(start, colon)) > 20) return false;
  let after = colon + 1;
  while (text[after] === ' ') after += 1;
  const ch = text[after];
  return ch !== undefined && ((ch !== ch.toUpperCase() && ch === ch.toLowerCase()) || startsAsAgency(folded.slice(after)));
}

/** Offset of the first full stop that ends a sentence (followed by a capital or the end), or the length. */
function firstSentenceEnd(text: string, from: number): number {
  const end = Math.min(text.length, from + CLAUSE_REACH);
  for (let i = from; i < end; i++) {
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
  // "nếu có khó khăn, vướng mắc, đề nghị … báo cáo", "thông báo để … biết, thực hiện".
  if (/\bneu co kho khan\b|\bbiet,? (?:va )?(?:thuc hien|phoi hop|chi dao)\b|\b(?:xin|tran trong) thong bao\b/.test(folded)) return true;
  return (
    /\b(?:yeu cau|de nghi)\b/.test(folded) &&
    wordCount(sentence) <= 35 &&
    /(?:thuc hien|trien khai)(?: nghiem(?: tuc)?)?(?: (?:ke hoach|van ban|cong van|chi thi|quyet dinh|thong bao|cong dien)(?: nay)?)?(?: theo quy dinh)?[\s./]*$/.test(folded)
  );
}

/**
 * The issuer introducing what follows, not a duty: "Chủ tịch Ủy ban nhân dân tỉnh yêu cầu:",
 * "… như sau:", or the provincial people's committee issuing the plan itself
 * ("Ủy ban nhân dân tỉnh ban hành Kế hoạch triển khai …").
 */
export function isIntroduction(assignment: Assignment): boolean {
  const duty = fold(assignment.duty).trim();
  if (/^(?:yeu cau|de nghi|chi dao|giao|quyet dinh|ket luan|thong bao|dong y)\b[^.]{0,60}:$/.test(duty) || /\bnhu sau:?$/.test(duty)) return true;
  return /^ban hanh (?:ke hoach|chi thi|chuong trinh)\b/.test(duty) && /^(?:uy ban nhan dan|ubnd) (?:tinh|thanh pho)\b[^,;]{0,30}$/.test(fold(assignment.owner));
}

/** A duty listed inline, "(i) … (ii) …": its items with their labels, or null. */
export function inlineItems(duty: string): { label: string; text: string }[] | null {
  const first = ENUMERATOR.exec(duty);
  if (!first) return null;
  const style = /^\(?\d/.test(first[0]) ? 'number' : /^\((?:[ivx]+)\)/.test(first[0]) ? 'roman' : 'letter';
  const items: { label: string; text: string }[] = [];
  let start = 0;
  let label = first[0].trim();
  for (const m of duty.matchAll(INLINE_ENUMERATOR)) {
    const kind = /^\d/.test(m[2]) ? 'number' : /^[ivx]+$/.test(m[2]) ? 'roman' : 'letter';
    if (kind !== style || m.index + m[1].length === 0) continue;
    items.push({ label, text: duty.slice(start, m.index + m[1].length).trim() });
    start = m.index + m[1].length;
    label = `(${m[2]})`;
  }
  items.push({ label, text: duty.slice(start).trim() });
  return items.length > 1 ? items : null;
}
const INLINE_ENUMERATOR = /(^|[\s;.:,])\((\d{1,2}|[ivx]{1,5}|[a-zđ])\)\s/gu;
