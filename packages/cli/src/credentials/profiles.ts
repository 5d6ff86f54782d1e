import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Lang } from '@minjiang/standards';
import { UsageError } from '../exit-codes.js';
import { say } from '../lang.js';
import { writeFileAtomic } from './atomic-write.js';
import { checkProfileName, normalizeHub, PROFILE_NAME } from './hub-url.js';
import { TEXT } from './messages.js';
import { CONFIG_FILE, locate, type LocationOptions } from './paths.js';

/** What a profile says: the hub it talks to and, optionally, the organisation it acts for. */
export interface ProfileSettings {
  hub: string;
  org?: string;
}

/** config.json: named profiles and the one used when none is named. Never a token. */
export interface ProfilesFile {
  defaultProfile: string;
  profiles: Record<string, ProfileSettings>;
}

/** A profile as listed. */
export interface Profile extends ProfileSettings {
  name: string;
  isDefault: boolean;
}

const EMPTY: ProfilesFile = { defaultProfile: 'default', profiles: {} };

function invalid(path: string, problem: string, lang: Lang): UsageError {
  return new UsageError(
    'CONFIG-INVALID',
    say(TEXT.badFile, lang, { path, problem, what: say(TEXT.configWhat, lang) }),
    { location: path, hint: say(TEXT.badConfigHint, lang) },
  );
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** Only `hub` and `org` are read: a token someone typed into this file is never used. */
function profileOf(name: string, value: unknown, path: string, lang: Lang): ProfileSettings {
  if (!isRecord(value) || typeof value.hub !== 'string')
    throw invalid(path, `profiles.${name}.hub is not a string`, lang);
  if (value.org !== undefined && typeof value.org !== 'string')
    throw invalid(path, `profiles.${name}.org is not a string`, lang);
  return { hub: value.hub, ...(typeof value.org === 'string' ? { org: value.org } : {}) };
}

function parseProfiles(text: string, path: string, lang: Lang): ProfilesFile {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw invalid(path, 'not JSON', lang);
  }
  if (!isRecord(data)) throw invalid(path, 'not a JSON object', lang);
  const { defaultProfile, profiles = {} } = data;
  if (defaultProfile !== undefined && typeof defaultProfile !== 'string')
    throw invalid(path, 'defaultProfile is not a string', lang);
  if (!isRecord(profiles)) throw invalid(path, 'profiles is not an object', lang);
  const read: Record<string, ProfileSettings> = {};
  for (const [name, value] of Object.entries(profiles)) {
    if (!PROFILE_NAME.test(name)) throw invalid(path, `"${name}" is not a profile name`, lang);
    read[name] = profileOf(name, value, path, lang);
  }
  return { defaultProfile: defaultProfile ?? EMPTY.defaultProfile, profiles: read };
}

/** The settings of one profile, if it exists. */
export function profileSettings(file: ProfilesFile, name: string): ProfileSettings | undefined {
  return Object.hasOwn(file.profiles, name) ? file.profiles[name] : undefined;
}

/** The profiles file, or no profiles when it does not exist yet. */
export async function readProfiles(options: LocationOptions = {}): Promise<ProfilesFile> {
  const { dir, lang } = locate(options);
  const path = join(dir, CONFIG_FILE);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return structuredClone(EMPTY);
    throw error;
  }
  return parseProfiles(text, path, lang);
}

/** Every profile, the default one marked, sorted by name. */
export async function listProfiles(options: LocationOptions = {}): Promise<Profile[]> {
  const file = await readProfiles(options);
  return Object.entries(file.profiles)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, settings]) => ({ name, ...settings, isDefault: name === file.defaultProfile }));
}

/**
 * Creates or changes a profile. While the default profile names no profile that exists (a
 * first `login --profile city`), the profile set becomes the default, so later commands
 * without `--profile` find it.
 */
export async function setProfile(
  name: string,
  settings: ProfileSettings,
  options: LocationOptions = {},
): Promise<Profile> {
  const { dir, lang } = locate(options);
  checkProfileName(name, lang);
  const profile: ProfileSettings = {
    hub: normalizeHub(settings.hub, lang),
    ...(settings.org !== undefined ? { org: settings.org } : {}),
  };
  const file = await readProfiles({ configDir: dir, lang });
  file.profiles[name] = profile;
  if (!Object.hasOwn(file.profiles, file.defaultProfile)) file.defaultProfile = name;
  // No secret here, but the hubs and organisations someone works with are nobody else's business.
  await writeFileAtomic(join(dir, CONFIG_FILE), `${JSON.stringify(file, null, 2)}\n`, 0o600);
  return { name, ...profile, isDefault: file.defaultProfile === name };
}
