import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { GENERATED, ROOT } from './codegen.js';

for (const [path, make] of Object.entries(GENERATED)) {
  mkdirSync(dirname(ROOT + path), { recursive: true });
  writeFileSync(ROOT + path, await make());
  console.log(`wrote ${path}`);
}
