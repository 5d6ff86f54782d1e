/**
 * The exchange client of `share query | verify | download`: the hub from the profile or flags,
 * the grant's key and secret from the environment or the credential store, the grant's terms
 * (client, service, purpose) from the saved credential or, failing that, from the signed grant.
 */
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { Flags } from '@oclif/core';
import type { Lang } from '@minjiang/standards';
import type { ExchangeClient, HubClient } from '@minjiang/sdk';
import { CredentialsError } from '../exit-codes.js';
import { connectHub, hubFlags } from '../hub-connection.js';
import { say } from '../lang.js';
import { withAdvice } from './exchange-advice.js';
import { readGrantCredential, termsOf, type GrantTerms } from './grant-credentials.js';

export const exchangeFlags = {
  ...hubFlags,
  operator: Flags.string({
    summary: 'Who is calling; only its HMAC pseudonym leaves the machine (SES-User). Default: the OS user.',
    env: 'MINJIANG_OPERATOR',
  }),
  issue: Flags.string({ summary: 'The case number the calls belong to (SES-Issue).', env: 'MINJIANG_ISSUE' }),
  retry: Flags.boolean({
    summary: 'On 429, wait for Retry-After (at most 60 s) and try again, up to 3 times.',
    env: 'MINJIANG_RETRY_429',
  }),
};

export interface ExchangeFlags {
  hub?: string | undefined;
  profile?: string | undefined;
  operator?: string | undefined;
  issue?: string | undefined;
  retry?: boolean | undefined;
}

export interface ExchangeConnection {
  exchange: ExchangeClient;
  terms: GrantTerms;
  hub: string;
  /** Where the key and secret came from. */
  source: 'env' | 'store';
}

const TEXT = {
  none: {
    'zh-CN': '没有授权 {grant} 在枢纽 {hub} 的调用凭证',
    en: 'no credential for grant {grant} on hub {hub}',
  },
  noneHint: {
    'zh-CN':
      '签发时保存：`minjiang share credentials {grant} --save`；或设置环境变量 MINJIANG_APP_KEY 与 MINJIANG_APP_SECRET（SM2 凭证：MINJIANG_APP_PRIVATE_KEY）。',
    en: 'Save it when issuing: `minjiang share credentials {grant} --save`; or set MINJIANG_APP_KEY and MINJIANG_APP_SECRET (an SM2 credential: MINJIANG_APP_PRIVATE_KEY).',
  },
  noTerms: {
    'zh-CN': '使用环境变量中的凭证时，需要枢纽令牌读取授权 {grant} 的条款（服务、用途）',
    en: 'with a credential from the environment, a hub token is needed to read the terms (service, purpose) of grant {grant}',
  },
  noTermsHint: {
    'zh-CN': '运行 `minjiang login` 或设置 MINJIANG_TOKEN；或在本机用 --save 保存凭证。',
    en: 'Run `minjiang login` or set MINJIANG_TOKEN; or save the credential on this machine with --save.',
  },
};

function operatorOf(flag: string | undefined): string {
  if (flag?.trim()) return flag.trim();
  try {
    return userInfo().username;
  } catch {
    // No passwd entry (some containers): the SDK then sends a fixed pseudonym.
    return '';
  }
}

/** The grant's terms read from the hub and verified against the pinned hub key. */
async function termsFromHub(client: HubClient, grant: string, hub: string, lang: Lang): Promise<GrantTerms> {
  if (!client.transport.options.token)
    throw new CredentialsError('NO-TOKEN', say(TEXT.noTerms, lang, { grant, hub }), {
      hint: say(TEXT.noTermsHint, lang),
    });
  const { checkGrant } = await import('@minjiang/sdk');
  const view = await client.sharing.getGrant(grant);
  const check = await checkGrant(client, view, { stateDir: join(process.cwd(), '.minjiang') });
  return termsOf(view, check.grant as unknown as Record<string, unknown>);
}

/**
 * The credential in the environment: an HMAC secret, or — for an SM2 credential, as a grant of
 * another hub has (its calls relayed through the cascade) — the private key it signs with.
 */
function envCredential(): { appKey: string; secret?: string; privateKey?: string } | undefined {
  const appKey = process.env.MINJIANG_APP_KEY?.trim();
  const secret = process.env.MINJIANG_APP_SECRET?.trim();
  const privateKey = process.env.MINJIANG_APP_PRIVATE_KEY?.trim();
  if (!appKey) return undefined;
  if (privateKey) return { appKey, privateKey };
  return secret ? { appKey, secret } : undefined;
}

/** Opens the exchange client for a grant; throws CredentialsError (exit 3) when there is no credential. */
export async function openExchange(
  grant: string,
  flags: ExchangeFlags,
  lang: Lang,
): Promise<ExchangeConnection> {
  const { client, hub } = await connectHub(flags, lang, { requireToken: false });
  try {
    const saved = await readGrantCredential(grant, hub, { lang });
    const fromEnv = envCredential();
    const key = fromEnv ?? saved;
    if (!key)
      throw new CredentialsError('NO-GRANT-CREDENTIAL', say(TEXT.none, lang, { grant, hub }), {
        hint: say(TEXT.noneHint, lang, { grant }),
      });
    const terms = saved ?? (await termsFromHub(client, grant, hub, lang));
    const { ExchangeClient } = await import('@minjiang/sdk');
    const exchange = new ExchangeClient({
      baseURL: hub,
      client: terms.client,
      grant,
      purpose: terms.purpose,
      service: terms.service,
      appKey: key.appKey,
      secret: key.secret,
      privateKey: 'privateKey' in key ? key.privateKey : undefined,
      user: operatorOf(flags.operator),
      issue: flags.issue,
      lang,
      retry429: flags.retry ? 3 : 0,
    });
    return { exchange, terms, hub, source: fromEnv ? 'env' : 'store' };
  } finally {
    await client.close();
  }
}

/**
 * The key that signed a grant of another hub (cascade routing), as the consumer's own hub vouches
 * for it in the grant's view: that hub also signs the grant's packages. Empty for a grant of this
 * hub, or without a hub token to read the view with.
 */
export async function grantSignerKeys(grant: string, flags: ExchangeFlags, lang: Lang): Promise<string[]> {
  const { client } = await connectHub(flags, lang, { requireToken: false });
  try {
    if (!client.transport.options.token) return [];
    const view = await client.sharing.getGrant(grant);
    return view.signer ? [view.signer.publicKey] : [];
  } finally {
    await client.close();
  }
}

/** Runs `work` with the grant's exchange client; refusals get their advice; always closes it. */
export async function withExchange<T>(
  grant: string,
  flags: ExchangeFlags,
  lang: Lang,
  work: (connection: ExchangeConnection) => Promise<T>,
): Promise<T> {
  const connection = await openExchange(grant, flags, lang);
  try {
    return await work(connection);
  } catch (error) {
    throw withAdvice(error, lang);
  } finally {
    await connection.exchange.close();
  }
}
