/**
 * A file chosen in the pane ("Từ văn bản…") read in the browser into the same
 * DocumentContent the service reads: Word (.docx) through the same reader as the
 * service (jszip and saxes run in IE 11), text letters and tab-separated annexes
 * through the core. Workbooks (.xls, .xlsx, .ods) open in Excel itself; PDF needs
 * pdf.js, which the IE 11 webview of Office 2016/2019 cannot run, so the pane
 * points to the dashboard (or the command line), which read PDFs on the server.
 */
import { readDocx } from '../../../io/docx-reader';
import type { DocumentContent } from '../../../shared/document';
import { documentFromText } from '../../../shared/document-text';
import { decodeText } from '../../../shared/encoding';
import { InputError } from '../../../shared/errors';

/** What the pane's file picker offers. */
export const PANE_DOCUMENT_EXTENSIONS = ['.docx', '.txt', '.md', '.tsv', '.pdf', '.xls', '.xlsx', '.ods'];

const startsWith = (bytes: Uint8Array, text: string) => text.split('').every((c, i) => bytes[i] === c.charCodeAt(0));

/** FileReader: IE 11 has no Blob.arrayBuffer(). */
function fileBytes(file: Blob): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(new Uint8Array(reader.result as ArrayBuffer));
    reader.onerror = () => reject(reader.error);
    reader.readAsArrayBuffer(file);
  });
}

export async function readDocumentFile(file: File): Promise<DocumentContent> {
  const name = file.name;
  const bytes = await fileBytes(file);
  if (bytes.length === 0) throw new InputError(`Tệp ${name} rỗng`, `The file ${name} is empty`, 'file.empty');
  if (startsWith(bytes, '%PDF')) {
    throw new InputError(
      `Khung này không đọc được PDF (${name}): hãy tạo bảng theo dõi từ PDF trên trang quản trị (dashboard) hoặc bằng lệnh annex-tracker, rồi tải bảng về; hoặc dùng bản Word (.docx)`,
      `This pane cannot read PDFs (${name}): create the tracker from the PDF on the dashboard's administration page or with the annex-tracker command, then pull it here; or use the Word file (.docx)`,
      'file.pdf_in_pane',
    );
  }
  if (startsWith(bytes, 'PK\u0003\u0004')) {
    if (/\.(xlsx|xlsm|ods)$/i.test(name)) throw openInExcel(name);
    return readDocx(bytes, name);
  }
  if (startsWith(bytes, '\u00d0\u00cf\u0011\u00e0')) {
    // Word 97 and Excel 97 share the container: Excel opens the second, Word must re-save the first.
    if (/\.xls$/i.test(name)) throw openInExcel(name);
    throw new InputError(
      `Tệp ${name} là văn bản Word 97-2003 (.doc) hoặc tệp có mật khẩu: hãy mở bằng Word, bỏ mật khẩu nếu có, rồi lưu lại dạng .docx`,
      `${name} is a Word 97-2003 document (.doc) or a password-protected file: open it in Word, remove any password and save it as .docx`,
      'file.doc',
    );
  }
  const { text } = decodeText(bytes);
  if (text.indexOf('\u0000') >= 0) throw new InputError(`Tệp ${name} không phải văn bản`, `The file ${name} is not text`, 'file.binary');
  return documentFromText(text, name);
}

function openInExcel(name: string): InputError {
  return new InputError(
    `${name} là bảng tính: hãy mở bằng Excel (Tệp → Mở), chọn trang có phụ lục rồi bấm Nhận dạng`,
    `${name} is a workbook: open it in Excel (File → Open), go to the annex sheet and click Recognise`,
    'file.open_in_excel',
  );
}
