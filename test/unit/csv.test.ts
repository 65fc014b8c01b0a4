import { describe, expect, it } from 'vitest';
import { charsetOf, csvField, decodeCsv, formatCsv, isBlankRecord, parseCsv } from '#core/csv.ts';
import { gb18030 } from '../support/gb18030.ts';

const TEXT = 'code,name\r\n451322201,百丈乡\r\n';
const utf8 = (text: string) => Buffer.from(text, 'utf8');
const withBom = (text: string) => Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), utf8(text)]);

describe('decodeCsv', () => {
  it('reads UTF-8 without a BOM', () => {
    // Act
    const result = decodeCsv(utf8(TEXT));

    // Assess
    expect(result).toEqual({ ok: true, text: TEXT, encoding: 'utf-8' });
  });

  it('reads UTF-8 with a BOM (Excel’s “CSV UTF-8”) and drops the BOM', () => {
    // Act
    const result = decodeCsv(withBom(TEXT));

    // Assess
    expect(result).toEqual({ ok: true, text: TEXT, encoding: 'utf-8' });
  });

  it('falls back to GB18030 when the bytes are not UTF-8 (Excel’s CSV on Chinese Windows)', () => {
    // Prepare
    const bytes = gb18030(TEXT);

    // Act
    const result = decodeCsv(bytes);

    // Assess
    expect(bytes.equals(utf8(TEXT))).toBe(false);
    expect(result).toEqual({ ok: true, text: TEXT, encoding: 'gb18030' });
  });

  it('honours a charset the uploader gives (gbk, gb2312 and gb18030 all decode as GB18030)', () => {
    // Act
    const results = ['gbk', 'GB2312', 'gb18030'].map((charset) => decodeCsv(gb18030(TEXT), charset));

    // Assess
    for (const result of results) expect(result).toEqual({ ok: true, text: TEXT, encoding: 'gb18030' });
  });

  it('lets a BOM outrank a charset label, as the WHATWG decode algorithm does', () => {
    // Act
    const result = decodeCsv(withBom(TEXT), 'gbk');

    // Assess
    expect(result).toEqual({ ok: true, text: TEXT, encoding: 'utf-8' });
  });

  it('refuses bytes that are not valid in the charset given, and charsets it does not read', () => {
    // Act
    const notUtf8 = decodeCsv(gb18030(TEXT), 'utf-8');
    const big5 = decodeCsv(utf8(TEXT), 'big5');

    // Assess
    expect(notUtf8).toMatchObject({ ok: false, code: 'IMPORT.NOT_TEXT' });
    expect(big5).toMatchObject({ ok: false, code: 'IMPORT.UNSUPPORTED_CHARSET' });
  });

  it('refuses bytes that are neither UTF-8 nor GB18030 instead of turning them into U+FFFD', () => {
    // Act
    const result = decodeCsv(Buffer.from([0x63, 0x6f, 0x64, 0x65, 0x0a, 0xff, 0xff, 0xff]));

    // Assess
    expect(result).toMatchObject({ ok: false, code: 'IMPORT.NOT_TEXT' });
  });
});

describe('damaged text', () => {
  it('refuses text that holds U+FFFD: bytes already lost before they arrived (GB18030 read as UTF-8 on the way)', () => {
    // Prepare: what a proxy that decodes GB18030 as UTF-8 passes on
    const mangled = Buffer.from(gb18030(TEXT).toString('utf8'), 'utf8');

    // Act
    const result = decodeCsv(mangled);

    // Assess
    expect(result).toMatchObject({ ok: false, code: 'IMPORT.DAMAGED_TEXT' });
  });
});

describe('charsetOf', () => {
  it('reads the charset parameter in any case, quoted or not, and nothing when there is none', () => {
    expect(charsetOf('text/csv; charset=GBK')).toBe('gbk');
    expect(charsetOf('text/csv;charset="utf-8"')).toBe('utf-8');
    expect(charsetOf('text/csv')).toBeUndefined();
    expect(charsetOf(undefined)).toBeUndefined();
  });
});

describe('parseCsv', () => {
  it('splits records on CRLF, LF and a lone CR, numbering rows from the header as 1', () => {
    // Act
    const { records } = parseCsv('a,b\r\n1,2\n3,4\r5,6');

    // Assess
    expect(records).toEqual([
      { row: 1, fields: ['a', 'b'] },
      { row: 2, fields: ['1', '2'] },
      { row: 3, fields: ['3', '4'] },
      { row: 4, fields: ['5', '6'] },
    ]);
  });

  it('reads quoted fields with commas, doubled quotes and line breaks, a multi-line record being one row', () => {
    // Act
    const { records } = parseCsv('name,title\r\n"韦丽萍, 网格员","说""好""的"\r\n"第一行\r\n第二行",x\r\nlast,y\r\n');

    // Assess
    expect(records).toEqual([
      { row: 1, fields: ['name', 'title'] },
      { row: 2, fields: ['韦丽萍, 网格员', '说"好"的'] },
      { row: 3, fields: ['第一行\r\n第二行', 'x'] },
      { row: 4, fields: ['last', 'y'] },
    ]);
  });

  it('keeps empty fields, and a quoted empty field at the end of the file', () => {
    // Act
    const { records } = parseCsv('a,,c\n,,\n""');

    // Assess
    expect(records.map((r) => r.fields)).toEqual([['a', '', 'c'], ['', '', ''], ['']]);
  });

  it('tells where a quoted field that never ends began', () => {
    // Act
    const result = parseCsv('a,b\n1,"open\n2,3\n');

    // Assess
    expect(result.unterminatedQuoteAt).toBe(2);
  });

  it('knows the empty rows Excel writes (only commas) for blank', () => {
    expect(isBlankRecord({ row: 3, fields: ['', ' ', ''] })).toBe(true);
    expect(isBlankRecord({ row: 3, fields: ['', 'x'] })).toBe(false);
  });
});

describe('formatCsv', () => {
  it('writes a BOM, CRLF line ends and quotes only where RFC 4180 needs them', () => {
    // Act
    const text = formatCsv([
      ['code', 'name'],
      ['1', '甲,乙'],
      ['2', '说"好"'],
      ['3', ' 空格'],
    ]);

    // Assess
    expect(text).toBe('\uFEFFcode,name\r\n1,"甲,乙"\r\n2,"说""好"""\r\n3," 空格"\r\n');
    expect(csvField('普通')).toBe('普通');
  });

  it('parses back to what it wrote', () => {
    // Prepare
    const rows = [
      ['a', 'b'],
      ['x,y', '多\r\n行'],
      ['"', ''],
    ];

    // Act
    const parsed = parseCsv(formatCsv(rows).slice(1));

    // Assess
    expect(parsed.records.map((r) => r.fields)).toEqual(rows);
  });
});
