/**
 * Telling UTF-8 from GBK/GB18030 in files written by data officers (Excel on Chinese Windows
 * saves "CSV" in GBK; "CSV UTF-8" and most other tools write UTF-8), and refusing files that mix
 * both — typically a GBK export with rows pasted from a UTF-8 web page, or the reverse.
 *
 * The heuristic works line by line on the raw bytes (0x0A never occurs inside a multi-byte
 * character of either encoding, so splitting first is safe):
 * 1. A line of ASCII only says nothing.
 * 2. A line that decodes strictly in only one of UTF-8 and GB18030 is in that encoding (strong).
 * 3. A line valid in both (short Chinese strings can be: GBK 目录 = C4 BF C2 BC is also UTF-8 for
 *    "Ŀ¼") is judged by what it reads as: UTF-8 that yields CJK ideographs or CJK punctuation
 *    is UTF-8, since GBK bytes rarely form valid 3-byte sequences; UTF-8 that yields only
 *    characters unusual in a Chinese catalog (C1 controls, IPA, Cyrillic, Hebrew, Arabic …)
 *    while GB18030 yields Chinese text is GBK; anything else (say, Latin-1 letters only) gives
 *    no opinion and follows the rest of the file.
 * 4. The file's encoding is the majority of the lines with an opinion (UTF-8 on a tie or when no
 *    line has one); the first line with the other opinion makes the file mixed.
 *
 * Measured on uniformly random strings of GB2312 hanzi (20,000 per length): with level-1 hanzi
 * (the common 3,755) no line of 2 or more characters was misjudged, alone or in a file of the
 * other encoding; with level-2 hanzi too, 7 of the two- and 4 of the three-character GBK samples
 * read as UTF-8 CJK (a false "mixed" in a GBK file), none from 4 characters on. Catalog lines
 * are longer.
 *
 * Limits: a GBK line whose bytes also read as UTF-8 Latin-1 (27 single hanzi such as 楼 = C2 A5
 * = "¥", or 茅 = C3 A9 = "é") gives no opinion, so a file with nothing else is taken as UTF-8;
 * a genuine UTF-8 line of only Cyrillic or Arabic in a Chinese UTF-8 file is reported as mixed.
 * An explicit encoding resolves both.
 */
import { TextDecoder } from 'node:util';
import { FileFormatError } from '../../core/errors.js';

export type TextEncoding = 'utf-8' | 'gbk' | 'gb18030';

/** What one line says about the file's encoding; undefined when it says nothing. */
export type Opinion = 'utf-8' | 'gb' | undefined;

interface LineVerdict {
  line: number;
  opinion: Opinion;
}

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const gb18030 = new TextDecoder('gb18030', { fatal: true });

const ENCODING_NAMES: Record<string, TextEncoding> = {
  'utf-8': 'utf-8',
  utf8: 'utf-8',
  gbk: 'gbk',
  cp936: 'gbk',
  'windows-936': 'gbk',
  gb2312: 'gbk',
  gb18030: 'gb18030',
};

/** Normalises an encoding name given by a user (`UTF-8`, `utf8`, `GBK`, `cp936`, `GB18030`). */
export function normaliseEncoding(name: string, file: string): TextEncoding {
  const encoding = ENCODING_NAMES[name.trim().toLowerCase()];
  if (encoding) return encoding;
  throw new FileFormatError('CSV-ENCODING-UNKNOWN', `不支持的文本编码“${name}”`, {
    location: file,
    hint: '编码可写 utf-8、gbk 或 gb18030（也接受 utf8、UTF-8、GBK、cp936、GB18030）；不写则自动识别。',
  });
}

function tryDecode(decoder: TextDecoder, bytes: Uint8Array): string | undefined {
  try {
    return decoder.decode(bytes);
  } catch {
    return undefined;
  }
}

/** Ideographs, CJK punctuation and full-width forms: what a Chinese line of UTF-8 yields. */
const CJK =
  '\\u3000-\\u303f\\u3400-\\u4dbf\\u4e00-\\u9fff\\uf900-\\ufaff\\uff00-\\uffef\\u{20000}-\\u{3ffff}';
// Latin-1 and Latin Extended characters a Chinese catalog does use: symbols (· in transliterated
// names, units, ¥), pinyin with tone marks, a few Greek unit letters. Kept narrow on purpose: GBK
// misread as UTF-8 yields exactly these blocks (lead bytes C2–DF).
const FOREIGN = '·°±×÷²³µ§©®¥àáèéêìíòóùúüāǎēěīǐōǒūǔǖǘǚǜńňǹμΩ';
// Besides: general punctuation, letterlike symbols, number forms, arrows, maths, circled
// numbers, box drawing, shapes; kana, bopomofo, enclosed CJK — all present in GBK itself.
const HAS_CJK = new RegExp(`[${CJK}]`, 'u');
const HAS_IMPLAUSIBLE = new RegExp(
  `[^\\u0000-\\u007f${FOREIGN}${CJK}\\u2000-\\u26ff\\u3040-\\u33ff\\ufe30-\\ufe4f]`,
  'u',
);

/**
 * A line valid in both encodings. UTF-8 that reads as CJK is UTF-8 (GBK bytes seldom form valid
 * 3-byte sequences); UTF-8 that reads as stray scripts while GBK reads as plausible text is GBK;
 * anything else (say, Latin-1 letters only) gives no opinion.
 */
function judgeAmbiguous(asUtf8: string, asGb: string): Opinion {
  if (HAS_CJK.test(asUtf8)) return 'utf-8';
  return HAS_IMPLAUSIBLE.test(asUtf8) && !HAS_IMPLAUSIBLE.test(asGb) ? 'gb' : undefined;
}

function judge(bytes: Uint8Array): Opinion | 'invalid' {
  if (bytes.every((byte) => byte < 0x80)) return undefined;
  const asUtf8 = tryDecode(utf8, bytes);
  const asGb = tryDecode(gb18030, bytes);
  if (asUtf8 === undefined) return asGb === undefined ? 'invalid' : 'gb';
  return asGb === undefined ? 'utf-8' : judgeAmbiguous(asUtf8, asGb);
}

/** Splits at LF; `line` is 1-based. A trailing CR stays with its line; it is ASCII. */
function* physicalLines(bytes: Uint8Array): Generator<{ line: number; bytes: Uint8Array }> {
  let start = 0;
  let line = 1;
  while (start <= bytes.length) {
    let end = bytes.indexOf(0x0a, start);
    if (end === -1) end = bytes.length;
    yield { line, bytes: bytes.subarray(start, end) };
    start = end + 1;
    line += 1;
  }
}

function invalidBytes(file: string, line: number): FileFormatError {
  return new FileFormatError(
    'CSV-ENCODING-INVALID',
    `第 ${line} 行的字节既不是有效的 UTF-8，也不是有效的 GBK/GB18030`,
    {
      location: `${file}:${line}`,
      hint: '文件可能已损坏或被截断，或使用了其他编码（如 UTF-16、Big5）。请用 Excel 或 WPS 另存为“CSV UTF-8”。',
    },
  );
}

/** The file is mostly in `majority` but line `line` is in `other`. */
export function mixedEncodingError(
  file: string,
  line: number,
  majority: Opinion,
  other: Opinion,
): FileFormatError {
  const name = (opinion: Opinion): string => (opinion === 'gb' ? 'GBK/GB18030' : 'UTF-8');
  return new FileFormatError(
    'CSV-MIXED-ENCODING',
    `文件混用了两种编码：大部分行是 ${name(majority)}，但第 ${line} 行是 ${name(other)}`,
    {
      location: `${file}:${line}`,
      hint: `通常是把其他来源的内容粘贴进了文件。请用 Excel 或 WPS 打开后统一另存为一种编码（推荐“CSV UTF-8”）；若确认整个文件是一种编码，用 --encoding 指定。`,
    },
  );
}

/** 'gbk' when no 4-byte GB18030 sequence occurs (second byte 0x30–0x39), else 'gb18030'. */
export function gbVariant(bytes: Uint8Array): 'gbk' | 'gb18030' {
  for (let i = 0; i < bytes.length; i += 1) {
    const byte = bytes[i] ?? 0;
    if (byte < 0x81) continue;
    const next = bytes[i + 1] ?? 0;
    if (next >= 0x30 && next <= 0x39) return 'gb18030';
    i += 1;
  }
  return 'gbk';
}

/** Detects the encoding of `bytes` (already without a BOM), or throws for mixed or invalid text. */
export function detectEncoding(bytes: Uint8Array, file: string): TextEncoding {
  // Fast path: valid UTF-8 throughout, reading as plausible text, has no line that could be GBK.
  const whole = tryDecode(utf8, bytes);
  if (whole !== undefined && !HAS_IMPLAUSIBLE.test(whole)) return 'utf-8';
  const verdicts: LineVerdict[] = [];
  for (const { line, bytes: lineBytes } of physicalLines(bytes)) {
    const opinion = judge(lineBytes);
    if (opinion === 'invalid') throw invalidBytes(file, line);
    if (opinion) verdicts.push({ line, opinion });
  }
  const gbLines = verdicts.filter((verdict) => verdict.opinion === 'gb').length;
  const majority: Opinion = gbLines > verdicts.length - gbLines ? 'gb' : 'utf-8';
  const offending = verdicts.find((verdict) => verdict.opinion !== majority);
  if (offending) throw mixedEncodingError(file, offending.line, majority, offending.opinion);
  return majority === 'gb' ? gbVariant(bytes) : 'utf-8';
}

/** Decodes strictly in `encoding`; undefined when some byte sequence is not valid in it. */
export function decodeAs(bytes: Uint8Array, encoding: TextEncoding): string | undefined {
  return tryDecode(encoding === 'utf-8' ? utf8 : gb18030, bytes);
}

/** The first 1-based line that does not decode in `encoding`. */
export function firstUndecodableLine(bytes: Uint8Array, encoding: TextEncoding): number {
  for (const { line, bytes: lineBytes } of physicalLines(bytes)) {
    if (decodeAs(lineBytes, encoding) === undefined) return line;
  }
  return 1;
}

/**
 * The first line that reads as Chinese in UTF-8, when the whole text is valid UTF-8: such text
 * read as GBK would only be mojibake, so a wrong `--encoding gbk` is refused instead.
 */
export function firstUtf8ChineseLine(bytes: Uint8Array): number | undefined {
  if (tryDecode(utf8, bytes) === undefined) return undefined;
  for (const { line, bytes: lineBytes } of physicalLines(bytes)) {
    if (judge(lineBytes) === 'utf-8') return line;
  }
  return undefined;
}
