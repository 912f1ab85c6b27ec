import { isServiceError, serviceErrorFrom } from '../../shared/service-error';

describe('serviceErrorFrom', () => {
  it('keeps the code and both languages of the service’s error answer', () => {
    const e = serviceErrorFrom(403, { error: { code: 'auth.forbidden', message: 'Không được phép', messageEn: 'Not allowed' } });
    expect(e).toMatchObject({ status: 403, code: 'auth.forbidden', message: 'Không được phép', messageEn: 'Not allowed' });
    expect(isServiceError(e)).toBe(true);
    expect(isServiceError(new Error('x'))).toBe(false);
  });

  it('still says something readable for a body without the error shape (a proxy’s page, nothing at all)', () => {
    for (const body of [null, '<html>Bad gateway</html>', { error: { code: 7 } }]) {
      const e = serviceErrorFrom(500, body);
      expect(e).toMatchObject({ code: 'http.500', message: 'Máy chủ trả lỗi 500', messageEn: 'The service answered 500' });
    }
  });
});
