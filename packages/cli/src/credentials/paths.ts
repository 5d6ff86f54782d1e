import { homedir } from 'node:os';
import { isAbsolute, join } from 'node:path';
import type { Lang } from '@minjiang/standards';
import { resolveLang } from '../lang.js';

/** The profiles file, in the config directory. It holds hubs and names, never a token. */
export const CONFIG_FILE = 'config.json';

/** The token file of the file store, used only where no OS keychain answers. Mode 0600. */
export const CREDENTIALS_FILE = 'credentials.json';

/**
 * Where the CLI keeps its configuration: `MINJIANG_CONFIG_DIR`, else `$XDG_CONFIG_HOME/minjiang`,
 * else `~/.config/minjiang`. A relative XDG_CONFIG_HOME is ignored, as the XDG spec says.
 */
export function configDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.MINJIANG_CONFIG_DIR) return env.MINJIANG_CONFIG_DIR;
  const xdg = env.XDG_CONFIG_HOME;
  if (xdg && isAbsolute(xdg)) return join(xdg, 'minjiang');
  return join(env.HOME || homedir(), '.config', 'minjiang');
}

/** Where the stores live and which language their errors speak; both from the environment by default. */
export interface LocationOptions {
  /** The config directory; {@link configDir} of `process.env` by default. */
  configDir?: string;
  /** Language of error messages; `MINJIANG_LANG`/`LANG` by default. */
  lang?: Lang;
}

export function locate(options: LocationOptions = {}): { dir: string; lang: Lang } {
  return { dir: options.configDir ?? configDir(), lang: options.lang ?? resolveLang(undefined) };
}
