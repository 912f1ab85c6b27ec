/**
 * Uploaded files: one multipart `file` part held in memory under UPLOAD_LIMIT,
 * and the zip-bomb check against XLSX_MAX_UNCOMPRESSED before anything parses it.
 */
import type { Request, RequestHandler } from 'express';
import multer from 'multer';
import { inspectZip } from '../io/read-grid';
import type { Config } from './config';
import { ApiError, badRequest } from './errors';

export interface UploadedFile {
  bytes: Uint8Array;
  name: string;
}

/** Parses a multipart body with one `file` part (and a few short text fields); other bodies pass through. */
export function multipartFile(config: Pick<Config, 'uploadLimit'>): RequestHandler {
  const parse = multer({
    storage: multer.memoryStorage(),
    limits: { fileSize: config.uploadLimit, files: 1, fields: 10, fieldSize: 64 * 1024, parts: 12 },
    // File names are Vietnamese: read header parameters as UTF-8, not latin1.
    defParamCharset: 'utf8',
  }).single('file');
  return (req, res, next) => (req.is('multipart/form-data') ? parse(req, res, next) : next());
}

const ZIP_MAGIC = [0x50, 0x4b, 0x03, 0x04];

/**
 * The uploaded file, refused if missing or if it is a zip (.xlsx) that declares
 * more uncompressed bytes than the setting allows. io/read-grid checks the
 * declared sizes again against what the entries really inflate to.
 */
export function uploadedFile(req: Request, config: Pick<Config, 'xlsxMaxUncompressed'>): UploadedFile {
  const file = req.file;
  if (!file) {
    throw badRequest('upload.missing', 'Thiếu tệp gửi lên (trường “file” của biểu mẫu multipart)', 'No file uploaded (multipart field “file”)', {
      field: 'file',
    });
  }
  if (file.size === 0) {
    const name = file.originalname || 'file';
    throw badRequest('upload.empty', `Tệp “${name}” rỗng (0 byte): hãy chọn lại tệp có nội dung`, `The file “${name}” is empty (0 bytes): choose a file with content`, {
      field: 'file',
    });
  }
  const bytes = new Uint8Array(file.buffer.buffer, file.buffer.byteOffset, file.buffer.byteLength);
  if (ZIP_MAGIC.every((b, i) => bytes[i] === b)) {
    const { uncompressedBytes } = inspectZip(bytes);
    if (uncompressedBytes > config.xlsxMaxUncompressed) {
      const mb = (n: number) => `${Math.ceil(n / 1024 / 1024)} MB`;
      throw new ApiError(
        413,
        'file.too_large',
        `Tệp nén giải ra ${mb(uncompressedBytes)}, vượt giới hạn ${mb(config.xlsxMaxUncompressed)}: tệp bị từ chối, không mở`,
        `The workbook expands to ${mb(uncompressedBytes)}, beyond the ${mb(config.xlsxMaxUncompressed)} limit: refused unopened`,
        { field: 'file' },
      );
    }
  }
  return { bytes, name: file.originalname || 'upload' };
}
