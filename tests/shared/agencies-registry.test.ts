import { AgencyRegistry, defaultRegistry, findAgencies } from '../../shared/agencies';

const ids = (cell: string, registry: AgencyRegistry = defaultRegistry) => registry.resolve(cell).agencies.map((a) => a.id);

describe('central bodies after the 2025 mergers', () => {
  test.each([
    // [name, canonical]: every ministry and ministry-level body of the Government.
    ['Bộ Quốc phòng', 'Bộ Quốc phòng'],
    ['Bộ Công an', 'Bộ Công an'],
    ['Bộ Ngoại giao', 'Bộ Ngoại giao'],
    ['Bộ Nội vụ', 'Bộ Nội vụ'],
    ['Bộ Tư pháp', 'Bộ Tư pháp'],
    ['Bộ Tài chính', 'Bộ Tài chính'],
    ['Bộ Công Thương', 'Bộ Công Thương'],
    ['Bộ Nông nghiệp và Môi trường', 'Bộ Nông nghiệp và Môi trường'],
    ['Bộ Xây dựng', 'Bộ Xây dựng'],
    ['Bộ Văn hoá, Thể thao và Du lịch', 'Bộ Văn hóa, Thể thao và Du lịch'],
    ['Bộ Khoa học và Công nghệ', 'Bộ Khoa học và Công nghệ'],
    ['Bộ Giáo dục và Đào tạo', 'Bộ Giáo dục và Đào tạo'],
    ['Bộ Y tế', 'Bộ Y tế'],
    ['Bộ Dân tộc và Tôn giáo', 'Bộ Dân tộc và Tôn giáo'],
    ['Ngân hàng Nhà nước Việt Nam', 'Ngân hàng Nhà nước Việt Nam'],
    ['Thanh tra Chính phủ', 'Thanh tra Chính phủ'],
    ['Văn phòng Chính phủ', 'Văn phòng Chính phủ'],
    // Old names map to their successors.
    ['Bộ Kế hoạch và Đầu tư', 'Bộ Tài chính'],
    ['Bộ Tài nguyên và Môi trường', 'Bộ Nông nghiệp và Môi trường'],
    ['Bộ Nông nghiệp và Phát triển nông thôn', 'Bộ Nông nghiệp và Môi trường'],
    ['Bộ Thông tin và Truyền thông', 'Bộ Khoa học và Công nghệ'],
    ['Bộ Lao động - Thương binh và Xã hội', 'Bộ Nội vụ'],
    ['Bộ Giao thông vận tải', 'Bộ Xây dựng'],
    ['Ủy ban Dân tộc', 'Bộ Dân tộc và Tôn giáo'],
    // Party and mass organisations.
    ['Ban Tuyên giáo và Dân vận Trung ương', 'Ban Tuyên giáo và Dân vận Trung ương'],
    ['Ban Tuyên giáo Trung ương', 'Ban Tuyên giáo và Dân vận Trung ương'],
    ['Đảng uỷ Chính phủ', 'Đảng ủy Chính phủ'],
    ['Đảng uỷ Công an Trung ương', 'Đảng ủy Công an Trung ương'],
    ['Đảng đoàn Quốc hội', 'Đảng ủy Quốc hội'],
    ['Ủy ban Kiểm tra Trung ương', 'Ủy ban Kiểm tra Trung ương'],
    ['UBTVQH', 'Ủy ban Thường vụ Quốc hội'],
    ['Tổng Liên đoàn Lao động Việt Nam', 'Tổng Liên đoàn Lao động Việt Nam'],
    ['Trung ương Đoàn TNCS Hồ Chí Minh', 'Trung ương Đoàn Thanh niên Cộng sản Hồ Chí Minh'],
  ])('%s → %s', (name, canonical) => {
    const { agencies, warnings } = defaultRegistry.resolve(name);
    expect(agencies.map((a) => [a.name, a.source])).toEqual([[canonical, name]]);
    expect(warnings).toEqual([]);
  });

  test('provincial departments before the mergers map to their successors, kept as written', () => {
    expect(defaultRegistry.resolve('Sở Kế hoạch và Đầu tư, Sở TN&MT, Sở NN&PTNT, Sở TT&TT, Sở GTVT, Sở LĐ-TB&XH, Ban Dân tộc tỉnh').agencies.map((a) => [a.id, a.source])).toEqual([
      ['so-tai-chinh', 'Sở Kế hoạch và Đầu tư'],
      ['so-nong-nghiep-moi-truong', 'Sở TN&MT'],
      ['so-khoa-hoc-cong-nghe', 'Sở TT&TT'],
      ['so-xay-dung', 'Sở GTVT'],
      ['so-noi-vu', 'Sở LĐ-TB&XH'],
      ['so-dan-toc-ton-giao', 'Ban Dân tộc tỉnh'],
    ]);
    const [mention] = findAgencies('Giao Sở Kế hoạch và Đầu tư chủ trì.');
    expect(mention).toMatchObject({ text: 'Sở Kế hoạch và Đầu tư', id: 'so-tai-chinh', name: 'Sở Tài chính', former: true });
    expect(findAgencies('Giao Sở Tài chính chủ trì.')[0].former).toBeUndefined();
  });
});

describe('lists and one body’s name', () => {
  test('"các Bộ: …" names ministries, not provincial departments', () => {
    expect(ids('các Bộ: Nông nghiệp và Môi trường; Xây dựng; Khoa học và Công nghệ')).toEqual([
      'bo-nong-nghiep-moi-truong', 'bo-xay-dung', 'bo-khoa-hoc-cong-nghe',
    ]);
    expect(findAgencies('Đề nghị các Bộ: Xây dựng, Y tế phối hợp. Xây dựng kế hoạch.').map((m) => m.id)).toEqual([
      'cac-bo-nganh', 'bo-xay-dung', 'bo-y-te',
    ]);
    expect(ids('Các bộ, cơ quan ngang bộ')).toEqual(['cac-bo-co-quan-ngang-bo']);
  });

  test('an unknown name is split at "," or "và" only when its parts are bodies', () => {
    expect(defaultRegistry.resolve('Sở Văn hóa và Thể thao').agencies.map((a) => [a.name, a.id])).toEqual([['Sở Văn hóa và Thể thao', null]]);
    expect(ids('Trung tâm Văn hóa, Thông tin và Thể thao xã, Sở Y tế')).toEqual([null, 'so-y-te']);
    expect(defaultRegistry.resolve('Cục Điện ảnh, Cục Du lịch Quốc gia Việt Nam').agencies.map((a) => a.name)).toEqual([
      'Cục Điện ảnh', 'Cục Du lịch Quốc gia Việt Nam',
    ]);
    // A known name stays apart from an unknown one beside it.
    expect(ids('Sở Y tế và Trung tâm Kiểm soát bệnh tật')).toEqual(['so-y-te', null]);
  });
});

describe('an office names its province', () => {
  const quangTri = defaultRegistry.merge({
    province: 'Quảng Trị',
    agencies: [{ id: 'ubnd-dac-khu-con-co', name: 'UBND đặc khu Cồn Cỏ', kind: 'commune', aliases: ['Ủy ban nhân dân đặc khu Cồn Cỏ'] }],
  });

  test('the standard bodies are that province’s, the default office’s own bodies are left out', () => {
    expect(quangTri.province).toBe('Quảng Trị');
    expect(ids('Ủy ban nhân dân tỉnh Quảng Trị; Công an tỉnh Quảng Trị; Sở Tài chính', quangTri)).toEqual(['ubnd-tinh', 'cong-an-tinh', 'so-tai-chinh']);
    expect(ids('UBND đặc khu Cồn Cỏ', quangTri)).toEqual(['ubnd-dac-khu-con-co']);
    expect(quangTri.byId('ubnd-xa-bat-xat')).toBeUndefined();
    expect(defaultRegistry.byId('ubnd-xa-bat-xat')).toBeDefined();
    expect(findAgencies('Giao UBND tỉnh Quảng Trị chủ trì.', quangTri)[0]).toMatchObject({ text: 'UBND tỉnh Quảng Trị', id: 'ubnd-tinh' });
    expect(findAgencies('Giao UBND tỉnh Lào Cai chủ trì.')[0]).toMatchObject({ text: 'UBND tỉnh Lào Cai', id: 'ubnd-tinh' });
  });

  test('a city’s words name the same standard bodies', () => {
    const haNoi = AgencyRegistry.forOffice({ province: 'Hà Nội', agencies: [] });
    expect(ids('Công an Thành phố; UBND Thành phố Hà Nội; Thành ủy; Ban Tuyên giáo và Dân vận Thành ủy; Thành đoàn Hà Nội', haNoi)).toEqual([
      'cong-an-tinh', 'ubnd-tinh', 'tinh-uy', 'ban-tuyen-giao-dan-van-tinh-uy', 'tinh-doan',
    ]);
  });
});
