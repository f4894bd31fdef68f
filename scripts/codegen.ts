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

const AJV_OPTIONS = { allErrors: true, useDefaults: true, strict: true, inlineRefs: 3, code: { source: true, esm: true } } as const;

/** ajv with the schema compiled as one validator: what the generated one must answer exactly like (test/core/validator.test.ts). */
export function wholeValidator(): ReturnType<InstanceType<typeof Ajv.default>['compile']> {
  return new Ajv.default({ ...AJV_OPTIONS, code: undefined }).compile(schema);
}

/**
 * The sections validated only when the config has them: the top-level objects whose default is
 * `{}` (query, compactor, storeGateway, ...). Absent, a section is its defaults, the same every
 * time: ajv's answer for `{}`.
 */
const isSection = (p: string): boolean => {
  const s = schema.properties[p];
  return s.type === 'object' && JSON.stringify(s.default) === '{}';
};

/**
 * The config validator as precompiled code (no schema compilation at start-up), in pieces: the
 * root, and one function per section (query, compactor, ...), run only for the sections the
 * config has. A config without a section gets the section's defaults as they are, without running
 * its checks on them: most configs leave most sections out, and checking the defaults of all of
 * them was most of the validation's time and of the code compiled at a start (issue 14 made the
 * schema grow by four components' pod settings). The answer is ajv's for the whole schema: the
 * same data with the same defaults in the same key order, the same errors in the same order
 * (test/core/validator.test.ts compares them on drawn configs); only the schemaPath of an error
 * inside a section is relative to the section (config.ts reads schemaPath for #/allOf/ only).
 */
export function validatorJs(): string {
  const sections = Object.keys(schema.properties).filter(isSection);
  // Each section's defaults: what ajv makes of a config without it.
  const defaults: Record<string, unknown> = {};
  if (!wholeValidator()(defaults)) throw new Error('codegen: the schema refuses an empty config; sections cannot default without their checks');
  // Ajv writes the schema it compiles into the code (its additionalProperties and enum checks read
  // it): given without its descriptions, that is ~25 KB of object literals less at every start.
  const bare = withoutAnnotations(schema) as typeof schema;
  // The root: the same schema, with each section only its defaults (the allOf rules, which read the
  // config as written, before defaults, stay here). Its few $refs point into the whole schema, so
  // the definitions are not copied into the root's constant (~8 KB less object literal at a start).
  const rootId = String(schema.$id).replace(/\.json$/, '.root.json');
  const { definitions: _, ...top } = bare;
  const absolute = (x: unknown): unknown => JSON.parse(JSON.stringify(x).replace(/"\$ref":"#\//g, `"$ref":"${schema.$id}#/`));
  const root = { ...top, $id: rootId, properties: Object.fromEntries(Object.entries(bare.properties).map(([p, s]) => [p, sections.includes(p) ? { default: defaults[p] } : absolute(s)])), allOf: absolute(bare.allOf) };
  // Strict checks were made above, on the whole schema; here ajv would refuse the sections' own
  // `default: {}` at the root of what it compiles (it is the root's, applied there).
  const ajv = new Ajv.default({ ...AJV_OPTIONS, strictSchema: false });
  ajv.addSchema(bare);
  ajv.addSchema(root);
  const exports: Record<string, string> = { validateRoot: rootId };
  for (const p of sections) exports[`validate_${p}`] = `${schema.$id}#/properties/${p}`;
  let code = standaloneCode.default(ajv, exports);
  // Ajv's standalone output require()s its runtime helpers even with esm: true: make them imports.
  const imports: string[] = [];
  code = code.replace(/require\("(ajv\/dist\/runtime\/[a-z0-9]+)"\)/g, (_m, mod: string) => {
    const id = `__${mod.split('/').pop()}`;
    if (!imports.some((i) => i.includes(` ${id} `))) imports.push(`import ${id} from '${mod}.js';`);
    return id;
  });
  code = code.replace(/^"use strict";/, '');
  code = foldErrorSites(code);
  // Ajv declares the schema of each function it compiles as an object literal, read by the function
  // (its additionalProperties check over many properties, its enum errors): built when the function
  // first reads it, so a start does not build those of the sections the config leaves out.
  code = code.replace(/\bconst (schema\d+) = /g, 'let $1_;const $1 = () => $1_ ??= ').replace(/\b(schema\d+)\.properties\b/g, '$1().properties');
  if (/\bschema\d+\b(?![(_]| = \(\) =>)/.test(code)) throw new Error('codegen: a schema constant of the ajv code is read other than as schemaN.properties');
  code = keySets(code);
  // And its patterns (20 `new RegExp`, each parsed when created): created on first use.
  code = code.replace(/\bconst (pattern\d+) = new RegExp\(/g, 'let $1_;const $1 = () => $1_ ??= new RegExp(').replace(/\b(pattern\d+)\.test\(/g, '$1().test(');
  if (/\bpattern\d+\b(?![(_]| = \(\) =>)/.test(code)) throw new Error('codegen: a pattern of the ajv code is read other than as patternN.test');
  const order = Object.keys(schema.properties);
  code += `
let whole;
/** The schema, whole (descriptions and $comments too), for config.ts: read from its text when first needed. */
export const schema = () => (whole ??= JSON.parse(${JSON.stringify(JSON.stringify(schema))}));
const sections = [${sections.map((p) => `[${JSON.stringify(p)}, validate_${p}]`).join(', ')}];
const order = ${JSON.stringify(order)};
/** Where ajv's whole-schema validator puts an error: the allOf rules first, then the root's own, then each property's in the schema's order. */
const rank = (e) => (e.schemaPath.startsWith("#/allOf/") ? -2 : e.instancePath === "" ? -1 : order.indexOf(e.instancePath.split("/")[1]));
export default function validate(data) {
  const given = data && typeof data == "object" && !Array.isArray(data) ? sections.filter(([p]) => data[p] !== undefined) : [];
  validateRoot(data);
  let errors = validateRoot.errors ?? [];
  for (const [p, check] of given) {
    if (!check(data[p], { instancePath: "/" + p, parentData: data, parentDataProperty: p, rootData: data })) errors = errors.concat(check.errors);
  }
  if (given.length && errors.length > 1) errors = errors.map((e, i) => [rank(e), i, e]).sort((a, b) => a[0] - b[0] || a[1] - b[1]).map((x) => x[2]);
  validate.errors = errors.length ? errors : null;
  return errors.length === 0;
}`;
  return banner('//') + '// @ts-nocheck\n/* eslint-disable */\n' + imports.join('\n') + '\n' + code + '\n';
}

/**
 * Ajv writes each of its ~430 error sites as an object literal pushed onto the list in place:
 * `const errN = {instancePath,schemaPath,keyword,params,message};if(vErrors === null){vErrors =
 * [errN];}else {vErrors.push(errN);}errors++;`. Each becomes a call of one function `E` that builds
 * the same object (same keys, same order) and adds it: ~40 KB less code, and less bytecode in the
 * code cache read at every start (validate13's bytecode is compiled whole when the root is checked,
 * error sites included). A site of any other shape is left as ajv wrote it.
 */
function foldErrorSites(code: string): string {
  /** The top-level `key:value` entries of an object literal's body (strings skipped). */
  const entries = (body: string): string[] => {
    const out: string[] = [];
    let start = 0;
    for (let i = 0; i < body.length; i++) {
      const c = body[i]!;
      if (c === '"') for (i++; body[i] !== '"'; i++) if (body[i] === '\\') i++;
      if ('{(['.includes(c)) i = closingBrace(body, i);
      else if (c === ',') {
        out.push(body.slice(start, i));
        start = i + 1;
      }
    }
    return [...out, body.slice(start)];
  };
  const KEYS = ['instancePath', 'schemaPath', 'keyword', 'params', 'message'];
  let out = '';
  let pos = 0;
  let folded = 0;
  const site = /const (err\d+) = \{/g;
  for (let m; (m = site.exec(code)); ) {
    const open = m.index + m[0].length - 1;
    const close = closingBrace(code, open);
    const push = `;if(vErrors === null){vErrors = [${m[1]}];}else {vErrors.push(${m[1]});}errors++;`;
    const parts = entries(code.slice(open + 1, close));
    if (!code.startsWith(push, close + 1) || parts.length !== KEYS.length || !parts.every((p, i) => p === KEYS[i] || p.startsWith(`${KEYS[i]}:`))) continue;
    const args = parts.map((p, i) => (p === KEYS[i] ? p : p.slice(KEYS[i]!.length + 1)));
    out += `${code.slice(pos, m.index)}vErrors = E(vErrors, ${args.join(', ')});errors++;`;
    pos = close + 1 + push.length;
    site.lastIndex = pos;
    folded++;
  }
  if (folded < 100) throw new Error(`codegen: only ${folded} of ajv's error sites folded: has its code changed shape?`);
  return `/** An error of the validator, as ajv writes it, added to the list (codegen.ts foldErrorSites). */
function E(list, instancePath, schemaPath, keyword, params, message) {
  const e = { instancePath, schemaPath, keyword, params, message };
  if (list === null) return [e];
  list.push(e);
  return list;
}
${out}${code.slice(pos)}`;
}

/**
 * Ajv checks additionalProperties of an object with many properties by looking each key up in the
 * schema constant it wrote (`func2.call(schemaN.properties, key)`, hasOwnProperty): the first check
 * builds that whole object literal, nested schemas and all (the root's is 6 KB), ~1 M instructions
 * at a start for a few key lookups. Each is a Set of the property names instead; the constants stay
 * for the enum errors that read them, built only when such an error is.
 */
function keySets(code: string): string {
  const sets = new Map<string, string[]>();
  const out = code.replace(/func2\.call\((schema\d+)\(\)\.properties, (key\d+)\)/g, (_m, name: string, key: string) => {
    if (!sets.has(name)) {
      const decl = new RegExp(`let ${name}_;const ${name} = \\(\\) => ${name}_ \\?\\?= `).exec(code);
      if (!decl) throw new Error(`codegen: no constant ${name} in the ajv code`);
      const start = decl.index + decl[0].length;
      const value = JSON.parse(code.slice(start, closingBrace(code, start) + 1)) as { properties: Record<string, unknown> };
      sets.set(name, Object.keys(value.properties));
    }
    return `${name}_keys.has(${key})`;
  });
  return [...sets].map(([name, keys]) => `const ${name}_keys = new Set(${JSON.stringify(keys)});\n`).join('') + out;
}

/** The index of the bracket closing the one at `open` in ajv's code, skipping string literals. */
function closingBrace(text: string, open: number): number {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    const c = text[i]!;
    if (c === '"') {
      for (i++; text[i] !== '"'; i++) if (text[i] === '\\') i++;
    } else if ('{(['.includes(c)) depth++;
    else if ('})]'.includes(c) && --depth === 0) return i;
  }
  throw new Error('codegen: unbalanced brackets in the ajv code');
}

/** A schema without the keywords ajv does not check (description, title, $comment). */
function withoutAnnotations(s: unknown, names = false): unknown {
  if (Array.isArray(s)) return s.map((x) => withoutAnnotations(x));
  if (s === null || typeof s !== 'object') return s;
  return Object.fromEntries(
    Object.entries(s)
      .filter(([k, v]) => names || !(['description', 'title', '$comment'].includes(k) && typeof v === 'string'))
      // The values of properties and definitions are schemas; their keys are names, kept whatever they are.
      .map(([k, v]) => [k, names ? withoutAnnotations(v) : withoutAnnotations(v, ['properties', 'definitions', 'patternProperties'].includes(k))]),
  );
}

export const validatorDts = (): string =>
  banner('//') +
  `import type { ErrorObject } from 'ajv';\n` +
  `declare const validate: ((data: unknown) => boolean) & { errors?: ErrorObject[] | null };\nexport default validate;\n` +
  `/** The schema the validator was generated from (${SCHEMA_PATH}), whole, parsed on first use. */\nexport declare const schema: () => Record<string, any>;\n`;

export const GENERATED: Record<string, () => string | Promise<string>> = {
  'functions/prometheus-ha/src/generated/config.ts': typesTs,
  'functions/prometheus-ha/src/generated/validate-config.js': validatorJs,
  'functions/prometheus-ha/src/generated/validate-config.d.ts': validatorDts,
  'functions/prometheus-ha/src/generated/seed-base.ts': seedBaseTs,
  'functions/prometheus-ha/src/generated/thanos-flags.ts': () => thanosFlagsTs(ROOT, banner('//', `${FLAGS_DIR}*.txt`)),
  ...chartGenerated(),
  'functions/prometheus-ha/docs/config-reference.md': () => configReferenceMd(schema, banner('<!--').replace(/\n$/, ' -->\n')),
};
