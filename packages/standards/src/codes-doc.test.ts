import { describe, expect, it } from 'vitest';
import { MESSAGES, RULES } from './registry.js';
import { SCHEMA_NAMES } from './schemas.js';

function cell(text: string | undefined): string {
  return (text ?? '').replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

/** CODES.md: every stable code with its severity, messages and hints, generated from the catalogue. */
function renderCodes(): string {
  const describedBy = new Map<string, { schema: string; description: string }>();
  for (const schema of SCHEMA_NAMES) {
    for (const rule of RULES[schema] ?? [])
      describedBy.set(rule.code, { schema, description: rule.description });
  }
  const lines = [
    '# Stable codes of @minjiang/standards',
    '',
    'Generated from `src/messages/*` and `src/rules/*` by `src/codes-doc.test.ts` (run `pnpm vitest run --project standards -u` after changing a message). Do not edit.',
    '',
    '| code | severity | applies to | rule | zh-CN | en | hint (zh-CN) |',
    '|---|---|---|---|---|---|---|',
  ];
  for (const [code, def] of Object.entries(MESSAGES).sort(([a], [b]) => a.localeCompare(b))) {
    const rule = describedBy.get(code);
    lines.push(
      `| ${code} | ${def.severity} | ${rule?.schema ?? 'any schema'} | ${cell(rule?.description)} | ${cell(def.zh)} | ${cell(def.en)} | ${cell(def.hintZh)} |`,
    );
  }
  return `${lines.join('\n')}\n`;
}

describe('CODES.md', () => {
  it('lists every code as the catalogue defines it', async () => {
    await expect(renderCodes()).toMatchFileSnapshot('../CODES.md');
  });
});
