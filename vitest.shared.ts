import { fileURLToPath } from 'node:url';
import { defineProject } from 'vitest/config';

const root = fileURLToPath(new URL('.', import.meta.url));

/** Workspace packages resolve to their TypeScript sources in tests, so no build is needed first. */
export const workspaceAliases = {
  '@minjiang/standards': `${root}packages/standards/src/index.ts`,
  '@minjiang/sdk': `${root}packages/sdk/src/index.ts`,
  '@minjiang/hub': `${root}packages/hub/src/index.ts`,
};

/** The one place where test defaults live; each package's config is a call to this. */
export function packageProject(name: string, configUrl: string) {
  return defineProject({
    resolve: { alias: workspaceAliases },
    test: {
      name,
      root: fileURLToPath(new URL('.', configUrl)),
      include: ['src/**/*.test.ts'],
      environment: 'node',
      clearMocks: true,
      restoreMocks: true,
      testTimeout: 20_000,
    },
  });
}
