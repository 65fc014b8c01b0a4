/**
 * GB18030 bytes for tests, as Excel on Chinese Windows saves a CSV. Node's TextEncoder writes UTF-8
 * only, so the table is built from Node's own GB18030 decoder (full ICU): every two-byte sequence
 * decoded once, then looked up backwards. Two-byte GB18030 is GBK, which holds every character our
 * test files use; anything else is refused rather than guessed.
 */
let table: Map<string, [number, number]> | undefined;

function twoByteTable(): Map<string, [number, number]> {
  if (table) return table;
  table = new Map();
  const decoder = new TextDecoder('gb18030', { fatal: true });
  for (let lead = 0x81; lead <= 0xfe; lead++) {
    for (let trail = 0x40; trail <= 0xfe; trail++) {
      if (trail === 0x7f) continue;
      try {
        const char = decoder.decode(new Uint8Array([lead, trail]));
        if (char.length === 1 && !table.has(char)) table.set(char, [lead, trail]);
      } catch {
        // not a character in GB18030's two-byte range
      }
    }
  }
  return table;
}

export function gb18030(text: string): Buffer {
  const bytes: number[] = [];
  for (const char of text) {
    const code = char.codePointAt(0) as number;
    if (code < 0x80) {
      bytes.push(code);
      continue;
    }
    const pair = twoByteTable().get(char);
    if (!pair) throw new Error(`no two-byte GB18030 code for ${char}`);
    bytes.push(...pair);
  }
  return Buffer.from(bytes);
}
