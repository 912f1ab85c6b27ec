import { detectFeatures, featuresFrom, missingFeatures } from '../../addin/src/excel/features';
import { FakeWorkbook, installOfficeGlobals } from './fake-excel';

/** A host that supports ExcelApi up to 1.<minor>, with or without the ribbon. */
const host = (minor: number, ribbon: boolean) => (name: string, version: string) =>
  name === 'ExcelApi' ? Number(version.split('.')[1]) <= minor : name === 'AddinCommands' && ribbon && version === '1.1';

describe('featuresFrom', () => {
  it('volume-licensed Office 2016 (ExcelApi 1.1): values only', () => {
    expect(featuresFrom(host(1, false))).toEqual({
      excelApi: '1.1',
      formatting: false,
      namedRanges: false,
      conditionalFormats: false,
      freezePanes: false,
      dataValidation: false,
      autoFilter: false,
      mergedAreas: false,
      ribbon: false,
    });
  });

  it('Office 2019 (ExcelApi 1.7, no ribbon): colours and frozen header, no validation or filter', () => {
    expect(featuresFrom(host(7, false))).toMatchObject({
      excelApi: '1.7',
      formatting: true,
      namedRanges: true,
      conditionalFormats: true,
      freezePanes: true,
      dataValidation: false,
      autoFilter: false,
      ribbon: false,
    });
  });

  it('Microsoft 365: everything', () => {
    const f = featuresFrom(host(17, true));
    expect(f.excelApi).toBe('1.17');
    expect(Object.entries(f).filter(([, v]) => v === false)).toEqual([]);
  });

  it('asks with the version strings Office.js expects', () => {
    const asked: string[] = [];
    featuresFrom((name, version) => {
      asked.push(`${name} ${version}`);
      return true;
    });
    expect(asked).toEqual(expect.arrayContaining(['ExcelApi 1.6', 'ExcelApi 1.8', 'ExcelApi 1.13', 'AddinCommands 1.1']));
  });
});

describe('missingFeatures', () => {
  it('says what Office 2019 lacks, in Vietnamese and English, the visible things first', () => {
    const missing = missingFeatures(featuresFrom(host(7, false)));
    expect(missing.map((m) => m.key)).toEqual(['dataValidation', 'ribbon', 'autoFilter']);
    expect(missing[0].vi).toContain('Danh sách chọn');
    expect(missing[0].en).toContain('1.8');
  });

  it('says nothing on a full client', () => {
    expect(missingFeatures(featuresFrom(host(13, true)))).toEqual([]);
  });
});

describe('detectFeatures', () => {
  const globals = globalThis as unknown as Record<string, unknown>;
  afterEach(() => {
    delete globals.Office;
    delete globals.Excel;
  });

  it('reads the running host through Office.context.requirements', () => {
    installOfficeGlobals(globals, new FakeWorkbook({ apiMinor: 8, ribbon: true }));
    expect(detectFeatures()).toMatchObject({ excelApi: '1.8', dataValidation: true, autoFilter: false, ribbon: true });
  });
});
