/** Everything the function emits in every golden case is valid for Kubernetes 1.33 and 1.35 and the v0.93.0 CRDs. */
import { existsSync, readFileSync } from 'node:fs';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parse } from 'yaml';
import { readConfig } from '../../functions/prometheus-ha/src/core/config.js';
import { goldenCases, ROOT } from '../lib/helpers.js';
import { readdirSync } from 'node:fs';
import { HELMS, helmTemplate } from '../lib/chart-helpers.js';
import { parseManifests } from '../lib/equivalence.js';
import { pssRestricted, validate } from '../lib/k8s.js';
import { unprovenFlags } from '../lib/thanos-flags.js';

for (const name of goldenCases()) {
  const file = `${ROOT}test/golden/${name}/expected.yaml`;
  if (!existsSync(file)) continue;
  test(`golden ${name}: every emitted object is valid`, () => {
    const items = parse(readFileSync(file, 'utf8')).items;
    for (const obj of items) {
      // The function's own config (kpt keeps it among the package's resources) is checked by our schema.
      if (obj.kind === 'PrometheusHA') assert.equal(readConfig(obj).results, [], 'function config');
      else assert.equal(validate(obj), [], `${obj.kind}/${obj.metadata.name}`);
    }
    for (const d of items.filter((o: any) => o.kind === 'Deployment' || o.kind === 'StatefulSet')) assert.equal(pssRestricted(d.spec.template.spec), [], `${d.kind}/${d.metadata.name}: PSS restricted`);
  });
}

// Every object the chart renders, for the default values and every ci/ values file, on each Helm.
const ciFiles = [undefined, ...readdirSync(`${ROOT}chart/ci`).filter((f) => f.endsWith('.yaml')).map((f) => `${ROOT}chart/ci/${f}`)];
for (const [helmName, helm] of HELMS) {
  for (const values of ciFiles) {
    test(`chart (${helmName}) ${values ? values.split('/').pop() : 'default values'}: every rendered object is valid`, async () => {
      const r = await helmTemplate(helm, 'monitoring', values);
      assert.is(r.code, 0, r.stderr);
      const objs = parseManifests(r.stdout);
      assert.ok(objs.length >= 4);
      for (const obj of objs) {
        if (obj.kind === 'Pod' && obj.metadata?.annotations?.['helm.sh/hook'] === 'test') {
          // No Pod schema is vendored: the helm test hook is held to the restricted profile instead.
          assert.equal(pssRestricted(obj.spec), [], 'helm test Pod: PSS restricted');
          continue;
        }
        assert.equal(validate(obj), [], `${obj.kind}/${obj.metadata?.name}`);
      }
      for (const d of objs.filter((o) => o.kind === 'Deployment' || o.kind === 'StatefulSet')) assert.equal(pssRestricted(d.spec.template.spec), [], `${d.kind}/${d.metadata.name}: PSS restricted`);
      // Every flag on every Thanos container the chart renders is in its release's --help.
      assert.equal(unprovenFlags(objs), [], 'Thanos flags');
    });
  }
}

const good = { containers: [{ name: 'c', securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } } }], securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } } };
const pssCases: [string, (s: any) => void, RegExp][] = [
  ['privilege escalation allowed', (s) => delete s.containers[0].securityContext.allowPrivilegeEscalation, /allowPrivilegeEscalation/],
  ['root allowed', (s) => delete s.securityContext.runAsNonRoot, /runAsNonRoot/],
  ['no seccomp', (s) => delete s.securityContext.seccompProfile, /seccompProfile/],
  ['capabilities kept', (s) => (s.containers[0].securityContext.capabilities = {}), /drop ALL/],
  ['capability added', (s) => (s.containers[0].securityContext.capabilities.add = ['NET_ADMIN']), /NET_ADMIN/],
  ['host network', (s) => (s.hostNetwork = true), /host namespaces/],
  ['hostPath volume', (s) => (s.volumes = [{ name: 'h', hostPath: { path: '/' } }]), /hostPath/],
  ['privileged', (s) => (s.containers[0].securityContext.privileged = true), /privileged/],
];
test('PSS check: a compliant pod passes', () => assert.equal(pssRestricted(good), []));
for (const [name, mutate, msg] of pssCases) {
  test(`PSS check catches: ${name}`, () => {
    const s = structuredClone(good);
    mutate(s);
    assert.match(pssRestricted(s).join('\n'), msg);
  });
}

const bad: [string, any, RegExp][] = [
  ['unknown field (typo) in a StatefulSet', { apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 'x' }, spec: { replicas: 1, selector: {}, template: {}, volumeClaimTemplate: [] } }, /additional/],
  ['bad storage quantity in a StatefulSet claim', { apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 'x' }, spec: { selector: {}, template: {}, volumeClaimTemplates: [{ metadata: { name: 'data' }, spec: { resources: { requests: { storage: '10 GB' } } } }] } }, /Quantity/],
  ['unknown field (typo) in a Deployment', { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'x' }, spec: { replica: 2, selector: {}, template: {} } }, /additional/],
  ['typo in the Prometheus affinity', { apiVersion: 'monitoring.coreos.com/v1', kind: 'Prometheus', metadata: { name: 'p' }, spec: { affinity: { podAntiAffinity: { preferredDuringScheduling: [] } } } }, /additional/],
  ['bad label value', { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'sa', labels: { a: 'not ok!' } } }, /label value/],
  ['bad quantity', { apiVersion: 'monitoring.coreos.com/v1', kind: 'Prometheus', metadata: { name: 'p' }, spec: { resources: { limits: { cpu: '1 core' } } } }, /Quantity/],
  ['long port name', { apiVersion: 'v1', kind: 'Service', metadata: { name: 's' }, spec: { ports: [{ name: 'grpc-store-api-port', port: 1 }] } }, /port name/],
  ['bad Service name', { apiVersion: 'v1', kind: 'Service', metadata: { name: 'a.b' }, spec: {} }, /metadata.name/],
];
for (const [name, obj, msg] of bad) test(`validation catches: ${name}`, () => assert.match(validate(obj).join('\n'), msg));

test.run();
