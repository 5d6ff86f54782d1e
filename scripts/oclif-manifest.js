// Writes oclif.manifest.json for the CLI and the hub plugin after a build, so `minjiang` finds its
// commands without importing every command file at start (what the oclif dev CLI's `manifest`
// command does, without its dependencies). The manifests are build output, like dist/.
import { writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { Plugin } from '@oclif/core';

for (const name of ['cli', 'hub']) {
  const root = fileURLToPath(new URL(`../packages/${name}/`, import.meta.url));
  const plugin = new Plugin({ root, type: 'core', ignoreManifest: true, errorOnManifestCreate: true });
  await plugin.load();
  await writeFile(`${root}oclif.manifest.json`, `${JSON.stringify(plugin.manifest, null, 2)}\n`);
  process.stderr.write(
    `oclif manifest: ${name} (${Object.keys(plugin.manifest.commands).length} commands)\n`,
  );
}
