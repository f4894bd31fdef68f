/**
 * Golden directories: test/golden/<case>/{config.yaml, input.yaml, expected.yaml | results.yaml}.
 * input.yaml is a ResourceList without functionConfig; config.yaml is added as its functionConfig.
 * expected.yaml is the whole output (exit 0); results.yaml the results of a failing run (exit 1,
 * and then the items must come back unchanged). Every case runs twice: the output of the first
 * run, fed back, must give the same items (idempotence).
 * Regenerate with: UPDATE_GOLDEN=1 node test/run.mjs golden
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parse, stringify } from 'yaml';
import { fn, goldenCases, ROOT, withConfig, withoutResults } from '../lib/helpers.js';

const DIR = `${ROOT}test/golden/`;
const UPDATE = process.env.UPDATE_GOLDEN === '1';



for (const name of goldenCases()) {
  test(`golden ${name}`, async () => {
    const dir = `${DIR}${name}/`;
    const input = readFileSync(`${dir}input.yaml`, 'utf8');
    const config = existsSync(`${dir}config.yaml`) ? readFileSync(`${dir}config.yaml`, 'utf8') : undefined;
    const list = withConfig(input, config);
    const first = await fn(list);
    const expectFail = existsSync(`${dir}results.yaml`);
    if (UPDATE) {
      if (first.code === 0) writeFileSync(`${dir}expected.yaml`, first.stdout);
      else writeFileSync(`${dir}results.yaml`, stringify(parse(first.stdout).results ?? [], { lineWidth: 0 }));
      return;
    }
    if (expectFail) {
      assert.is(first.code, 1, `expected exit 1, got ${first.code}: ${first.stderr}`);
      const got = parse(first.stdout);
      assert.equal(got.results, parse(readFileSync(`${dir}results.yaml`, 'utf8')));
      // Failing runs give the items back untouched, byte for byte.
      assert.is(withoutResults(first.stdout).replace(/^functionConfig:[\s\S]*$/m, '').trimEnd(), input.replace(/^results:[\s\S]*$/m, '').trimEnd());
      return;
    }
    assert.is(first.code, 0, first.stderr);
    assert.fixture(first.stdout, readFileSync(`${dir}expected.yaml`, 'utf8'));
    const second = await fn(first.stdout);
    assert.is(second.code, 0, second.stderr);
    assert.fixture(withoutResults(second.stdout), withoutResults(first.stdout), 'second run changed the output');
    const changes = (parse(second.stdout).results ?? []).filter((r: { tags?: { code?: string } }) => ['CHANGED', 'INJECTED'].includes(r.tags?.code ?? ''));
    assert.equal(changes, [], 'second run reported changes');
  });
}

test.run();
