/**
 * Leaves rows out of a CSV file as the import numbers them (Excel's numbering: the header is 1, a
 * quoted field spanning lines is still one row), so a dry run's bad rows can be skipped and the
 * rest checked again. The API commits a file whole or not at all; skipping is a new, smaller file.
 *
 * Works on the bytes, not on decoded text: the file may be GB18030 (what Excel writes on Chinese
 * Windows), and the browser cannot encode that back. It need not be decoded either: in UTF-8 and in
 * GB18030 the bytes of `"`, `,`, CR and LF never occur inside another character, so records end at
 * the same bytes whatever the encoding. Record boundaries follow the server's parser: a quote opens
 * a quoted field only at the start of a field, `""` inside one is a quote, and CRLF, LF or a lone CR
 * ends a record.
 */
const QUOTE = 0x22;
const COMMA = 0x2c;
const CR = 0x0d;
const LF = 0x0a;

/** Where each record ends (the index after its line break), in row order; the last may end at the file's end. */
function recordEnds(bytes: Uint8Array): number[] {
  const ends: number[] = [];
  let quoted = false;
  let fieldStarted = false;
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i] as number;
    if (quoted) {
      if (b === QUOTE) {
        if (bytes[i + 1] === QUOTE) i++;
        else quoted = false;
      }
      continue;
    }
    if (b === QUOTE && !fieldStarted) {
      quoted = true;
      fieldStarted = true;
    } else if (b === COMMA) {
      fieldStarted = false;
    } else if (b === CR || b === LF) {
      if (b === CR && bytes[i + 1] === LF) i++;
      ends.push(i + 1);
      fieldStarted = false;
    } else {
      fieldStarted = true;
    }
  }
  if (ends.at(-1) !== bytes.length && bytes.length > 0) ends.push(bytes.length);
  return ends;
}

/** The file without the given rows (1 is the header, which is always kept). */
export function withoutRows(bytes: Uint8Array, rows: ReadonlySet<number>): Uint8Array {
  const ends = recordEnds(bytes);
  const parts: Uint8Array[] = [];
  let start = 0;
  ends.forEach((end, i) => {
    const row = i + 1;
    if (row === 1 || !rows.has(row)) parts.push(bytes.subarray(start, end));
    start = end;
  });
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}
