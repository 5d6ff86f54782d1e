import { HubAPIError, MinjiangError } from '@minjiang/sdk';
import { describe, expect, it } from 'vitest';
import { EXIT, exitCodeFor } from '../exit-codes.js';
import { relayedError, stateExit } from './registry.js';

const REQUEST = { method: 'POST', url: 'http://city/api/v1/cascade/parent/register', headers: {} };

/** What the city hub answers when its parent refused: 502 with the parent's answer under `parent`. */
function relayed(parent: unknown, status = 502, code = 'HUB_ERR_CASCADE_PARENT_ANSWER') {
  return HubAPIError.generate(status, { code, message: 'refused', parent }, {}, REQUEST);
}

describe('cascade registry commands: exit codes', () => {
  it('maps the registration state: approved 0, pending 7, rejected or revoked 3', () => {
    expect(stateExit('APPROVED')).toBe(EXIT.ok);
    expect(stateExit('PENDING')).toBe(EXIT.pending);
    expect(stateExit('REJECTED')).toBe(EXIT.auth);
    expect(stateExit('REVOKED')).toBe(EXIT.auth);
  });

  it("turns the parent's refusal into its own code and message, with the exit code it means", () => {
    const issues = [
      { code: 'FED-304', severity: 'error', location: '/parent', message: '上级平台不是本平台' },
    ];
    const refused = relayedError(
      relayed({ code: 'HUB_ERR_CASCADE_REGISTRATION', message: '不合格', issues }),
      'zh-CN',
    );
    expect(refused).toBeInstanceOf(MinjiangError);
    expect(refused).toMatchObject({ code: 'HUB_ERR_CASCADE_REGISTRATION' });
    expect((refused as Error).message).toContain('FED-304 /parent');
    expect(exitCodeFor(refused)).toBe(EXIT.invalid);
    const untrusted = relayedError(relayed({ code: 'CLI.KEY_UNKNOWN', message: 'unknown key' }), 'en');
    expect(exitCodeFor(untrusted)).toBe(EXIT.auth);
    expect(exitCodeFor(relayedError(relayed({ code: 'HUB_ERR_FORBIDDEN' }), 'en'))).toBe(EXIT.auth);
    const notAHub = relayedError(relayed('<html>Bad gateway</html>'), 'en');
    expect(notAHub).toMatchObject({ code: 'HUB-INCOMPATIBLE' });
    expect(exitCodeFor(notAHub)).toBe(EXIT.unreachable);
  });

  it('leaves other errors as they are; another parent key is an authentication failure (3)', () => {
    const unreachable = relayed(undefined, 502, 'HUB_ERR_CASCADE_UNREACHABLE');
    expect(relayedError(unreachable, 'en')).toBe(unreachable);
    expect(exitCodeFor(unreachable)).toBe(EXIT.unreachable);
    const key = HubAPIError.generate(
      409,
      { code: 'HUB_ERR_CASCADE_PARENT_KEY', message: 'other key' },
      {},
      REQUEST,
    );
    expect(exitCodeFor(relayedError(key, 'en'))).toBe(EXIT.auth);
    expect(exitCodeFor(relayedError(new Error('boom'), 'en'))).toBe(EXIT.invalid);
  });
});
