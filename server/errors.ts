/**
 * One error type for every answer that is not 2xx, and the one place other
 * errors (zod, InputError, store, body parser, multer) become it. The body is
 * always `{error: {code, message, messageEn, field?, row?}}`, Vietnamese first.
 */
import type { ErrorRequestHandler, RequestHandler } from 'express';
import type { Logger } from 'pino';
import { ZodError } from 'zod';
import { invalidInput, malformedJson } from '../shared/validation-messages';
import { InputError } from '../shared/errors';
import { FILE_CHANGED, NotFoundError } from './store/store';
import { THREAD_GONE } from './store/threaded-store';

export type HttpStatus = 400 | 401 | 403 | 404 | 409 | 413 | 429 | 500 | 503 | 507;

export interface ErrorBody {
  error: { code: string; message: string; messageEn: string; field?: string; row?: number; sheet?: string };
}

export class ApiError extends Error {
  constructor(
    readonly status: HttpStatus,
    readonly code: string,
    /** Vietnamese. */
    message: string,
    readonly messageEn: string,
    readonly where: { field?: string; row?: number; sheet?: string } = {},
  ) {
    super(message);
    this.name = 'ApiError';
  }

  body(): ErrorBody {
    return { error: { code: this.code, message: this.message, messageEn: this.messageEn, ...this.where } };
  }
}

export const unauthorized = () =>
  new ApiError(401, 'auth.required', 'Cần mã truy cập hợp lệ (Authorization: Bearer …)', 'A valid access token is required (Authorization: Bearer …)');

export const forbidden = (vi = 'Chỉ quản trị viên được làm việc này', en = 'Only the administrator may do this') =>
  new ApiError(403, 'auth.forbidden', vi, en);

export const badRequest = (code: string, vi: string, en: string, where: ApiError['where'] = {}) => new ApiError(400, code, vi, en, where);

const NOT_FOUND_WHAT: Record<NotFoundError['what'], { vi: string; en: string }> = {
  tracker: { vi: 'bảng theo dõi', en: 'tracker' },
  task: { vi: 'nhiệm vụ', en: 'task' },
  conflict: { vi: 'xung đột', en: 'conflict' },
  agency: { vi: 'cơ quan', en: 'agency' },
  token: { vi: 'mã truy cập', en: 'token' },
};

export const notFound = (what: NotFoundError['what'], id: string) =>
  new ApiError(404, `${what}.not_found`, `Không tìm thấy ${NOT_FOUND_WHAT[what].vi} ${id}`, `No ${NOT_FOUND_WHAT[what].en} ${id}`);

const tooLarge = (limit?: number) => {
  const size = limit ? ` (${Math.round(limit / 1024)} KB)` : '';
  return new ApiError(413, 'request.too_large', `Dữ liệu gửi lên vượt quá giới hạn${size}`, `The request exceeds the size limit${size}`);
};


/** The database cannot take writes (or answer): the service keeps what it had and says so. */
export const storeUnavailable = () =>
  new ApiError(
    503,
    'store.unavailable',
    'Cơ sở dữ liệu không sẵn sàng (tệp bị xoá, hỏng hoặc mất kết nối); dữ liệu chưa được ghi, hãy báo quản trị viên',
    'The database is unavailable (file deleted, damaged or connection lost); nothing was saved, tell the administrator',
  );

const storageFull = () =>
  new ApiError(
    507,
    'store.full',
    'Ổ đĩa của cơ sở dữ liệu đã đầy; dữ liệu chưa được ghi, những gì đã lưu vẫn còn nguyên',
    'The database’s disk is full; nothing was saved, what was stored before is intact',
  );

/** SQLite (better-sqlite3) and PostgreSQL error codes → what the client is told. */
function databaseError(code: string): ApiError | null {
  if (code === 'SQLITE_FULL' || code === 'ENOSPC' || code === '53100') return storageFull();
  // Refused text: PostgreSQL cannot store NUL (the schemas refuse it first; this is the backstop).
  if (code === '22021' || code === '22P05') {
    return badRequest('request.invalid', 'Văn bản chứa ký tự không được phép (NUL)', 'The text holds a character that is not allowed (NUL)');
  }
  if (/^SQLITE_(CORRUPT|NOTADB|IOERR|READONLY|CANTOPEN)/.test(code) || code === THREAD_GONE || code === FILE_CHANGED) return storeUnavailable();
  // Connection lost, server shutting down, database dropped, login refused, too many connections.
  if (/^(08|57P|3D000$|28|53300$)/.test(code) || code === 'ECONNREFUSED' || code === 'ECONNRESET') return storeUnavailable();
  return null;
}

/** InputError codes whose status is not 400: "too big" rather than "wrong", or a clash with stored state. */
const INPUT_STATUS: Record<string, HttpStatus> = {
  'file.too_large': 413,
  'file.too_many_rows': 413,
  'file.too_many_columns': 413,
  'file.too_many_cells': 413,
  'file.cell_too_long': 413,
  'idempotency.mismatch': 409,
};

/** Any thrown value → ApiError (status 500 for the unexpected, whose details stay in the log). */
export function toApiError(thrown: unknown): ApiError {
  if (thrown instanceof ApiError) return thrown;
  const err = thrown instanceof ZodError ? invalidInput(thrown) : thrown;
  if (err instanceof InputError) {
    return new ApiError(INPUT_STATUS[err.code] ?? 400, err.code, err.message, err.messageEn, err.where);
  }
  if (err instanceof NotFoundError) return notFound(err.what, err.id);
  const e = err as { type?: string; code?: string; status?: number; limit?: number; field?: string };
  // body-parser (express.json)
  if (e?.type === 'entity.too.large') return tooLarge(e.limit);
  if (e?.type === 'entity.parse.failed') return toApiError(malformedJson());
  if (e?.type === 'encoding.unsupported' || e?.type === 'charset.unsupported') {
    return badRequest('request.encoding', 'Bảng mã của nội dung không được hỗ trợ (hãy dùng UTF-8)', 'Unsupported body encoding (use UTF-8)');
  }
  // multer
  if (e?.code === 'LIMIT_FILE_SIZE') return tooLarge();
  if (typeof e?.code === 'string' && e.code.startsWith('LIMIT_')) {
    return badRequest('upload.invalid', `Tệp gửi lên không hợp lệ (${e.code}${e.field ? `: ${e.field}` : ''})`, `Invalid upload (${e.code}${e.field ? `: ${e.field}` : ''})`, {
      field: e.field,
    });
  }
  if (e?.status === 400 || e?.status === 413) {
    return e.status === 413 ? tooLarge() : badRequest('request.invalid', 'Yêu cầu không hợp lệ', 'Invalid request');
  }
  const fromDatabase = typeof e?.code === 'string' ? databaseError(e.code) : null;
  if (fromDatabase) return fromDatabase;
  return new ApiError(500, 'internal', 'Lỗi máy chủ; đã ghi lại để xử lý', 'Server error; it has been logged');
}

export const notFoundHandler: RequestHandler = (req, _res, next) => {
  next(new ApiError(404, 'route.not_found', `Không có đường dẫn ${req.method} ${req.path}`, `No route ${req.method} ${req.path}`));
};

/** Last handler: every error answers with the one body shape; the unexpected ones are logged with their stack. */
export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (err, req, res, next) => {
    const api = toApiError(err);
    if (api.status >= 500) logger.error({ err, req: { method: req.method, url: req.originalUrl } }, 'request failed');
    if (res.headersSent) return next(err);
    // A body refused part-way was not read to its end: the connection cannot carry another request.
    if (!req.complete) res.set('Connection', 'close');
    res.status(api.status).json(api.body());
  };
}
