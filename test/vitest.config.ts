import { fileURLToPath } from 'node:url';
import { defineProject } from 'vitest/config';
import { workspaceAliases } from '../vitest.shared.js';

export default defineProject({
  resolve: { alias: workspaceAliases },
  test: {
    name: 'e2e',
    root: fileURLToPath(new URL('.', import.meta.url)),
    include: ['**/*.test.ts'],
    environment: 'node',
    testTimeout: 60_000,
    // Set-up starts hubs and runs the built CLI several times: 10 s is too short on a busy machine.
    hookTimeout: 120_000,
  },
});
