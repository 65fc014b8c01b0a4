/**
 * CSV as counties keep it: Excel files saved as CSV, which on Chinese Windows means GB18030 (GBK)
 * unless someone picked "CSV UTF-8" (which writes a BOM). Decoding picks the encoding from the
 * bytes; parsing follows RFC 4180 (quoted fields with "" escapes, CRLF or LF, line breaks inside
 * quotes) and numbers records the way Excel numbers rows, header = 1.
 */

export type CsvEncoding = 'utf-8' | 'gb18030';

export type DecodeResult = { ok: true; text: string; encoding: CsvEncoding } | { ok: false; code: string; message: string };

/** Charset labels that mean GB18030 or one of its subsets (WHATWG Encoding: gbk, gb2312… all decode as gb18030). */
const GB_LABELS = new Set(['gb18030', 'gbk', 'gb2312', 'x-gbk', 'cp936', 'ms936', 'windows-936', 'csgb2312', 'chinese', 'iso-ir-58']);
const UTF8_LABELS = new Set(['utf-8', 'utf8', 'unicode-1-1-utf-8']);

const BOM = [0xef, 0xbb, 0xbf];

function hasUtf8Bom(bytes: Uint8Array): boolean {
  return bytes.length >= 3 && bytes[0] === BOM[0] && bytes[1] === BOM[1] && bytes[2] === BOM[2];
}

function decodeStrict(bytes: Uint8Array, encoding: CsvEncoding): string | null {
  try {
    // fatal: a byte that is not valid in the encoding refuses the file rather than becoming U+FFFD.
    return new TextDecoder(encoding, { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    return null;
  }
}

/** The charset parameter of a Content-Type, lower-cased, or undefined when there is none. */
export function charsetOf(contentType: string | undefined): string | undefined {
  const match = /;\s*charset\s*=\s*("?)([^";\s]+)\1/i.exec(contentType ?? '');
  return match?.[2]?.toLowerCase();
}

/**
 * The text of an uploaded CSV. A UTF-8 BOM decides first (as in the WHATWG decode algorithm, a BOM
 * outranks a label: Excel's "CSV UTF-8" writes one whatever the uploader claims); then a charset
 * the uploader gave; without one, strict UTF-8 and, failing that, GB18030, which is what Excel
 * writes on Chinese Windows. Bytes that are valid in neither are refused, never guessed at.
 */
export function decodeCsv(bytes: Uint8Array, charset?: string): DecodeResult {
  const result = decodeBytes(bytes, charset);
  // U+FFFD is what a decoder leaves where bytes were not text: in a file it means an editor, or a
  // proxy that read GB18030 as UTF-8 (API Gateway passes text/* bodies as UTF-8), already lost them.
  if (result.ok && result.text.includes('\uFFFD')) {
    return {
      ok: false,
      code: 'IMPORT.DAMAGED_TEXT',
      message:
        '文件中有无法识别的字符（�），文字在保存或上传时已经损坏：请从Excel重新另存为CSV，并以 application/octet-stream 上传 ' +
        '(the text holds U+FFFD: it was damaged before it arrived; save it again from Excel and upload it as application/octet-stream)',
    };
  }
  return result;
}

function decodeBytes(bytes: Uint8Array, charset?: string): DecodeResult {
  if (hasUtf8Bom(bytes)) {
    const text = decodeStrict(bytes, 'utf-8');
    if (text === null) return notText('UTF-8');
    return { ok: true, text, encoding: 'utf-8' };
  }
  if (charset !== undefined) {
    const label = charset.toLowerCase();
    const encoding: CsvEncoding | null = UTF8_LABELS.has(label) ? 'utf-8' : GB_LABELS.has(label) ? 'gb18030' : null;
    if (encoding === null) {
      return {
        ok: false,
        code: 'IMPORT.UNSUPPORTED_CHARSET',
        message: `不支持的字符集“${charset}”：请用 UTF-8 或 GB18030/GBK (charset ${charset} is not supported: send UTF-8 or GB18030/GBK)`,
      };
    }
    const text = decodeStrict(bytes, encoding);
    return text === null ? notText(encoding === 'utf-8' ? 'UTF-8' : 'GB18030') : { ok: true, text, encoding };
  }
  const utf8 = decodeStrict(bytes, 'utf-8');
  if (utf8 !== null) return { ok: true, text: utf8, encoding: 'utf-8' };
  const gb = decodeStrict(bytes, 'gb18030');
  if (gb !== null) return { ok: true, text: gb, encoding: 'gb18030' };
  return notText('UTF-8 or GB18030');
}

function notText(what: string): DecodeResult {
  return {
    ok: false,
    code: 'IMPORT.NOT_TEXT',
    message: `文件不是有效的${what}文本：请在Excel中“另存为”CSV（逗号分隔）或“CSV UTF-8”后再上传 (the file is not valid ${what} text: save it from Excel as CSV)`,
  };
}

/** One record of the file: its row as Excel numbers it (the header is 1) and its fields. */
export interface CsvRecord {
  row: number;
  fields: string[];
}

export interface CsvParse {
  records: CsvRecord[];
  /** Set when the file ends inside a quoted field: the row where that field began. */
  unterminatedQuoteAt?: number;
}

/**
 * Parses RFC 4180 text: fields separated by commas, a field in double quotes may hold commas, line
 * breaks and "" for a quote; records end at CRLF, LF or a lone CR. A quote inside an unquoted field
 * is kept as it is (Excel never writes one, people typing do). Rows are counted as Excel counts
 * them, so a record whose quoted field spans lines is still one row.
 */
export function parseCsv(text: string): CsvParse {
  const records: CsvRecord[] = [];
  let fields: string[] = [];
  let field = '';
  let quoted = false;
  let fieldStarted = false;
  let row = 1;
  let quoteRow = 0;
  const endField = () => {
    fields.push(field);
    field = '';
    fieldStarted = false;
  };
  const endRecord = () => {
    endField();
    records.push({ row, fields });
    fields = [];
    row++;
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string;
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else {
          quoted = false;
        }
      } else {
        field += c;
      }
      continue;
    }
    if (c === '"' && !fieldStarted) {
      quoted = true;
      fieldStarted = true;
      quoteRow = row;
    } else if (c === ',') {
      endField();
    } else if (c === '\r' || c === '\n') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      endRecord();
    } else {
      field += c;
      fieldStarted = true;
    }
  }
  if (quoted) return { records, unterminatedQuoteAt: quoteRow };
  // The last record has no line break after it, unless the file ended with one.
  if (fields.length > 0 || field !== '' || fieldStarted) endRecord();
  return { records };
}

/** True for a record Excel writes for an empty row (nothing, or only commas and spaces). */
export function isBlankRecord(record: CsvRecord): boolean {
  return record.fields.every((f) => f.trim() === '');
}

const NEEDS_QUOTES = /[",\r\n]|^\s|\s$/;

/** One field as RFC 4180 writes it: quoted when it holds a comma, a quote, a line break or edge spaces. */
export function csvField(value: string): string {
  return NEEDS_QUOTES.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/**
 * A whole file: a BOM (so Excel opens it as UTF-8 instead of the machine's code page), the rows
 * joined by CRLF as RFC 4180 and Excel write them.
 */
export function formatCsv(rows: readonly (readonly string[])[]): string {
  return `\uFEFF${rows.map((r) => r.map(csvField).join(',')).join('\r\n')}\r\n`;
}
