import type { Lang } from '@minjiang/standards';
import { UsageError } from '../exit-codes.js';
import { say } from '../lang.js';
import { TEXT } from './messages.js';

/** Letters, digits, `.`, `_`, `-`; never `@` (the account separator) nor `__proto__`. */
export const PROFILE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/** A profile name as the stores key it: it ends up in a keychain account `<profile>@<hub>`. */
export function checkProfileName(name: string, lang: Lang): string {
  if (!PROFILE_NAME.test(name))
    throw new UsageError('PROFILE-NAME', say(TEXT.profileName, lang, { name }), {
      hint: say(TEXT.profileNameHint, lang),
    });
  return name;
}

function hubProblem(url: URL): string | null {
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return `scheme ${url.protocol}`;
  if (url.username || url.password) return 'user or password in the URL';
  if (url.search || url.hash) return 'query or fragment';
  return null;
}

/**
 * The one spelling of a hub URL, so `https://hub/` and `https://HUB` find the same token: the
 * origin (lower-case host, default port dropped) and the path without trailing slashes.
 */
export function normalizeHub(hub: string, lang: Lang): string {
  let url: URL;
  try {
    url = new URL(hub.trim());
  } catch {
    throw new UsageError('HUB-URL', say(TEXT.hubUrl, lang, { hub, problem: 'not a URL' }), {
      hint: say(TEXT.hubUrlHint, lang),
    });
  }
  const problem = hubProblem(url);
  // The URL is echoed without user and password: they are secrets too.
  if (problem) {
    const shown = `${url.protocol}//${url.host}${url.pathname}`;
    throw new UsageError('HUB-URL', say(TEXT.hubUrl, lang, { hub: shown, problem }), {
      hint: say(TEXT.hubUrlHint, lang),
    });
  }
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
}
