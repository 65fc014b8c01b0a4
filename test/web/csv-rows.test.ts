import { describe, expect, it } from 'vitest';
import { withoutRows } from '#web/utils/csv-rows.ts';
import { gb18030 } from '../support/gb18030.ts';

const utf8 = (text: string) => new TextEncoder().encode(text);
const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

describe('leaving rows out of a CSV file', () => {
  it('drops the rows Excel numbers, keeping the header and every line break of the rest', () => {
    // Prepare
    const file = utf8('code,name\r\n451322201001004,甲\r\n451322201001005,乙\r\n45132220100106,丙\r\n');

    // Act
    const kept = withoutRows(file, new Set([3]));

    // Assess
    expect(text(kept)).toBe('code,name\r\n451322201001004,甲\r\n45132220100106,丙\r\n');
  });

  it('counts a quoted field spanning lines as one row, as the import does', () => {
    // Prepare
    const file = utf8('code,name\n1,"第一行\n续行, ""引号"""\n2,乙\n3,丙');

    // Act
    const kept = withoutRows(file, new Set([3, 4]));

    // Assess
    expect(text(kept)).toBe('code,name\n1,"第一行\n续行, ""引号"""\n');
  });

  it('never drops the header, and leaves a file without a final line break whole', () => {
    // Act
    const kept = withoutRows(utf8('code,name\r1,甲\r2,乙'), new Set([1]));

    // Assess
    expect(text(kept)).toBe('code,name\r1,甲\r2,乙');
  });

  it('cuts a GB18030 file on the same rows without decoding it', () => {
    // Prepare
    const file = gb18030('code,name\r\n1,那沙村\r\n2,运江镇\r\n');

    // Act
    const kept = withoutRows(file, new Set([2]));

    // Assess
    expect([...kept]).toEqual([...gb18030('code,name\r\n2,运江镇\r\n')]);
  });
});
