/** Uploaded import files on one machine: DATA_DIR/imports/<id>.csv, written whole or not at all. */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ImportFileStore } from '#ports/imports.ts';

const ID = /^[0-9a-f-]{36}$/;

export class LocalImportFiles implements ImportFileStore {
  constructor(private readonly dir: string) {}

  /** The file of an import; the id is checked so no crafted id can reach outside the directory. */
  private file(id: string): string {
    if (!ID.test(id)) throw new Error(`not an import id: ${id}`);
    return join(this.dir, `${id}.csv`);
  }

  async putImportFile(id: string, bytes: Uint8Array): Promise<void> {
    await mkdir(this.dir, { recursive: true });
    // Written aside and renamed: a crash mid-write leaves no half file for a restarted job to read.
    const temp = `${this.file(id)}.part`;
    await writeFile(temp, bytes, { mode: 0o600 });
    await rename(temp, this.file(id));
  }

  async getImportFile(id: string): Promise<Uint8Array> {
    return readFile(this.file(id));
  }
}
