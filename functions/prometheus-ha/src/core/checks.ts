/**
 * HA truth: reasons a setup will not deduplicate or not survive the loss of a node.
 * Shared by the function (on what it is about to emit) and `prometheus-ha check` (on what exists).
 */
import { result, type ResourceRef, type Result } from './results.js';
import { isMap } from './util.js';

/** The operator's floor for the sidecar (prometheus-operator Documentation: thanos.md, "minimum Thanos version"). */
export const SIDECAR_MIN_VERSION = 'v0.10.0';

export function parseVersion(v: unknown): [number, number, number] | undefined {
  const m = typeof v === 'string' ? /^v?(\d+)\.(\d+)\.(\d+)/.exec(v) : null;
  return m ? [Number(m[1]), Number(m[2]), Number(m[3])] : undefined;
}

export function versionLess(a: string, b: string): boolean {
  const x = parseVersion(a);
  const y = parseVersion(b);
  if (!x || !y) return false;
  for (let i = 0; i < 3; i++) if (x[i] !== y[i]) return x[i]! < y[i]!;
  return false;
}

/** The tag of an image reference, or undefined (digest-only or untagged). */
export function imageTag(image: string): string | undefined {
  const noDigest = image.split('@')[0]!;
  const last = noDigest.split('/').pop()!;
  const i = last.lastIndexOf(':');
  return i === -1 ? undefined : last.slice(i + 1);
}

export interface PrometheusFacts {
  ref: ResourceRef;
  file?: { path: string };
  spec: Record<string, unknown>;
}

/** Checks of the Prometheus as it will be applied (after the function's changes). */
export function checkPrometheus(p: PrometheusFacts, expect: { replicaLabels?: string[] }): Result[] {
  const out: Result[] = [];
  const { spec, ref, file } = p;
  const where = (field: string) => ({ ref, field, file });
  if ('replicaExternalLabelName' in spec && spec.replicaExternalLabelName === '') {
    out.push(result('REPLICA_LABEL_EMPTY', 'replicaExternalLabelName is "": the operator then adds no replica label, so Thanos Query cannot deduplicate the replicas; remove the field or name a label', where('spec.replicaExternalLabelName')));
  } else if (expect.replicaLabels) {
    const label = typeof spec.replicaExternalLabelName === 'string' ? spec.replicaExternalLabelName : 'prometheus_replica';
    if (!expect.replicaLabels.includes(label)) {
      out.push(result('REPLICA_LABEL_MISMATCH', `the replicas differ by the external label "${label}" but Query deduplicates by ${expect.replicaLabels.map((l) => `"${l}"`).join(', ')}: queries will return every series once per replica`, where('spec.replicaExternalLabelName')));
    }
  }
  const thanos = isMap(spec.thanos) ? spec.thanos : undefined;
  if (thanos) {
    const version = typeof thanos.version === 'string' ? thanos.version : undefined;
    if (version && versionLess(version, SIDECAR_MIN_VERSION)) {
      out.push(result('SIDECAR_VERSION', `sidecar version ${version} is below ${SIDECAR_MIN_VERSION}, the oldest the Prometheus Operator supports`, where('spec.thanos.version')));
    }
    const tag = typeof thanos.image === 'string' ? imageTag(thanos.image) : undefined;
    // Tags such as 0.42.4-debian-12-r0 name the same release as v0.42.4: compare the numbers.
    const same = (a: string, b: string) => {
      const x = parseVersion(a);
      const y = parseVersion(b);
      return x && y ? x.join('.') === y.join('.') : a === b;
    };
    if (tag && version && !same(tag, version)) {
      out.push(result('SIDECAR_IMAGE_VERSION', `sidecar image tag ${tag} differs from spec.thanos.version ${version}: the operator picks the sidecar's flags by version (prometheus-operator #5223), so they must agree`, where('spec.thanos.image')));
    }
  }
  const replicas = typeof spec.replicas === 'number' ? spec.replicas : 1;
  const affinity = isMap(spec.affinity) ? spec.affinity : {};
  const spread = Array.isArray(spec.topologySpreadConstraints) && spec.topologySpreadConstraints.length > 0;
  if (replicas > 1 && !isMap(affinity.podAntiAffinity) && !spread) {
    out.push(result('SPREAD_MISSING', `${replicas} replicas with no podAntiAffinity and no topologySpreadConstraints: the scheduler may put them on one node, and losing it loses every replica`, where('spec.affinity.podAntiAffinity')));
  }
  return out;
}

/** Whether a label selector's matchLabels select a set of pod labels (matchExpressions are not judged). */
export function selects(selector: Record<string, string>, labels: Record<string, unknown>): boolean {
  return Object.entries(selector).every(([k, v]) => labels[k] === v);
}
