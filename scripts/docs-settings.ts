/** `npm run docs:settings`: rewrites the settings table in README.md from the config module. */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './lib/paths';
import { renderReadme } from './lib/settings-table';

function main(): void {
  const path = join(ROOT, 'README.md');
  writeFileSync(path, renderReadme(readFileSync(path, 'utf8'), path, ROOT));
  process.stdout.write('Wrote the settings table in README.md\n');
}

main();
