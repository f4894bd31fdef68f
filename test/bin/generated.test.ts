/** Generated files (types, validator, chart, docs) must match what `npm run generate` writes now. */
import { existsSync, readFileSync } from 'node:fs';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { GENERATED, ROOT } from '../../scripts/codegen.js';

for (const [path, make] of Object.entries(GENERATED)) {
  test(`${path} is up to date (npm run generate)`, async () => {
    assert.ok(existsSync(ROOT + path), `${path} is missing: run npm run generate`);
    const want = await make();
    assert.ok(readFileSync(ROOT + path, 'utf8') === want, `${path} is stale: run npm run generate and commit`);
    assert.match(want.slice(0, 400), /DO NOT EDIT|generated/i, 'carries a banner');
  });
}

test.run();
