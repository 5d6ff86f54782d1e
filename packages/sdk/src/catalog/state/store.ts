import { randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile } from 'node:fs/promises';
import { writeFileAtomic } from '../../core/atomic-file.js';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { SNAPSHOT_FORMAT, type HubSnapshot } from '../plan/types.js';
import { StateFileError } from './errors.js';
import { RECEIPT_FORMAT, type SavedReceipt } from './receipts.js';
import { STATE_FORMAT, type CatalogState } from './types.js';

/** The folder, next to a catalog, that holds what was applied where. */
export const STATE_DIR = '.minjiang';

/**
 * A file-system-safe name for a hub: host, port and path of its URL (`127.0.0.1_8750`,
 * `hub.fujian.gov.cn_api`). One catalog can be applied to several hubs (a city hub and the
 * province); each gets its own state.
 */
export function hubIdOf(baseURL: string): string {
  const url = new URL(baseURL);
  const path = url.pathname.replace(/\/+$/, '');
  return `${url.hostname}${url.port ? `_${url.port}` : ''}${path}`.replace(/[^A-Za-z0-9.-]+/g, '_');
}

/**
 * Writes JSON so that a reader sees the old file or the new one, never half of one: a temporary
 * file in the same folder, flushed to disk, then renamed over the target.
 */
export async function writeJsonAtomic(path: string, value: unknown): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFileAtomic(path, `${JSON.stringify(value, null, 2)}\n`);
}

async function readJson(path: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (cause) {
    throw new StateFileError('STATE-UNREADABLE', `无法解析状态文件 ${path}`, {
      location: path,
      hint: '该文件可能被手工改坏；从版本库恢复它，或删除它（下次将按两方比较重新建立）。',
      cause,
    });
  }
}

function expectFormat<T>(value: unknown, format: string, path: string): T | undefined {
  if (value === undefined) return undefined;
  const found = typeof value === 'object' && value !== null && 'format' in value ? value.format : undefined;
  if (found !== format) {
    throw new StateFileError('STATE-FORMAT', `${path} 不是 ${format} 格式的文件`, {
      location: path,
      hint: '它可能由更新版本的 minjiang 写出；请升级 minjiang，或删除该文件。',
    });
  }
  return value as T;
}

/**
 * The `.minjiang` folder of a catalog, for one hub:
 *
 * ```
 * .minjiang/
 *   hubs/<hub>/state.json      last-applied state: documents, versions, ETags, the pinned key
 *   hubs/<hub>/snapshot.json   the hub's state as last read, for `plan --offline`
 *   receipts/<hub>/<time>-<what>.json   every signed receipt, as received, with its check
 * ```
 */
export class CatalogStateStore {
  readonly dir: string;
  readonly baseURL: string;
  readonly hubId: string;

  constructor(dir: string, baseURL: string) {
    this.dir = resolve(dir);
    this.baseURL = baseURL;
    this.hubId = hubIdOf(baseURL);
  }

  /** The store next to a catalog file or folder. */
  static forCatalog(catalogPath: string, baseURL: string): CatalogStateStore {
    return new CatalogStateStore(join(dirname(resolve(catalogPath)), STATE_DIR), baseURL);
  }

  get statePath(): string {
    return join(this.dir, 'hubs', this.hubId, 'state.json');
  }

  get snapshotPath(): string {
    return join(this.dir, 'hubs', this.hubId, 'snapshot.json');
  }

  get receiptsDir(): string {
    return join(this.dir, 'receipts', this.hubId);
  }

  async readState(): Promise<CatalogState | undefined> {
    return expectFormat<CatalogState>(await readJson(this.statePath), STATE_FORMAT, this.statePath);
  }

  async writeState(state: CatalogState): Promise<void> {
    await writeJsonAtomic(this.statePath, state);
  }

  async readSnapshot(): Promise<HubSnapshot | undefined> {
    return expectFormat<HubSnapshot>(await readJson(this.snapshotPath), SNAPSHOT_FORMAT, this.snapshotPath);
  }

  async writeSnapshot(snapshot: HubSnapshot): Promise<void> {
    await writeJsonAtomic(this.snapshotPath, snapshot);
  }

  /** Saves a receipt under a new name; returns its path relative to the `.minjiang` folder. */
  async saveReceipt(saved: SavedReceipt, what: string): Promise<string> {
    const stamp = saved.savedAt.replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
    const name = `${stamp}-${what.replace(/[^A-Za-z0-9.-]+/g, '-')}-${randomBytes(3).toString('hex')}.json`;
    const path = join(this.receiptsDir, name);
    await writeJsonAtomic(path, saved);
    return relative(this.dir, path).split(sep).join('/');
  }

  /** Every saved receipt of this hub, oldest first, as paths relative to the `.minjiang` folder. */
  async listReceipts(): Promise<string[]> {
    let names: string[];
    try {
      names = await readdir(this.receiptsDir);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
    const base = relative(this.dir, this.receiptsDir).split(sep).join('/');
    return names
      .filter((name) => name.endsWith('.json'))
      .sort()
      .map((name) => `${base}/${name}`);
  }

  async readReceipt(path: string): Promise<SavedReceipt | undefined> {
    const full = join(this.dir, path);
    return expectFormat<SavedReceipt>(await readJson(full), RECEIPT_FORMAT, full);
  }
}
