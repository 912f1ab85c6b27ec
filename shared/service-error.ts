/**
 * The sync service's error answer ({error: {code, message, messageEn}}) as its
 * browser clients (the add-in and the dashboard) raise it: one class, one reading.
 */
export class ServiceError extends Error {
  /** Survives bundling and frames, where instanceof may not. */
  readonly kind = 'service';
  constructor(
    readonly status: number,
    readonly code: string,
    /** Vietnamese. */
    message: string,
    readonly messageEn: string,
  ) {
    super(message);
    this.name = 'ServiceError';
  }
}

export const isServiceError = (e: unknown): e is ServiceError => !!e && (e as ServiceError).kind === 'service';

/** The error a non-2xx answer carries; a body without the error shape still gives a readable message. */
export function serviceErrorFrom(status: number, body: unknown): ServiceError {
  const e = (body as { error?: { code?: unknown; message?: unknown; messageEn?: unknown } } | null)?.error;
  const text = (v: unknown) => (typeof v === 'string' && v !== '' ? v : null);
  return new ServiceError(
    status,
    text(e?.code) ?? `http.${status}`,
    text(e?.message) ?? `Máy chủ trả lỗi ${status}`,
    text(e?.messageEn) ?? `The service answered ${status}`,
  );
}
