/**
 * The proof that every flag on every Thanos container exists in that release: each container's
 * long flags against `thanos <component> --help` of its image's release, read straight from the
 * vendored help texts (test/fixtures/thanos-flags/), not from the generated table `check` uses.
 * A release whose help is not vendored cannot be proven and is reported as such.
 */
import { existsSync } from 'node:fs';
import { FLAGS_DIR, helpFlags } from '../../scripts/thanos-flags.js';
import { ROOT } from './helpers.js';

const COMPONENTS = ['query', 'query-frontend', 'store', 'compact', 'sidecar', 'rule'];

/** The Thanos containers of the objects: workload, container name, component, release, argv. */
export function thanosContainers(objs: any[]): { where: string; component: string; version: string; argv: string[] }[] {
  const out: { where: string; component: string; version: string; argv: string[] }[] = [];
  for (const o of objs) {
    if (!['Deployment', 'StatefulSet'].includes(o?.kind)) continue;
    for (const c of o.spec?.template?.spec?.containers ?? []) {
      const argv: string[] = [...(c.command ?? []), ...(c.args ?? [])].map(String);
      const component = argv.find((a) => !a.startsWith('-') && a !== 'thanos');
      if (!component || !COMPONENTS.includes(component)) continue;
      const version = String(c.image ?? '').split(':').pop() ?? '';
      out.push({ where: `${o.kind}/${o.metadata?.name} container ${c.name}`, component, version, argv });
    }
  }
  return out;
}

/** Every flag of every Thanos container that its release's --help does not list (empty: all proven). */
export function unprovenFlags(objs: any[]): string[] {
  const out: string[] = [];
  for (const c of thanosContainers(objs)) {
    if (!existsSync(`${ROOT}${FLAGS_DIR}${c.version}-${c.component}.txt`)) {
      out.push(`${c.where}: no vendored help for thanos ${c.component} ${c.version}`);
      continue;
    }
    const known = helpFlags(ROOT, c.version, c.component);
    const names = new Set(known.flatMap((f) => (f.bool ? [f.name, `no-${f.name}`] : [f.name])));
    for (const a of c.argv) {
      const m = /^--([^=]+)(=|$)/.exec(a);
      if (m && !names.has(m[1]!)) out.push(`${c.where}: thanos ${c.component} ${c.version} has no --${m[1]}`);
    }
  }
  return out;
}
