/**
 * Bad input that a person must fix: says what and where, in Vietnamese and English.
 * The CLI prints it as one line and exits 1; the server answers 400 with it.
 */
export class InputError extends Error {
  constructor(
    /** Vietnamese message. */
    message: string,
    readonly messageEn: string,
    readonly code = 'input.invalid',
    readonly where: { row?: number; field?: string; sheet?: string } = {},
  ) {
    super(message);
    this.name = 'InputError';
  }

  /** "vi / en", the form used where one line must serve both readers. */
  bilingual(): string {
    return `${this.message} / ${this.messageEn}`;
  }
}
