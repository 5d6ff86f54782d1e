/**
 * The RFC 9421 signature base of SES-API r1 (exchange.md §8.3) and the parsing of the
 * `Signature-Input` / `Signature` headers. The component list is fixed by the SES profile, so the
 * base is plain string concatenation; no generic RFC 9421 library knows `hmac-sm3` or `sm2-sm3`.
 */

export type SesSignatureAlg = 'hmac-sm3' | 'sm2-sm3';

/** One request as the signer sent it or the hub received it. */
export interface SesRequestParts {
  method: string;
  /** The path only, byte for byte as on the wire (no query, no host). */
  path: string;
  /** The raw query, with or without the leading '?'; empty or absent is `?`. */
  query?: string | undefined;
  /** Header values by lower-case name. */
  headers: Record<string, string | undefined>;
  /** The body bytes exactly as sent; absent or empty means no body (and no Content-Digest). */
  body?: Uint8Array | string | undefined;
}

export interface SignatureParams {
  /** Unix seconds. */
  created: number;
  /** Unix seconds; at most 300 after created. */
  expires: number;
  nonce: string;
  keyid: string;
  alg: SesSignatureAlg;
}

export const SIGNATURE_LABEL = 'ses';
export const SIGNATURE_ALGS: readonly SesSignatureAlg[] = ['hmac-sm3', 'sm2-sm3'];

/**
 * The SES component list, in order. `content-type` is covered when the header is sent (a GET has
 * none; a body requires one), `content-digest` when there is a body, `ses-issue` when sent.
 */
export const SES_COMPONENTS = [
  '@method',
  '@path',
  '@query',
  'content-type',
  'content-digest',
  'ses-client',
  'ses-grant',
  'ses-request-id',
  'ses-purpose',
  'ses-issue',
  'ses-user',
] as const;

export type SesComponent = (typeof SES_COMPONENTS)[number];

/** The header components every signed request carries. */
export const REQUIRED_HEADERS = [
  'ses-client',
  'ses-grant',
  'ses-request-id',
  'ses-purpose',
  'ses-user',
] as const;

export function hasBody(body: Uint8Array | string | undefined): body is Uint8Array | string {
  return body !== undefined && body.length > 0;
}

/** RFC 9421 §2.1: header values are covered with surrounding whitespace removed. */
function headerValue(headers: SesRequestParts['headers'], name: string): string | undefined {
  const value = headers[name]?.trim();
  return value === '' ? undefined : value;
}

/** The components this request must cover: the fixed list minus the absent optional ones. */
export function componentsFor(parts: SesRequestParts): SesComponent[] {
  return SES_COMPONENTS.filter((component) => {
    if (component === 'content-digest') return hasBody(parts.body);
    if (component === 'content-type' || component === 'ses-issue')
      return headerValue(parts.headers, component) !== undefined;
    return true;
  });
}

function queryValue(query: string | undefined): string {
  if (query === undefined || query === '' || query === '?') return '?';
  return query.startsWith('?') ? query : `?${query}`;
}

function componentValue(parts: SesRequestParts, component: SesComponent): string {
  if (component === '@method') return parts.method.toUpperCase();
  if (component === '@path') return parts.path;
  if (component === '@query') return queryValue(parts.query);
  return headerValue(parts.headers, component) ?? '';
}

/** The inner list and parameters, as sent in `Signature-Input` after `ses=`. */
export function signatureParamsValue(components: readonly string[], params: SignatureParams): string {
  const list = components.map((component) => `"${component}"`).join(' ');
  return (
    `(${list});created=${params.created};expires=${params.expires}` +
    `;nonce="${params.nonce}";keyid="${params.keyid}";alg="${params.alg}"`
  );
}

/**
 * The signature base (LF-separated, no trailing LF). Pass `components` to build the base for a
 * list already parsed from `Signature-Input`; by default it is the list this request needs.
 */
export function signatureBase(
  parts: SesRequestParts,
  params: SignatureParams,
  components: readonly SesComponent[] = componentsFor(parts),
): string {
  const lines = components.map((component) => `"${component}": ${componentValue(parts, component)}`);
  lines.push(`"@signature-params": ${signatureParamsValue(components, params)}`);
  return lines.join('\n');
}

/** Splits a request target (`/ses/r1/…?a=1`) into the path and raw query the base covers. */
export function requestTarget(url: string): { path: string; query: string } {
  const at = url.indexOf('?');
  return at < 0 ? { path: url, query: '?' } : { path: url.slice(0, at), query: url.slice(at) };
}

// ---------------------------------------------------------------------------------------------
// Parsing

export type ParsedSignature =
  | { ok: true; params: SignatureParams; components: string[]; signature: Uint8Array }
  | { ok: false; code: 'CLI.BAD_REQUEST'; detail: string };

/**
 * Top-level members of an RFC 8941 dictionary. Splits on commas outside quotes and parentheses,
 * so other labels (a second signature added by a proxy) are tolerated and ignored.
 */
export function dictionaryMember(header: string, key: string): string | undefined {
  let depth = 0;
  let quoted = false;
  let start = 0;
  for (let i = 0; i <= header.length; i += 1) {
    const ch = header[i];
    if (ch === '"' && header[i - 1] !== '\\') quoted = !quoted;
    else if (!quoted && ch === '(') depth += 1;
    else if (!quoted && ch === ')') depth -= 1;
    else if (i === header.length || (!quoted && depth === 0 && ch === ',')) {
      const member = header.slice(start, i).trim();
      const eq = member.indexOf('=');
      if (eq > 0 && member.slice(0, eq) === key) return member.slice(eq + 1);
      start = i + 1;
    }
  }
  return undefined;
}

const INPUT = /^\(((?:"[a-z@-]+"(?: "[a-z@-]+")*)?)\)((?:;[a-z]+=(?:"[^"\\]*"|\d{1,12}))*)$/;
const PARAM = /;([a-z]+)=(?:"([^"\\]*)"|(\d{1,12}))/g;
const TOKEN = /^[\x21-\x7e]{1,256}$/;
const BASE64 = /^:([A-Za-z0-9+/]+={0,2}):$/;

function paramsOf(text: string): SignatureParams | string {
  const found = new Map<string, string>();
  for (const match of text.matchAll(PARAM)) found.set(match[1] ?? '', match[2] ?? match[3] ?? '');
  const created = Number(found.get('created'));
  const expires = Number(found.get('expires'));
  const nonce = found.get('nonce') ?? '';
  const keyid = found.get('keyid') ?? '';
  const alg = found.get('alg') as SesSignatureAlg;
  if (!Number.isInteger(created) || !Number.isInteger(expires)) return 'created and expires are required';
  if (!TOKEN.test(nonce) || !TOKEN.test(keyid)) return 'nonce and keyid are required';
  if (!SIGNATURE_ALGS.includes(alg)) return `alg must be one of ${SIGNATURE_ALGS.join(', ')}`;
  return { created, expires, nonce, keyid, alg };
}

/**
 * `Signature-Input: ses=…` exactly as `signatureParamsValue` writes it: the components, then
 * created, expires, nonce, keyid and alg in that order, numbers without leading zeros, the
 * strings as TOKEN allows them within quotes. Such a text is the one `signatureParamsValue`
 * rebuilds from what it captures, so it needs no rebuilding to be compared.
 */
const SES_INPUT =
  /^ses=\(((?:"[a-z@-]+"(?: "[a-z@-]+")*)?)\);created=(0|[1-9]\d{0,11});expires=(0|[1-9]\d{0,11});nonce="([\x21\x23-\x5b\x5d-\x7e]{1,256})";keyid="([\x21\x23-\x5b\x5d-\x7e]{1,256})";alg="(hmac-sm3|sm2-sm3)"$/;
const SES_SIGNATURE = /^ses=:([A-Za-z0-9+/]+={0,2}):$/;

/**
 * The common case read with one expression per header: each header holds only the `ses` member,
 * in the SES form. Anything else (other labels, a malformed member) returns undefined and is
 * read by the general parser, which also says what is wrong. Parsing was 5% of a lookup's CPU.
 */
function parseSesOnly(input: string, value: string): ParsedSignature | undefined {
  const match = SES_INPUT.exec(input);
  const bytes = match ? SES_SIGNATURE.exec(value)?.[1] : undefined;
  if (!match || bytes === undefined) return undefined;
  const [, list = '', created = '', expires = '', nonce = '', keyid = '', alg] = match;
  return {
    ok: true,
    params: { created: Number(created), expires: Number(expires), nonce, keyid, alg: alg as SesSignatureAlg },
    components: list.split(' ').map((quoted) => quoted.slice(1, -1)),
    signature: Buffer.from(bytes, 'base64'),
  };
}

/**
 * Reads the `ses` signature from the headers. The parameters must be written exactly as
 * `signatureParamsValue` writes them (the SES profile fixes their order), because the verifier
 * rebuilds the `@signature-params` line from the parsed values.
 */
export function parseSignature(headers: SesRequestParts['headers']): ParsedSignature {
  const sesOnly = parseSesOnly(headers['signature-input'] ?? '', headers['signature'] ?? '');
  if (sesOnly) return sesOnly;
  const fail = (detail: string): ParsedSignature => ({ ok: false, code: 'CLI.BAD_REQUEST', detail });
  const input = dictionaryMember(headers['signature-input'] ?? '', SIGNATURE_LABEL);
  const value = dictionaryMember(headers['signature'] ?? '', SIGNATURE_LABEL);
  if (input === undefined || value === undefined) return fail('no "ses" Signature-Input and Signature');
  const match = INPUT.exec(input);
  const bytes = BASE64.exec(value)?.[1];
  if (!match || bytes === undefined) return fail('malformed Signature-Input or Signature');
  const components = (match[1] ?? '').split(' ').map((quoted) => quoted.slice(1, -1));
  const params = paramsOf(match[2] ?? '');
  if (typeof params === 'string') return fail(params);
  if (signatureParamsValue(components, params) !== input)
    return fail('Signature-Input is not in the SES form (parameter order or extra parameters)');
  return { ok: true, params, components, signature: Buffer.from(bytes, 'base64') };
}
