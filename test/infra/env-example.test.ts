import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SETTINGS } from '../../src/config/settings';
import { renderEnvExample } from '../../scripts/lib/env-example';

describe('.env.example', () => {
  const committed = readFileSync(join(__dirname, '..', '..', '.env.example'), 'utf8');

  it('matches the file generated from the settings table (run npm run env:example)', () => {
    expect(committed).toBe(renderEnvExample());
  });

  it('names every setting', () => {
    for (const setting of SETTINGS) expect(committed).toContain(`${setting.env}=`);
  });
});
