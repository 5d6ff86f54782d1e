import { Args, Flags } from '@oclif/core';
import type { Application, ApplicationState, ReasonedMessage, SharingApi } from '@minjiang/sdk';
import { MinjiangCommand } from '../base-command.js';
import { hubFlags } from '../hub-connection.js';
import { say } from '../lang.js';
import { applicationLines, printLines, withHub } from './render.js';

/** The transitions that take nothing but a message (and a reason where the hub needs one). */
export type PlainAction = 'submit' | 'withdraw' | 'escalate' | 'suspend' | 'resume' | 'revoke';

const DONE = {
  'zh-CN': '已执行 {action}：{id} 现为 {state}',
  en: '{action} done: {id} is now {state}',
};

/** Flags of every transition: the id, an optional reason, and the state the caller expects. */
export const transitionArgs = {
  id: Args.string({ required: true, description: 'The application id (urn:ses:app:…).' }),
};
export const expectedStateFlag = Flags.string({
  summary: 'Refuse (409) unless the application is in this state now, e.g. OFFERED.',
});
/** A script's retry of a step that may have been recorded: the hub answers it without a second step. */
export const messageIdFlag = Flags.string({
  summary: 'Message id of the step (default: a fresh one); the same id again is recorded once.',
});
export const messageFlags = { 'expected-state': expectedStateFlag, 'message-id': messageIdFlag };

/**
 * A command that sends one transition of an application and prints the application after it;
 * subclasses say which, and whether the hub needs a reason (then --reason is required).
 */
export abstract class ShareTransitionCommand extends MinjiangCommand<Application> {
  static override args = transitionArgs;
  static override flags = {
    ...hubFlags,
    reason: Flags.string({ summary: 'Why: recorded in the history and audit log.' }),
    ...messageFlags,
  };

  protected abstract readonly action: PlainAction;

  protected async execute(): Promise<Application> {
    // oclif spreads the class into its parse options, which drops inherited statics (args).
    const ctor = this.constructor as typeof ShareTransitionCommand;
    const { args, flags } = await this.parse({
      args: ctor.args,
      flags: ctor.flags,
      baseFlags: ctor.baseFlags,
    });
    const id = String(args.id);
    const reason = flags.reason;
    const expected = flags['expected-state'] as ApplicationState | undefined;
    const messageId = flags['message-id'];
    const message = {
      ...(reason !== undefined ? { reason } : {}),
      ...(messageId !== undefined ? { messageId } : {}),
      ...(expected !== undefined ? { expectedState: expected } : {}),
    } as ReasonedMessage;
    return withHub(flags as { hub?: string; profile?: string }, this.lang, (client) => {
      const api: SharingApi = client.sharing;
      return api[this.action](id, message);
    });
  }

  protected render(app: Application): void {
    printLines([
      say(DONE, this.lang, { action: this.action, id: app.id, state: app.state }),
      ...applicationLines(app, this.lang).slice(1),
    ]);
  }
}
