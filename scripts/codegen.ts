/**
 * Generated files, all from schema/prometheus-ha.schema.json (the single source of truth).
 * `npm run generate` writes them; test/bin/generated.test.ts fails when a committed copy is stale.
 */
import { readFileSync } from 'node:fs';
import Ajv from 'ajv';
import standaloneCode from 'ajv/dist/standalone/index.js';
import { compile } from 'json-schema-to-typescript';
import { chartGenerated, seedBaseTs } from './chart-codegen.js';
import { configReferenceMd } from './config-reference.js';
import { FLAGS_DIR, thanosFlagsTs } from './thanos-flags.js';

export const ROOT = new URL('..', import.meta.url).pathname;
export const SCHEMA_PATH = 'schema/prometheus-ha.schema.json';
export const schema = JSON.parse(readFileSync(ROOT + SCHEMA_PATH, 'utf8'));

export const banner = (comment: string, source = SCHEMA_PATH): string =>
  `${comment} DO NOT EDIT: generated from ${source} by \`npm run generate\` (scripts/generate.ts).\n`;

/**
 * The schema for the types: a `$ref` to an object definition, with siblings (a use's own default
 * and description), becomes the bare `$ref`, so each such definition is one named type
 * (PodSettings, not the PodSettings1..3 copies json-schema-to-typescript writes for each use that
 * adds a description). Scalar definitions keep their uses' descriptions: they are inlined anyway.
 */
function bareRefs(s: unknown): unknown {
  if (Array.isArray(s)) return s.map(bareRefs);
  if (s === null || typeof s !== 'object') return s;
  const o = s as Record<string, unknown>;
  if (typeof o.$ref === 'string' && schema.definitions[o.$ref.replace('#/definitions/', '')]?.type === 'object') return { $ref: o.$ref };
  return Object.fromEntries(Object.entries(o).map(([k, v]) => [k, bareRefs(v)]));
}

export async function typesTs(): Promise<string> {
  const ts = await compile(bareRefs(schema) as typeof schema, 'PrometheusHA', {
    bannerComment: '',
    additionalProperties: false,
    style: { singleQuote: true },
  });
  return banner('//') + ts;
}

/** The config validator as precompiled code (no schema compilation at start-up). */
export function validatorJs(): string {
  // inlineRefs 3: a definition of more than three keywords (labelKey, dnsLabel, ...) is compiled once
  // and called, not copied into every place that uses it: ~25 KB less code in both bundles.
  const ajv = new Ajv.default({ allErrors: true, useDefaults: true, strict: true, inlineRefs: 3, code: { source: true, esm: true } });
  const validate = ajv.compile(schema);
  let code = standaloneCode.default(ajv, validate);
  // Ajv's standalone output require()s its runtime helpers even with esm: true: make them imports.
  const imports: string[] = [];
  code = code.replace(/require\("(ajv\/dist\/runtime\/[a-z0-9]+)"\)/g, (_m, mod: string) => {
    const id = `__${mod.split('/').pop()}`;
    if (!imports.some((i) => i.includes(` ${id} `))) imports.push(`import ${id} from '${mod}.js';`);
    return id;
  });
  code = code.replace(/^"use strict";/, '');
  // Ajv writes the whole schema into the code as a constant (its additionalProperties and enum
  // checks read it): exported, core/config.ts reads the same object instead of a second copy of
  // the schema in the bundle (~50 KB less to load and build at every start).
  const at = code.indexOf(` = ${JSON.stringify(schema)};`);
  const root = at === -1 ? undefined : /const (schema\d+)$/.exec(code.slice(0, at))?.[1];
  if (!root) throw new Error('codegen: the schema constant of the ajv standalone code was not found');
  code += `export { ${root} as schema };`;
  return banner('//') + '// @ts-nocheck\n/* eslint-disable */\n' + imports.join('\n') + '\n' + code + '\n';
}

export const validatorDts = (): string =>
  banner('//') +
  `import type { ErrorObject } from 'ajv';\n` +
  `declare const validate: ((data: unknown) => boolean) & { errors?: ErrorObject[] | null };\nexport default validate;\n` +
  `/** The schema the validator was generated from (${SCHEMA_PATH}), as one object. */\nexport declare const schema: Record<string, any>;\n`;

export const GENERATED: Record<string, () => string | Promise<string>> = {
  'functions/prometheus-ha/src/generated/config.ts': typesTs,
  'functions/prometheus-ha/src/generated/validate-config.js': validatorJs,
  'functions/prometheus-ha/src/generated/validate-config.d.ts': validatorDts,
  'functions/prometheus-ha/src/generated/seed-base.ts': seedBaseTs,
  'functions/prometheus-ha/src/generated/thanos-flags.ts': () => thanosFlagsTs(ROOT, banner('//', `${FLAGS_DIR}*.txt`)),
  ...chartGenerated(),
  'functions/prometheus-ha/docs/config-reference.md': () => configReferenceMd(schema, banner('<!--').replace(/\n$/, ' -->\n')),
};
