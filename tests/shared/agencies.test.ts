import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import data from '../../shared/data/agencies.json';
import { AgencyRegistry, defaultRegistry } from '../../shared/agencies';
import { InputError } from '../../shared/errors';
import { AgencyRegistryFile, type AgencyRegistryFile as RegistryFile } from '../../shared/schemas';

const seeds = join(__dirname, '..', 'fixtures', 'seeds');

/** Cells of the given 0-based columns in table rows (tab-separated, at least `minFields` fields), headers left out. */
function seedCells(file: string, columns: number[], minFields: number): string[] {
  const headers = new Set(['Cơ quan chủ trì', 'Cơ quan phối hợp', 'Đơn vị đề xuất']);
  return readFileSync(join(seeds, file), 'utf8')
    .split('\n')
    .map((line) => line.split('\t'))
    .filter((fields) => fields.length >= minFields)
    .flatMap((fields) => columns.map((c) => fields[c].trim()))
    .filter((cell) => cell !== '' && !headers.has(cell));
}

const ids = (cell: string, registry: AgencyRegistry = defaultRegistry) => registry.resolve(cell).agencies.map((a) => a.id);
const names = (cell: string) => defaultRegistry.resolve(cell).agencies.map((a) => a.name);

describe('the default registry file', () => {
  it('validates against the schema and loads', () => {
    expect(AgencyRegistryFile.safeParse(data).success).toBe(true);
    expect(defaultRegistry.province).toBe('Lào Cai');
    // The office's own entries, after the central bodies and the province's standard ones.
    expect(defaultRegistry.agencies.slice(-data.agencies.length).map((a) => a.id)).toEqual(data.agencies.map((a) => a.id));
  });

  it('lists the departments of the domain brief and the separate UBND and Đảng ủy of each seed commune', () => {
    const departments = defaultRegistry.agencies.filter((a) => a.kind === 'department' && a.name.startsWith('Sở '));
    expect(departments.map((a) => a.name.slice(3)).sort()).toEqual(
      [
        'Nội vụ', 'Tư pháp', 'Tài chính', 'Công Thương', 'Nông nghiệp và Môi trường', 'Xây dựng', 'Khoa học và Công nghệ',
        'Văn hóa, Thể thao và Du lịch', 'Giáo dục và Đào tạo', 'Y tế', 'Dân tộc và Tôn giáo', 'Ngoại vụ',
      ].sort(),
    );
    for (const commune of ['phường Sa Pa', 'phường Yên Bái', 'xã Bát Xát', 'xã Yên Bình', 'xã Mậu A', 'xã Bảo Hà', 'xã Bản Lầu']) {
      expect(defaultRegistry.find(`UBND ${commune}`)?.kind).toBe('commune');
      expect(defaultRegistry.find(`Đảng ủy ${commune}`)?.kind).toBe('party');
    }
  });

  it('finds every agency by its name and each alias (no alias is claimed by two agencies)', () => {
    for (const agency of defaultRegistry.agencies) {
      for (const name of [agency.name, ...agency.aliases, ...(agency.formerNames ?? [])]) {
        expect([name, defaultRegistry.find(name)?.id]).toEqual([name, agency.id]);
      }
    }
  });
});

describe('resolving the seed annexes', () => {
  const cells = [
    ...['003-phu-luc-II.txt', '003-phu-luc-III.txt', '003-phu-luc-IV.txt'].flatMap((f) => seedCells(f, [2, 3], 5)),
    ...seedCells('001-phu-luc.txt', [2], 4),
  ];
  // Every lead and support name in the seeds is a registry body: nothing is left unknown.
  const leftUnknown: string[] = [];

  it('reads the cells of Phụ lục II–IV and the pilot annex', () => {
    expect(cells.length).toBeGreaterThan(200);
  });

  it.each([...new Set(cells)])('%s', (cell) => {
    const { agencies, warnings } = defaultRegistry.resolve(cell);
    expect(warnings.map((w) => w.source).filter((s) => !leftUnknown.includes(s))).toEqual([]);
    expect(agencies.length).toBeGreaterThan(0);
    expect(agencies.every((a) => a.id !== null)).toBe(true);
  });
});

describe('resolve', () => {
  it('does not break names that contain commas or "và"', () => {
    expect(ids('Sở Văn hóa, Thể thao và Du lịch')).toEqual(['so-van-hoa-the-thao-du-lich']);
    expect(ids('Sở Khoa học và Công nghệ và các đơn vị liên quan')).toEqual(['so-khoa-hoc-cong-nghe', 'cac-co-quan-don-vi-lien-quan']);
    expect(ids('Sở Nông nghiệp và Môi trường, Sở Giáo dục và Đào tạo')).toEqual(['so-nong-nghiep-moi-truong', 'so-giao-duc-dao-tao']);
    expect(ids('Ban Tuyên giáo và Dân vận Tỉnh ủy')).toEqual(['ban-tuyen-giao-dan-van-tinh-uy']);
    expect(ids('Các sở, ban, ngành, địa phương')).toEqual(['cac-so-ban-nganh-dia-phuong']);
    expect(ids('Bộ Quốc phòng và Ban Cơ yếu Chính phủ')).toEqual(['bo-quoc-phong', 'ban-co-yeu-chinh-phu']);
  });

  it('splits on ";", ",", line breaks, "và" and "+", in order and without repeats', () => {
    expect(ids('UBND xã Bát Xát; UBND xã Yên Bình')).toEqual(['ubnd-xa-bat-xat', 'ubnd-xa-yen-binh']);
    expect(ids('Sở Tài chính\nSở Nội vụ + Sở Y tế và Sở Tư pháp, Sở Tài chính')).toEqual([
      'so-tai-chinh', 'so-noi-vu', 'so-y-te', 'so-tu-phap',
    ]);
    expect(ids('- Sở Y tế;\n- Sở Xây dựng.')).toEqual(['so-y-te', 'so-xay-dung']);
  });

  it('resolves trailing qualifiers after named agencies to their group', () => {
    const { agencies, warnings } = defaultRegistry.resolve('Sở Công thương, Sở Y tế và các đơn vị liên quan');
    expect(agencies.map((a) => [a.name, a.kind])).toEqual([
      ['Sở Công Thương', 'department'],
      ['Sở Y tế', 'department'],
      ['Các cơ quan, đơn vị liên quan', 'group'],
    ]);
    expect(agencies[0].source).toBe('Sở Công thương');
    expect(warnings).toEqual([]);
    expect(ids('Sở Nội vụ, các sở, ngành liên quan')).toEqual(['so-noi-vu', 'cac-so-ban-nganh']);
    expect(ids('Sở Khoa học và Công nghệ, các Sở, ngành, địa phương')).toEqual(['so-khoa-hoc-cong-nghe', 'cac-so-ban-nganh-dia-phuong']);
  });

  it('reads a parenthesis after a name as its qualifier, not as more agencies', () => {
    const { agencies, warnings } = defaultRegistry.resolve('Các doanh nghiệp viễn thông (Viettel, VNPT,...).');
    expect(agencies).toEqual([
      { name: 'Các doanh nghiệp viễn thông', id: 'cac-doanh-nghiep-vien-thong', kind: 'group', source: 'Các doanh nghiệp viễn thông (Viettel, VNPT,...)' },
    ]);
    expect(warnings).toEqual([]);
    expect(ids('Sở Y tế (chủ trì), Sở Tài chính')).toEqual(['so-y-te', 'so-tai-chinh']);
    expect(ids('(Sở Y tế)')).toEqual(['so-y-te']);
    expect(ids('Viettel, VNPT')).toEqual(['viettel', 'vnpt']);
  });

  it('resolves collective assignments to groups', () => {
    const groups: [string, string][] = [
      ['Các sở, ngành, địa phương', 'cac-so-ban-nganh-dia-phuong'],
      ['Các Sở, ban ngành, các địa phương', 'cac-so-ban-nganh-dia-phuong'],
      ['Các sở, ban, ngành', 'cac-so-ban-nganh'],
      ['Các sở, ngành có liên quan', 'cac-so-ban-nganh'],
      ['Các, sở, ngành có liên quan', 'cac-so-ban-nganh'],
      ['các cơ quan liên quan', 'cac-co-quan-don-vi-lien-quan'],
      ['Các cơ quan, đơn vị có liên quan', 'cac-co-quan-don-vi-lien-quan'],
      ['các đơn vị liên quan', 'cac-co-quan-don-vi-lien-quan'],
      ['Các sở, ngành, đơn vị liên quan', 'cac-co-quan-don-vi-lien-quan'],
      ['Đơn vị chủ quản (các) hệ thống thông tin', 'don-vi-chu-quan-he-thong-thong-tin'],
      ['Đơn vị chủ quản hệ thống thông tin', 'don-vi-chu-quan-he-thong-thong-tin'],
      ['UBND các xã, phường', 'ubnd-cac-xa-phuong'],
      ['Ủy ban nhân dân các xã, phường', 'ubnd-cac-xa-phuong'],
      ['các địa phương', 'ubnd-cac-xa-phuong'],
      ['các doanh nghiệp viễn thông', 'cac-doanh-nghiep-vien-thong'],
      ['các ngân hàng trên địa bàn tỉnh', 'cac-ngan-hang'],
      ['các cơ sở đào tạo', 'cac-co-so-dao-tao'],
    ];
    for (const [cell, id] of groups) {
      const { agencies } = defaultRegistry.resolve(cell);
      expect([cell, agencies.map((a) => [a.id, a.kind])]).toEqual([cell, [[id, 'group']]]);
    }
    expect(ids('Công an tỉnh; Bảo hiểm xã hội tỉnh; các sở, ngành có liên quan; các địa phương')).toEqual([
      'cong-an-tinh', 'bao-hiem-xa-hoi-tinh', 'cac-so-ban-nganh', 'ubnd-cac-xa-phuong',
    ]);
  });

  it('reads a group before a colon as the heading of the list that follows', () => {
    expect(ids('Các sở, ngành: Khoa học và Công nghệ, Tài chính, Y tế')).toEqual(['so-khoa-hoc-cong-nghe', 'so-tai-chinh', 'so-y-te']);
    expect(ids('Các sở, ngành:')).toEqual(['cac-so-ban-nganh']);
  });

  it('expands abbreviations to the canonical name', () => {
    const cases: [string, string][] = [
      ['UBND tỉnh', 'UBND tỉnh'],
      ['Ủy ban nhân dân tỉnh', 'UBND tỉnh'],
      ['Hội đồng nhân dân tỉnh', 'HĐND tỉnh'],
      ['VP UBND tỉnh', 'Văn phòng UBND tỉnh'],
      ['VPUBND tỉnh', 'Văn phòng UBND tỉnh'],
      ['Văn phòng Ủy ban nhân dân tỉnh', 'Văn phòng UBND tỉnh'],
      ['CA tỉnh', 'Công an tỉnh'],
      ['Công an', 'Công an tỉnh'],
      ['Sở KH&CN', 'Sở Khoa học và Công nghệ'],
      ['Sở KHCN', 'Sở Khoa học và Công nghệ'],
      ['Sở KH và CN', 'Sở Khoa học và Công nghệ'],
      ['Khoa học và Công nghệ', 'Sở Khoa học và Công nghệ'],
      ['Sở NN&MT', 'Sở Nông nghiệp và Môi trường'],
      ['Sở NNMT', 'Sở Nông nghiệp và Môi trường'],
      ['Sở GD&ĐT', 'Sở Giáo dục và Đào tạo'],
      ['Sở GDĐT', 'Sở Giáo dục và Đào tạo'],
      ['Sở VHTTDL', 'Sở Văn hóa, Thể thao và Du lịch'],
      ['Sở VH,TT&DL', 'Sở Văn hóa, Thể thao và Du lịch'],
      ['Sở Văn hoá, Thể thao và Du lịch', 'Sở Văn hóa, Thể thao và Du lịch'],
      ['Sở DT&TG', 'Sở Dân tộc và Tôn giáo'],
      ['Sở TC', 'Sở Tài chính'],
      ['Sở NV', 'Sở Nội vụ'],
      ['Sở TP', 'Sở Tư pháp'],
      ['Sở XD', 'Sở Xây dựng'],
      ['Sở YT', 'Sở Y tế'],
      ['Sở CT', 'Sở Công Thương'],
      ['Sở Công thương', 'Sở Công Thương'],
      ['BQL KKT', 'Ban Quản lý Khu kinh tế tỉnh'],
      ['Ban Quản lý khu kinh tế', 'Ban Quản lý Khu kinh tế tỉnh'],
      ['CCB', 'Hội Cựu chiến binh tỉnh'],
      ['MTTQ', 'Ủy ban MTTQ Việt Nam tỉnh'],
      ['UBMTTQ tỉnh', 'Ủy ban MTTQ Việt Nam tỉnh'],
      ['Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh', 'Ủy ban MTTQ Việt Nam tỉnh'],
      ['Uỷ ban MTTQ Việt Nam tỉnh Lào Cai', 'Ủy ban MTTQ Việt Nam tỉnh'],
      ['Tỉnh Đoàn Lào Cai', 'Tỉnh đoàn'],
      ['Đoàn TNCS HCM tỉnh', 'Tỉnh đoàn'],
      ['Đoàn Thanh niên Cộng sản Hồ Chí Minh tỉnh', 'Tỉnh đoàn'],
      ['Bộ KH&CN', 'Bộ Khoa học và Công nghệ'],
      ['Đảng uỷ UBND tỉnh', 'Đảng ủy UBND tỉnh'],
      ['Sở Khoa học và Công nghệ tỉnh Lào Cai', 'Sở Khoa học và Công nghệ'],
    ];
    for (const [cell, name] of cases) expect([cell, names(cell)]).toEqual([cell, [name]]);
  });

  it('ignores case, diacritics, punctuation, spacing and decomposed Unicode', () => {
    for (const cell of [
      'Sở KH & CN',
      'SỞ KHOA HỌC VÀ CÔNG NGHỆ.',
      'Sở Khoa học và Công nghệ.',
      'So Khoa hoc va Cong nghe',
      'Sở Khoa học và Công nghệ'.normalize('NFD'),
      '  Sở\u00a0Khoa   học và Công nghệ ;',
    ]) {
      expect([cell, ids(cell)]).toEqual([cell, ['so-khoa-hoc-cong-nghe']]);
    }
    expect(defaultRegistry.resolve('SỞ KHOA HỌC VÀ CÔNG NGHỆ.').agencies[0].source).toBe('SỞ KHOA HỌC VÀ CÔNG NGHỆ');
  });

  it('keeps an unknown name whole when its last word only looks like a duty ("lạ" folds like "là")', () => {
    expect(defaultRegistry.resolve('Cơ quan lạ').agencies).toEqual([{ name: 'Cơ quan lạ', id: null, kind: 'other', source: 'Cơ quan lạ' }]);
  });

  it('keeps unknown names as written, with a warning, and drops junk', () => {
    const { agencies, warnings } = defaultRegistry.resolve('Sở Y tế, Trung tâm Phục vụ hành chính công., các, và, ...');
    expect(agencies).toEqual([
      { name: 'Sở Y tế', id: 'so-y-te', kind: 'department', source: 'Sở Y tế' },
      { name: 'Trung tâm Phục vụ hành chính công', id: null, kind: 'other', source: 'Trung tâm Phục vụ hành chính công' },
    ]);
    expect(warnings).toEqual([
      {
        source: 'Trung tâm Phục vụ hành chính công',
        message: 'Không nhận ra cơ quan “Trung tâm Phục vụ hành chính công”; giữ nguyên như đã viết',
        messageEn: 'Unknown agency “Trung tâm Phục vụ hành chính công”; kept as written',
      },
    ]);
  });

  it('does not take a known name out of a longer unknown one', () => {
    expect(names('Công an xã Yên Bình')).toEqual(['Công an xã Yên Bình']);
    expect(ids('Viện Khoa học và Công nghệ')).toEqual([null]);
    expect(ids('Đảng ủy xã Lùng Phình')).toEqual([null]);
  });

  it('gives nothing for an empty or junk cell', () => {
    for (const cell of ['', '   ', '\n', '...', 'các', 'và', '-']) {
      expect(defaultRegistry.resolve(cell)).toEqual({ agencies: [], warnings: [] });
    }
  });

  it('memoizes: the same cell gives equal results that callers may change freely', () => {
    const cell = 'Sở Tài chính, Trung tâm X';
    const first = defaultRegistry.resolve(cell);
    first.agencies.pop();
    first.warnings.pop();
    const second = defaultRegistry.resolve(cell);
    expect(second.agencies.map((a) => a.name)).toEqual(['Sở Tài chính', 'Trung tâm X']);
    expect(second.warnings).toHaveLength(1);
    expect(defaultRegistry.resolve(cell)).toEqual(second);
  });
});

describe('find and byId', () => {
  it('finds one agency by any spelling, nothing for lists or unknown names', () => {
    expect(defaultRegistry.find('Sở KH & CN.')?.id).toBe('so-khoa-hoc-cong-nghe');
    expect(defaultRegistry.byId('cong-an-tinh')?.name).toBe('Công an tỉnh');
    expect(defaultRegistry.byId('nope')).toBeUndefined();
    expect(defaultRegistry.find('Sở Y tế, Sở Tài chính')).toBeUndefined();
    expect(defaultRegistry.find('Trung tâm X')).toBeUndefined();
  });
});

describe('merge', () => {
  const office: RegistryFile = {
    province: 'Lào Cai',
    agencies: [
      { id: 'so-y-te', name: 'Sở Y tế tỉnh Lào Cai', kind: 'department', aliases: ['SYT'] },
      { id: 'trung-tam-phvhcc', name: 'Trung tâm Phục vụ hành chính công tỉnh', kind: 'department', aliases: ['TTPVHCC', 'Khoa học và Công nghệ'] },
    ],
  };
  const merged = defaultRegistry.merge(office);

  it('replaces an entry with the same id and adds new ones', () => {
    expect(merged.agencies).toHaveLength(defaultRegistry.agencies.length + 1);
    expect(merged.byId('so-y-te')?.name).toBe('Sở Y tế tỉnh Lào Cai');
    expect(merged.resolve('SYT; TTPVHCC').agencies.map((a) => a.id)).toEqual(['so-y-te', 'trung-tam-phvhcc']);
    // The replaced entry's old aliases are gone with it.
    expect(merged.resolve('Sở YT').warnings).toHaveLength(1);
    expect(defaultRegistry.find('Sở YT')?.id).toBe('so-y-te');
  });

  it("lets the office's spellings win over the default's", () => {
    expect(merged.find('Khoa học và Công nghệ')?.id).toBe('trung-tam-phvhcc');
    expect(merged.find('Sở Khoa học và Công nghệ')?.id).toBe('so-khoa-hoc-cong-nghe');
  });

  it('leaves the default registry unchanged', () => {
    expect(defaultRegistry.byId('trung-tam-phvhcc')).toBeUndefined();
    expect(defaultRegistry.find('Khoa học và Công nghệ')?.id).toBe('so-khoa-hoc-cong-nghe');
  });
});

describe('fromJson', () => {
  const thrown = (json: unknown): InputError => {
    try {
      AgencyRegistry.fromJson(json);
    } catch (error) {
      if (error instanceof InputError) return error;
      throw error;
    }
    throw new Error('no error');
  };

  it('names the entry and field of bad data', () => {
    const error = thrown({
      province: 'Lào Cai',
      agencies: [
        { id: 'so-y-te', name: 'Sở Y tế', kind: 'department' },
        { id: 'so-moi', name: 'Sở Mới', kind: 'ministry' },
      ],
    });
    expect(error.code).toBe('registry.invalid');
    expect(error.message).toContain('mục 2');
    expect(error.message).toContain('so-moi');
    expect(error.message).toContain('kind');
    expect(error.messageEn).toContain('entry 2');
    expect(error.where.field).toBe('agencies[1].kind');
  });

  it('rejects a bad id, a missing province and duplicate ids', () => {
    expect(thrown({ province: 'Lào Cai', agencies: [{ id: 'Sở Y tế', name: 'Sở Y tế', kind: 'department' }] }).where.field).toBe(
      'agencies[0].id',
    );
    expect(thrown({ agencies: [] }).where.field).toBe('province');
    const duplicate = thrown({
      province: 'Lào Cai',
      agencies: [
        { id: 'so-y-te', name: 'Sở Y tế', kind: 'department' },
        { id: 'so-y-te', name: 'Sở Y tế 2', kind: 'department' },
      ],
    });
    expect(duplicate.code).toBe('registry.duplicate');
    expect(duplicate.messageEn).toContain('entry 2');
  });

  it('fills missing aliases with an empty list', () => {
    const registry = AgencyRegistry.fromJson({ province: 'X', agencies: [{ id: 'a', name: 'Sở A', kind: 'department' }] });
    expect(registry.byId('a')?.aliases).toEqual([]);
    expect(registry.resolve('Sở A.').agencies.map((a) => a.id)).toEqual(['a']);
  });
});
