import { Args, Flags } from '@oclif/core';
import type { DecisionOutcome } from '@minjiang/sdk';
import { MinjiangCommand } from '../../base-command.js';
import { EXIT } from '../../exit-codes.js';
import { hubFlags } from '../../hub-connection.js';
import { say } from '../../lang.js';
import { durationMs } from '../../share/input.js';
import { stateLabel, statusLines, statusOf, type ShareStatus } from '../../share/next-step.js';
import { printLines, withHub } from '../../share/render.js';

export interface ShareWaitResult {
  outcome: DecisionOutcome;
  polls: number;
  waitedSeconds: number;
  status: ShareStatus;
}

const TEXT = {
  waiting: {
    'zh-CN': '等待 {id}：{state}（{label}），待 {party} 处理',
    en: 'waiting for {id}: {state} ({label}), on {party}',
  },
  approved: { 'zh-CN': '申请已批准', en: 'the application is approved' },
  refused: { 'zh-CN': '申请未获批准', en: 'the application was refused' },
  pending: { 'zh-CN': '等待超时，申请仍在处理中', en: 'timed out; the application is still pending' },
};

const EXITS = { approved: EXIT.ok, refused: EXIT.invalid, pending: EXIT.pending } as const;

export default class ShareWait extends MinjiangCommand<ShareWaitResult> {
  static override summary =
    'Wait until an application is decided: exit 0 approved, 1 refused, 7 still pending at the timeout.';
  static override description =
    'Polls the hub. Approved: APPROVED or ACTIVE. Refused: REJECTED, WITHDRAWN, EXPIRED or REVOKED (a rejection can still be escalated with share escalate). Progress goes to stderr.';
  static override examples = [
    '<%= config.bin %> share wait urn:ses:app:350000:2026:1 --timeout 30m',
    '<%= config.bin %> share wait urn:ses:app:350000:2026:1 --timeout 1h --interval 1m --json',
  ];
  static override args = { id: Args.string({ required: true, description: 'The application id.' }) };
  static override flags = {
    ...hubFlags,
    timeout: Flags.string({ summary: 'Give up after this long (90s, 10m, 2h).', default: '10m' }),
    interval: Flags.string({ summary: 'Between polls.', default: '5s' }),
  };

  protected async execute(): Promise<ShareWaitResult> {
    const { args, flags } = await this.parse(ShareWait);
    const timeoutMs = durationMs(flags.timeout, this.lang);
    const intervalMs = Math.max(200, durationMs(flags.interval, this.lang));
    const started = Date.now();
    let last = '';
    const wait = await withHub(flags, this.lang, (client) =>
      client.sharing.waitForDecision(args.id, {
        timeoutMs,
        intervalMs,
        onPoll: (app) => {
          const line = say(TEXT.waiting, this.lang, {
            ...app,
            label: stateLabel(app.state, this.lang),
            party: app.next.party,
          });
          if (line !== last) this.note(line);
          last = line;
        },
      }),
    );
    this.exitCode = EXITS[wait.outcome];
    return {
      outcome: wait.outcome,
      polls: wait.polls,
      waitedSeconds: Math.round((Date.now() - started) / 100) / 10,
      status: statusOf(wait.application),
    };
  }

  protected render(result: ShareWaitResult): void {
    printLines([say(TEXT[result.outcome], this.lang), ...statusLines(result.status, this.lang)]);
  }
}
