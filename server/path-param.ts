/** A path parameter (own or merged from the parent router) as one string. */
export function pathParam(req: { params: object }, name: string): string {
  const value = (req.params as Record<string, string | string[] | undefined>)[name];
  return Array.isArray(value) ? value.join('/') : (value ?? '');
}
