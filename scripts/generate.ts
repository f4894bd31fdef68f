import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { GENERATED, ROOT } from './codegen.js';
import { README, readmeWithTopology } from './topology.js';

for (const [path, make] of Object.entries(GENERATED)) {
  mkdirSync(dirname(ROOT + path), { recursive: true });
  writeFileSync(ROOT + path, await make());
  console.log(`wrote ${path}`);
}

// The README's topology block (not a whole generated file: test/bin/topology.test.ts checks it).
writeFileSync(ROOT + README, readmeWithTopology(ROOT));
console.log(`wrote the topology block of ${README}`);
