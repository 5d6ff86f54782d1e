import { createInterface } from 'node:readline';
import type { Lang } from '@minjiang/standards';
import { UsageError } from '../exit-codes.js';
import { say } from '../lang.js';

const NOT_A_TTY = {
  'zh-CN': '标准输入不是终端，无法提示输入令牌',
  en: 'stdin is not a terminal: cannot prompt for the token',
};
const NOT_A_TTY_HINT = {
  'zh-CN': '用管道传入令牌：`minjiang login --with-token < token.txt`（令牌不能写在命令行上）。',
  en: 'Pipe the token in: `minjiang login --with-token < token.txt` (tokens never go on the command line).',
};
const EMPTY = { 'zh-CN': '没有读到令牌', en: 'no token was read' };

/** Everything piped to stdin, trimmed. */
async function readPiped(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8').trim();
}

/** Asks on the terminal without echoing what is typed. */
async function promptHidden(question: string): Promise<string> {
  const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: true });
  const output = rl as unknown as { _writeToOutput: (text: string) => void };
  process.stderr.write(question);
  output._writeToOutput = () => undefined;
  try {
    return (await new Promise<string>((resolve) => rl.question('', resolve))).trim();
  } finally {
    rl.close();
    process.stderr.write('\n');
  }
}

/**
 * Reads a secret from stdin (`--with-token`) or, on a terminal, a hidden prompt. Never from
 * argv, never a prompt a script could hang on.
 */
export async function readSecret(options: { piped: boolean; question: string; lang: Lang }): Promise<string> {
  let secret: string;
  if (options.piped) secret = await readPiped();
  else if (process.stdin.isTTY) secret = await promptHidden(options.question);
  else
    throw new UsageError('NO-TTY', say(NOT_A_TTY, options.lang), { hint: say(NOT_A_TTY_HINT, options.lang) });
  if (!secret)
    throw new UsageError('NO-TOKEN-INPUT', say(EMPTY, options.lang), {
      hint: say(NOT_A_TTY_HINT, options.lang),
    });
  return secret;
}
