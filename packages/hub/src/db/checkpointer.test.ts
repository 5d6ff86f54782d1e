import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { freshStore } from '../../test-utils/hub.js';
import { startCheckpointer, walKeptBytes } from './checkpointer.js';

describe('the SQLite checkpointer', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it('checkpoints the WAL in its worker once it passes 1,000 pages, the writer no longer doing it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'minjiang-checkpoint-'));
    dirs.push(dir);
    const file = join(dir, 'db.sqlite');
    const writer = new SQLite(file);
    writer.pragma('journal_mode = WAL');
    const checkpointer = startCheckpointer(writer, file);
    try {
      expect(writer.pragma('wal_autocheckpoint', { simple: true })).toBe(0);
      writer.exec('create table t (v text)');
      const insert = writer.prepare('insert into t (v) values (?)');
      // ≈ 6 MB of rows in 1,500 commits: past 1,000 pages of 4 KiB.
      for (let i = 0; i < 1500; i++) insert.run('值'.repeat(1300));
      for (let waited = 0; checkpointer.done.checkpoints === 0 && waited < 5000; waited += 50)
        await new Promise((resolve) => setTimeout(resolve, 50));
      expect(checkpointer.done.checkpoints).toBeGreaterThan(0);
      // Every frame of the WAL was copied by the worker (nothing read it meanwhile).
      expect(checkpointer.done.log).toBeGreaterThan(1000);
      expect(checkpointer.done.checkpointed).toBe(checkpointer.done.log);
      // The next commit starts the WAL again and cuts the ≈ 6 MB file back (it kept its size before).
      const walFile = `${file}-wal`;
      expect(statSync(walFile).size).toBeGreaterThan(1000 * 4096);
      insert.run('再');
      expect(statSync(walFile).size).toBeLessThanOrEqual(walKeptBytes(4096));
    } finally {
      await checkpointer.close();
      writer.close();
    }
  });

  it('is how the hub opens SQLite', async () => {
    const { store, dispose } = await freshStore('sqlite');
    try {
      expect(store.sqlite?.pragma('wal_autocheckpoint', { simple: true })).toBe(0);
      expect(store.sqlite?.pragma('journal_size_limit', { simple: true })).toBe(walKeptBytes(4096));
    } finally {
      await dispose();
    }
  });
});
