/**
 * XML parts of zip packages (.xlsx, .ods) through saxes: whole small parts, or
 * large ones streamed a chunk at a time. Malformed XML is "not a workbook";
 * the handlers' own InputErrors (limits) pass through.
 */
import { SaxesParser, type SaxesTagPlain } from 'saxes';
import { InputError } from '../shared/errors';
import { notWorkbook, type ZipArchive } from './zip';

export type { SaxesTagPlain };

export function localName(name: string): string {
  const colon = name.indexOf(':');
  return colon < 0 ? name : name.slice(colon + 1);
}

function newParser(
  onOpen: (tag: SaxesTagPlain) => void,
  onClose?: (name: string) => void,
  onText?: (text: string) => void,
): SaxesParser {
  const parser = new SaxesParser({ xmlns: false, position: false } as const);
  parser.on('opentag', onOpen);
  if (onClose) parser.on('closetag', (tag) => onClose(tag.name));
  if (onText) parser.on('text', onText);
  return parser;
}

export function parseXml(xml: string, onOpen: (tag: SaxesTagPlain) => void, onClose?: (name: string) => void): void {
  try {
    newParser(onOpen, onClose).write(xml).close();
  } catch (e) {
    throw xmlError(e);
  }
}

export async function streamXml(
  zip: ZipArchive,
  path: string,
  onOpen: (tag: SaxesTagPlain) => void,
  onClose: (name: string) => void,
  onText?: (text: string) => void,
): Promise<void> {
  const parser = newParser(onOpen, onClose, onText);
  try {
    await zip.streamText(path, (text) => parser.write(text));
    parser.close();
  } catch (e) {
    throw xmlError(e);
  }
}

/** Saxes reports malformed XML as plain Errors; the reader's own InputErrors pass through. */
function xmlError(e: unknown): Error {
  if (e instanceof InputError) return e;
  return notWorkbook(e instanceof Error ? e.message.slice(0, 200) : undefined);
}
