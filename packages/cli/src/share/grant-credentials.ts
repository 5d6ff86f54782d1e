/**
 * Grant credentials (app key and secret) kept for `share query | verify | download`, next to the
 * hub tokens: the OS keychain, else the 0600 credentials file — the same stores and the same
 * checks as `minjiang login`. The secret never travels as a flag: it comes from here or from
 * MINJIANG_APP_KEY / MINJIANG_APP_SECRET.
 */
import { join } from 'node:path';
import type { Lang } from '@minjiang/standards';
import type { GrantView, HubClient } from '@minjiang/sdk';
import { CredentialsError } from '../exit-codes.js';
import { say } from '../lang.js';
import { fileGet, fileSet } from '../credentials/file-store.js';
import { KEYCHAIN_SERVICE, systemKeychain, type Keychain } from '../credentials/keychain.js';
import { locate, type LocationOptions } from '../credentials/paths.js';

/** What a call under the grant needs besides the secret; all of it from the signed grant document. */
export interface GrantTerms {
  grant: string;
  /** The assignee: SES-Client. */
  client: string;
  /** The grant's target: `/ses/r1/{service}/…`. */
  service: string;
  purpose: string;
  mode: string;
  fields: string[];
}

export interface GrantCredential extends GrantTerms {
  hub: string;
  appKey: string;
  secret: string;
  savedAt: string;
}

export interface GrantStoreOptions extends LocationOptions {
  /** null: the file store alone. Default: the OS keychain unless MINJIANG_KEYRING=off. */
  keychain?: Keychain | null;
}

const TEXT = {
  badEntry: {
    'zh-CN': '保存的授权 {grant} 凭证无法读取',
    en: 'the saved credential of grant {grant} cannot be read',
  },
  badEntryHint: {
    'zh-CN': '重新签发并保存：`minjiang share credentials {grant} --rotate --save`。',
    en: 'Issue and save it again: `minjiang share credentials {grant} --rotate --save`.',
  },
};

/** The store key: a profile name never contains `:`, so it cannot collide with a hub token's. */
export function grantAccount(grant: string, hub: string): string {
  return `grant:${grant}@${hub}`;
}

function keychainOf(options: GrantStoreOptions): Keychain | null {
  if (options.keychain !== undefined) return options.keychain;
  return process.env.MINJIANG_KEYRING?.toLowerCase() === 'off' ? null : systemKeychain();
}

/** The terms of a grant from its verified document (the view's fields are only the hub's word). */
export function termsOf(view: GrantView, document: Record<string, unknown>): GrantTerms {
  const constraints = ((document.permission as { constraint?: unknown[] }[] | undefined)?.[0]?.constraint ??
    []) as { leftOperand: string; rightOperand: unknown }[];
  const operand = (name: string) => constraints.find((c) => c.leftOperand === name)?.rightOperand;
  const purpose = operand('purpose');
  const fields = operand('ses:fields');
  return {
    grant: view.id,
    client: typeof document.assignee === 'string' ? document.assignee : view.assignee,
    service: typeof document.target === 'string' ? document.target : '',
    purpose: typeof purpose === 'string' ? purpose : view.purposeCode,
    mode: typeof document['ses:mode'] === 'string' ? document['ses:mode'] : view.mode,
    fields: Array.isArray(fields) ? fields.map(String) : [],
  };
}

/** Saves a grant credential: the keychain when it answers, else the 0600 file. */
export async function saveGrantCredential(
  credential: GrantCredential,
  options: GrantStoreOptions = {},
): Promise<{ store: 'keychain' | 'file'; location: string }> {
  const { dir, lang } = locate(options);
  const account = grantAccount(credential.grant, credential.hub);
  const text = JSON.stringify(credential);
  const keychain = keychainOf(options);
  if (keychain) {
    try {
      await keychain.set(account, text);
      return { store: 'keychain', location: `${KEYCHAIN_SERVICE}/${account}` };
    } catch {
      // No keychain answers here (a server, a container): the private file instead.
    }
  }
  return { store: 'file', location: await fileSet(dir, account, text, lang) };
}

function parse(text: string, grant: string, lang: Lang): GrantCredential {
  try {
    const value = JSON.parse(text) as GrantCredential;
    if (
      typeof value.appKey === 'string' &&
      typeof value.secret === 'string' &&
      typeof value.service === 'string'
    )
      return value;
  } catch {
    // Reported below without echoing the entry: it holds a secret.
  }
  throw new CredentialsError('GRANT-CREDENTIAL-INVALID', say(TEXT.badEntry, lang, { grant }), {
    hint: say(TEXT.badEntryHint, lang, { grant }),
  });
}

/** The saved credential of a grant on a hub, or undefined. */
export async function readGrantCredential(
  grant: string,
  hub: string,
  options: GrantStoreOptions = {},
): Promise<GrantCredential | undefined> {
  const { dir, lang } = locate(options);
  const account = grantAccount(grant, hub);
  const keychain = keychainOf(options);
  let text: string | null | undefined;
  if (keychain) text = await keychain.get(account).catch(() => null);
  text ??= await fileGet(dir, account, lang);
  return text ? parse(text, grant, lang) : undefined;
}

/**
 * Saves a credential `share credentials --save` has just issued, with the grant's terms read from
 * its signed document (verified again against the pinned hub key, which the issue just pinned).
 */
export async function saveIssuedCredential(
  client: HubClient,
  grant: string,
  issued: { appKey: string; secret: string },
  lang: Lang,
): Promise<{ store: 'keychain' | 'file'; location: string }> {
  const { checkGrant } = await import('@minjiang/sdk');
  const view = await client.sharing.getGrant(grant);
  const check = await checkGrant(client, view, { stateDir: join(process.cwd(), '.minjiang') });
  const terms = termsOf(view, check.grant as unknown as Record<string, unknown>);
  const hub = client.transport.options.baseURL.replace(/\/+$/, '');
  const savedAt = new Date().toISOString();
  return saveGrantCredential({ ...terms, hub, ...issued, savedAt }, { lang });
}
