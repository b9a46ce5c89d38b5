/**
 * One source patch applied to FerretDB v1.24.2 before it is built for the local stack.
 *
 * Why: its SQLite backend creates the `_id` index on `_ferretdb_sjson->"_id"`, but every lookup
 * by `_id` (find, the document an update or delete works on, and the UPDATE statement itself)
 * filters on `_ferretdb_sjson->'$._id'`. SQLite matches index expressions as written, so none of
 * those lookups used the index: each one parsed the JSON of every row in the table
 * (`EXPLAIN QUERY PLAN` shows `SCAN`, and `SEARCH ... USING INDEX` once the two expressions
 * agree). Building the `_id` index on the expression the queries use makes a lookup by `_id`
 * an index search, as it is on MongoDB. Nothing else changes: the index keeps its name, key
 * and uniqueness. Collections created by an unpatched build keep their old index.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Part of the cache stamp, so that a binary built without the patch is rebuilt. */
export const FERRETDB_PATCH_ID = 'id-index-expression';

const REGISTRY_FILE = join('internal', 'backends', 'sqlite', 'metadata', 'registry.go');
const ANCHOR =
  '\t\t\tcolumns[i] = fmt.Sprintf("%s->%s", DefaultColumn, strings.Join(fields, "->"))\n';
const PATCHED =
  ANCHOR +
  '\t\t\t// citrus-subscriptions patch: the expression that `_id` lookups filter on.\n' +
  '\t\t\tif key.Field == "_id" {\n' +
  '\t\t\t\tcolumns[i] = IDColumn\n' +
  '\t\t\t}\n';

export class FerretDbPatchError extends Error {
  constructor(file: string) {
    super(
      `Cannot patch FerretDB: ${file} does not contain the line the patch expects. ` +
        'The pinned FerretDB version changed; review scripts/tools/ferretdb-patch.ts for it.',
    );
    this.name = 'FerretDbPatchError';
  }
}

/** Applies the patch to a writable copy of the module source. */
export function patchFerretDbSource(sourceDir: string): void {
  const file = join(sourceDir, REGISTRY_FILE);
  const text = readFileSync(file, 'utf8');
  if (text.split(ANCHOR).length !== 2) throw new FerretDbPatchError(REGISTRY_FILE);
  writeFileSync(file, text.replace(ANCHOR, PATCHED));
}
