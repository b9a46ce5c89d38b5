/** Where the local stack keeps its tools and data; both folders are git-ignored. */
import { join } from 'node:path';

export const ROOT = join(__dirname, '..', '..');
/** Built or downloaded programs, cached across runs: `.tools/bin`, `.tools/test-server/lib`. */
export const TOOLS_DIR = join(ROOT, '.tools');
export const TOOLS_BIN = join(TOOLS_DIR, 'bin');
/** Data of `npm start` (Temporal SQLite file, FerretDB or mongod files); survives restarts. */
export const DATA_DIR = join(ROOT, '.data');
export const NODE_BIN = join(ROOT, 'node_modules', '.bin');
