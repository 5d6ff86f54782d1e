import type { ListrTask } from 'listr2';

/** Whether progress may animate: a terminal on stderr and not CI. */
export function interactive(env: NodeJS.ProcessEnv = process.env): boolean {
  return Boolean(process.stderr.isTTY) && !env.CI && env.TERM !== 'dumb';
}

/**
 * Runs steps with listr2 on stderr, so stdout stays the result: the animated renderer on a
 * terminal, the plain one otherwise, nothing with `--json` (a script reads stdout only and would
 * see noise on stderr as a problem). listr2 is loaded only when a command has steps to show.
 */
export async function runSteps<Ctx extends object>(
  steps: ListrTask<Ctx>[],
  context: Ctx,
  options: { quiet?: boolean } = {},
): Promise<Ctx> {
  const { Listr, ListrLogger, ProcessOutput } = await import('listr2');
  const logger = new ListrLogger({ processOutput: new ProcessOutput(process.stderr, process.stderr) });
  const list = new Listr<Ctx>(steps, {
    ctx: context,
    exitOnError: true,
    renderer: 'default',
    fallbackRendererCondition: !interactive(),
    fallbackRenderer: 'simple',
    silentRendererCondition: options.quiet === true,
    rendererOptions: { logger },
    fallbackRendererOptions: { logger },
  });
  return list.run();
}
