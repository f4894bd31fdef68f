/** Running the chart with the real Helm binaries, and the function on the same input, for the chart tests. */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { run } from '../../functions/prometheus-ha/src/commands/run.js';
// @ts-expect-error: plain ESM helper without types
import { tools } from './tools.mjs';

export const ROOT = new URL('../..', import.meta.url).pathname;
export const CHART = join(ROOT, 'chart');
export const SEED = readFileSync(join(ROOT, 'kustomize/seed/prometheus.yaml'), 'utf8');

const t = tools() as Record<string, string | undefined>;
/** The Helm binaries present, by name (helm3 = 3.17.3, helm4 = 4.1.4). */
export const HELMS: [string, string][] = (['helm3', 'helm4'] as const).filter((k) => t[k]).map((k) => [k, t[k]!]);
const missing = (['helm3', 'helm4'] as const).filter((k) => !t[k]);
if (missing.length) console.log(`\n!!! ${missing.join(' and ')} not found: the chart tests with ${missing.join(', ')} DID NOT RUN\n`);

export const tmp = (prefix = 'prometheus-ha-chart-'): string => mkdtempSync(join(tmpdir(), prefix));

export interface Ran {
  code: number;
  stdout: string;
  stderr: string;
}

export function sh(cmd: string, args: string[], env: Record<string, string> = {}): Promise<Ran> {
  return new Promise((resolve) => {
    const p = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env, HELM_CACHE_HOME: join(tmpdir(), 'ph-helm-cache'), HELM_CONFIG_HOME: join(tmpdir(), 'ph-helm-config'), HELM_DATA_HOME: join(tmpdir(), 'ph-helm-data') } });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d) => (stdout += d));
    p.stderr.on('data', (d) => (stderr += d));
    p.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

/** Runs jobs with at most `limit` at a time, results in order. */
export async function pool<T>(jobs: (() => Promise<T>)[], limit = 4): Promise<T[]> {
  const out: T[] = new Array(jobs.length);
  let next = 0;
  const worker = async () => {
    while (next < jobs.length) {
      const i = next++;
      out[i] = await jobs[i]!();
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, jobs.length) }, worker));
  return out;
}

export const helmTemplate = (helm: string, ns: string, valuesFile?: string, chart = CHART): Promise<Ran> =>
  sh(helm, ['template', 'rel', chart, '-n', ns, ...(valuesFile ? ['-f', valuesFile] : [])]);

/** The function (legacy-plugin mode: YAML documents in and out) with `values` as its config. */
export async function functionOutput(values: Record<string, unknown>, baseText: string, dir: string): Promise<Ran> {
  const cfg = join(dir, `config-${Math.random().toString(36).slice(2)}.yaml`);
  writeFileSync(cfg, stringify({ apiVersion: 'fn.prometheus-ha.dev/v1alpha1', kind: 'PrometheusHA', metadata: { name: 'chart-test' }, ...values }));
  return run([cfg], { stdin: Buffer.from(baseText), env: {} });
}

export function writeValues(dir: string, name: string, values: Record<string, unknown>): string {
  const path = join(dir, name);
  writeFileSync(path, JSON.stringify(values, null, 1));
  return path;
}

/**
 * Helm 3.17's `install --dry-run=client` still checks that a cluster is reachable and builds the
 * objects with discovery (helm/helm#13144, fixed in Helm 4): a stand-in API server that answers
 * discovery for the kinds the chart renders, and 404 to everything else, lets it run offline.
 */
export async function stubApiServer(dir: string): Promise<{ kubeconfig: string; requests: string[]; close: () => void }> {
  const { createServer } = await import('node:http');
  const kinds: Record<string, [string, string, boolean][]> = {
    v1: [['ServiceAccount', 'serviceaccounts', true], ['Service', 'services', true], ['Pod', 'pods', true], ['Secret', 'secrets', true], ['ConfigMap', 'configmaps', true], ['Namespace', 'namespaces', false]],
    'apps/v1': [['Deployment', 'deployments', true], ['StatefulSet', 'statefulsets', true]],
    'policy/v1': [['PodDisruptionBudget', 'poddisruptionbudgets', true]],
    'rbac.authorization.k8s.io/v1': [['ClusterRole', 'clusterroles', false], ['ClusterRoleBinding', 'clusterrolebindings', false], ['Role', 'roles', true], ['RoleBinding', 'rolebindings', true]],
    'networking.k8s.io/v1': [['NetworkPolicy', 'networkpolicies', true]],
    'monitoring.coreos.com/v1': [['Prometheus', 'prometheuses', true], ['ServiceMonitor', 'servicemonitors', true]],
  };
  const resources = (gv: string) => ({ kind: 'APIResourceList', apiVersion: 'v1', groupVersion: gv, resources: kinds[gv]!.map(([kind, name, namespaced]) => ({ name, singularName: '', namespaced, kind, verbs: ['get', 'list', 'create', 'update', 'patch', 'delete'] })) });
  const groups = Object.keys(kinds).filter((gv) => gv.includes('/')).map((gv) => ({ name: gv.split('/')[0], versions: [{ groupVersion: gv, version: gv.split('/')[1] }], preferredVersion: { groupVersion: gv, version: gv.split('/')[1] } }));
  const requests: string[] = [];
  const server = createServer((req, res) => {
    requests.push(`${req.method} ${req.url}`);
    const path = new URL(req.url ?? '/', 'http://stub').pathname;
    res.setHeader('content-type', 'application/json');
    const send = (body: unknown, status = 200) => {
      res.statusCode = status;
      res.end(JSON.stringify(body));
    };
    if (path === '/version') return send({ major: '1', minor: '32', gitVersion: 'v1.32.0', platform: 'linux/amd64' });
    if (path === '/api') return send({ kind: 'APIVersions', versions: ['v1'] });
    if (path === '/apis') return send({ kind: 'APIGroupList', apiVersion: 'v1', groups });
    if (path === '/api/v1') return send(resources('v1'));
    const gv = /^\/apis\/([^/]+\/[^/]+)$/.exec(path)?.[1];
    if (gv && kinds[gv]) return send(resources(gv));
    if (req.method === 'GET' && /\/secrets$/.test(path)) return send({ kind: 'SecretList', apiVersion: 'v1', items: [] });
    send({ kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'NotFound', code: 404 }, 404);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  const kubeconfig = join(dir, `stub-kubeconfig-${port}.yaml`);
  writeFileSync(kubeconfig, `apiVersion: v1\nkind: Config\nclusters:\n- name: stub\n  cluster:\n    server: http://127.0.0.1:${port}\ncontexts:\n- name: stub\n  context:\n    cluster: stub\n    user: stub\ncurrent-context: stub\nusers:\n- name: stub\n  user: {}\n`);
  return { kubeconfig, requests, close: () => server.close() };
}
