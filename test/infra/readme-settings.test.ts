import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SETTINGS } from '../../src/config/settings';
import { renderReadme } from '../../scripts/lib/settings-table';

describe('the README settings table', () => {
  const path = join(__dirname, '..', '..', 'README.md');
  const readme = readFileSync(path, 'utf8');

  it('matches the table generated from the config module (run npm run docs:settings)', () => {
    expect(readme).toBe(renderReadme(readme, path, join(__dirname, '..', '..')));
  });

  it('documents every setting', () => {
    for (const setting of SETTINGS) expect(readme).toContain(`\`${setting.env}\``);
  });
});
