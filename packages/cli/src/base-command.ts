import { Command, Flags } from '@oclif/core';
import type { Lang } from '@minjiang/standards';
import { MinjiangError } from '@minjiang/sdk';
import { EXIT, exitCodeFor, type ExitCode } from './exit-codes.js';
import { resolveLang, say } from './lang.js';

/** What every command prints for an error, in --json mode as on stdout. */
export interface ErrorResult {
  error: { code: string; message: string; location?: string; hint?: string; exitCode: number };
}

const INTERNAL = {
  'zh-CN': '内部错误：{message}（加 --debug 查看调用栈；请报告此问题）',
  en: 'internal error: {message} (add --debug for the stack trace; please report it)',
};

/**
 * The base of every `minjiang` command: `--json`, `--lang`, `--debug`; the result on stdout
 * (JSON when asked), progress and diagnostics on stderr, and errors mapped to the exit codes of
 * ARCHITECTURE.md. A command implements `execute()` and, for people, `render()`.
 */
export abstract class MinjiangCommand<T> extends Command {
  static override baseFlags = {
    json: Flags.boolean({ summary: 'Print the result as JSON on stdout (schema: packages/cli/schemas).' }),
    lang: Flags.string({ summary: 'Language of messages: zh-CN (default) or en.', options: ['zh-CN', 'en'] }),
    debug: Flags.boolean({ summary: 'Show stack traces of errors.', env: 'MINJIANG_DEBUG' }),
  };

  protected lang: Lang = 'zh-CN';
  protected json = false;
  protected showStack = false;
  /** Set by a command whose result is a failure it reported itself (invalid catalog, partial apply). */
  protected exitCode: ExitCode = EXIT.ok;

  /** Does the work and returns the result; throws MinjiangError subclasses for failures. */
  protected abstract execute(): Promise<T>;

  /** Prints the result for people. */
  protected abstract render(result: T): void | Promise<void>;

  /** Prints the result: itself as JSON with `--json`, else for people. */
  protected async emit(result: T): Promise<void> {
    if (this.json) process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    else await this.render(result);
  }

  /** Reads the base flags before anything can fail, so errors are rendered as asked. */
  public override async init(): Promise<void> {
    await super.init();
    const argv = this.argv;
    this.json = argv.includes('--json');
    this.showStack = argv.includes('--debug') || process.env.MINJIANG_DEBUG === '1';
    const langAt = argv.findIndex((arg) => arg === '--lang' || arg.startsWith('--lang='));
    const langFlag = langAt < 0 ? undefined : (argv[langAt]?.split('=')[1] ?? argv[langAt + 1]);
    this.lang = resolveLang(langFlag);
    // Writers are atomic (temp file, then rename), so stopping at once loses nothing.
    process.once('SIGINT', () => {
      process.stderr.write('\n');
      process.exit(EXIT.interrupted);
    });
  }

  public async run(): Promise<T> {
    const result = await this.execute();
    await this.emit(result);
    if (this.exitCode !== EXIT.ok) process.exitCode = this.exitCode;
    return result;
  }

  /** Progress and diagnostics go to stderr, so stdout stays the result. */
  protected note(message: string): void {
    process.stderr.write(`${message}\n`);
  }

  protected override async catch(error: Error & { oclif?: { exit?: number } }): Promise<void> {
    // Flag-parsing errors carry their exit code (2); oclif renders them.
    if (error.oclif?.exit !== undefined) throw error;
    const exitCode = exitCodeFor(error);
    const known = error instanceof MinjiangError;
    const body: ErrorResult['error'] = {
      code: known ? error.code : 'INTERNAL',
      message: known ? error.message : say(INTERNAL, this.lang, { message: error.message }),
      exitCode,
    };
    if (known && error.location) body.location = error.location;
    if (known && error.hint) body.hint = error.hint;
    if (this.json) process.stdout.write(`${JSON.stringify({ error: body }, null, 2)}\n`);
    process.stderr.write(formatError(body, this.lang));
    if (this.showStack && error.stack) process.stderr.write(`${error.stack}\n`);
    process.exitCode = exitCode;
  }
}

const LABELS = {
  'zh-CN': { error: '错误', location: '位置', hint: '处理' },
  en: { error: 'Error', location: 'Where', hint: 'Fix' },
};

/** `错误 [CODE] message`, then where and how to fix it, one per line. */
export function formatError(error: ErrorResult['error'], lang: Lang): string {
  const label = LABELS[lang];
  const lines = [`${label.error} [${error.code}] ${error.message}`];
  if (error.location) lines.push(`  ${label.location}: ${error.location}`);
  if (error.hint) lines.push(`  ${label.hint}: ${error.hint}`);
  return `${lines.join('\n')}\n`;
}
