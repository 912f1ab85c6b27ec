/// <reference types="office-js" />
/**
 * What the running Excel can do, from its requirement sets. Volume-licensed
 * Office 2016 has only ExcelApi 1.1 and Office 2019 stops at 1.7 (no data
 * validation, no ribbon buttons), so every optional step of the adapter asks
 * here first and the pane says plainly what is missing.
 */

export interface Features {
  /** Highest ExcelApi 1.x supported, e.g. "1.13". */
  excelApi: string;
  /** 1.2: column widths, row heights, merged cells, hidden columns and sheets, autofit. */
  formatting: boolean;
  /** 1.4: defined names (the lists and the reporting day the formulas refer to). */
  namedRanges: boolean;
  /** 1.6: colours by conditional formatting. */
  conditionalFormats: boolean;
  /** 1.7: frozen header rows. */
  freezePanes: boolean;
  /** 1.8: in-cell lists and date validation. */
  dataValidation: boolean;
  /** 1.9: header filter, fill down of one formula, print layout. */
  autoFilter: boolean;
  /** 1.13: reading merged areas of a sheet. */
  mergedAreas: boolean;
  /** AddinCommands 1.1: the ribbon buttons. */
  ribbon: boolean;
}

export type IsSetSupported = (name: string, version: string) => boolean;

/** Every ExcelApi minor version the adapter cares about is at most this. */
const HIGHEST_MINOR = 20;

/** The features a host offers, from its isSetSupported answer (pure, so any host can be described). */
export function featuresFrom(isSetSupported: IsSetSupported): Features {
  const excel = (minor: number) => isSetSupported('ExcelApi', `1.${minor}`);
  let highest = 1;
  while (highest < HIGHEST_MINOR && excel(highest + 1)) highest++;
  return {
    excelApi: `1.${highest}`,
    formatting: excel(2),
    namedRanges: excel(4),
    conditionalFormats: excel(6),
    freezePanes: excel(7),
    dataValidation: excel(8),
    autoFilter: excel(9),
    mergedAreas: excel(13),
    ribbon: isSetSupported('AddinCommands', '1.1'),
  };
}

/** The running host's features (Office.js must have initialised). */
export function detectFeatures(): Features {
  const requirements = Office.context.requirements;
  return featuresFrom((name, version) => requirements.isSetSupported(name, version));
}

export interface MissingFeature {
  key: keyof Omit<Features, 'excelApi'>;
  vi: string;
  en: string;
}

const MISSING_TEXT: readonly MissingFeature[] = [
  {
    key: 'conditionalFormats',
    vi: 'Tô màu theo tình trạng (định dạng có điều kiện, cần Excel API 1.6)',
    en: 'Colours by status (conditional formatting, needs Excel API 1.6)',
  },
  {
    key: 'dataValidation',
    vi: 'Danh sách chọn tình trạng, cơ quan và kiểm tra ngày trong ô (cần Excel API 1.8)',
    en: 'In-cell lists of statuses and agencies, date checks (needs Excel API 1.8)',
  },
  { key: 'ribbon', vi: 'Nút trên thanh công cụ (ribbon)', en: 'Ribbon buttons' },
  { key: 'freezePanes', vi: 'Cố định dòng tiêu đề (cần Excel API 1.7)', en: 'Frozen header rows (needs Excel API 1.7)' },
  { key: 'autoFilter', vi: 'Bộ lọc ở dòng tiêu đề (cần Excel API 1.9)', en: 'Header filter (needs Excel API 1.9)' },
  {
    key: 'namedRanges',
    vi: 'Danh mục ẩn có tên (cần Excel API 1.4)',
    en: 'Named hidden lists (needs Excel API 1.4)',
  },
  {
    key: 'formatting',
    vi: 'Độ rộng cột, chiều cao dòng, gộp ô, ẩn cột mã và trang danh mục (cần Excel API 1.2)',
    en: 'Column widths, row heights, merged cells, hidden id column and lists sheet (needs Excel API 1.2)',
  },
];

/** What this Excel cannot do that a full tracker uses, most visible first, for the pane to say. */
export function missingFeatures(features: Features): MissingFeature[] {
  return MISSING_TEXT.filter((m) => !features[m.key]);
}
