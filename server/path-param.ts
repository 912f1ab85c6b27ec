import { hasXmlForbidden } from '../shared/text';
import { badRequest } from './errors';

/**
 * A path parameter (own or merged from the parent router) as one string.
 * NUL and other control characters are refused here: PostgreSQL cannot even
 * compare them, and no id holds one.
 */
export function pathParam(req: { params: object }, name: string): string {
  const raw = (req.params as Record<string, string | string[] | undefined>)[name];
  const value = Array.isArray(raw) ? raw.join('/') : (raw ?? '');
  if (hasXmlForbidden(value)) {
    throw badRequest('request.invalid', `Đường dẫn có ký tự điều khiển ở “${name}”`, `The path holds a control character in “${name}”`, { field: name });
  }
  return value;
}
