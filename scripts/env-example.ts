/** `npm run env:example`: rewrites `.env.example` from src/config/settings.ts. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderEnvExample } from './lib/env-example';
import { ROOT } from './lib/paths';

writeFileSync(join(ROOT, '.env.example'), renderEnvExample());
process.stdout.write('Wrote .env.example\n');
