/**
 * Validity of emitted objects as the API server would judge them: the vendored strict JSON Schemas
 * (test/schemas/, unknown fields are errors as with kubectl apply's strict field validation),
 * plus what JSON Schema cannot say: names, label syntax, Quantity syntax, port names, and the
 * Pod Security Standards "restricted" profile for pod templates we emit.
 */
import { readFileSync } from 'node:fs';
import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { ROOT } from './helpers.js';

const ajv = new Ajv.default({ strict: false, allErrors: true, allowUnionTypes: true });
addFormats.default(ajv);

const K8S: Record<string, string> = {
  'apps/v1/Deployment': 'deployment-apps-v1',
  'apps/v1/StatefulSet': 'statefulset-apps-v1',
  'v1/Service': 'service-v1',
  'v1/ServiceAccount': 'serviceaccount-v1',
  'policy/v1/PodDisruptionBudget': 'poddisruptionbudget-policy-v1',
  'networking.k8s.io/v1/NetworkPolicy': 'networkpolicy-networking-v1',
  'rbac.authorization.k8s.io/v1/ClusterRole': 'clusterrole-rbac-v1',
  'rbac.authorization.k8s.io/v1/ClusterRoleBinding': 'clusterrolebinding-rbac-v1',
};
const CRD: Record<string, string> = {
  'monitoring.coreos.com/v1/Prometheus': 'prometheus.strict.schema.json',
  'monitoring.coreos.com/v1/ServiceMonitor': 'servicemonitor.strict.schema.json',
};
export const K8S_VERSIONS = ['v1.33', 'v1.35'];

const cache = new Map<string, ValidateFunction>();
function compiled(file: string): ValidateFunction {
  let v = cache.get(file);
  if (!v) {
    v = ajv.compile(JSON.parse(readFileSync(`${ROOT}test/schemas/${file}`, 'utf8')));
    cache.set(file, v);
  }
  return v;
}

/** Schemas an object is checked against: one per Kubernetes version, or its CRD's. */
export function schemasFor(obj: any): string[] {
  const key = `${obj?.apiVersion}/${obj?.kind}`;
  if (K8S[key]) return K8S_VERSIONS.map((v) => `kubernetes/${v}/${K8S[key]}.json`);
  if (CRD[key]) return [`prometheus-operator/${CRD[key]}`];
  return [];
}

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const LABEL_NAME = /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
// k8s.io/apimachinery/pkg/api/resource/quantity.go (splitQuantityString / parseQuantityString)
const QUANTITY = /^[+-]?(\d+(\.\d*)?|\.\d+)(([KMGTPE]i)|[numkMGTPE]|([eE][+-]?\d+))?$/;
// IANA_SVC_NAME (k8s.io/apimachinery validation.IsValidPortName): <= 15, lowercase alnum and '-', a letter, no '--', no '-' at the ends.
const PORT_NAME = /^(?=.{1,15}$)(?=.*[a-z])[a-z0-9]+(-[a-z0-9]+)*$/;

export function labelKeyErrors(key: string): string[] {
  const parts = key.split('/');
  if (parts.length > 2) return [`label key ${key}: more than one /`];
  const [prefix, name] = parts.length === 2 ? parts : [undefined, parts[0]!];
  const out: string[] = [];
  if (prefix !== undefined && (prefix.length > 253 || !DNS1123_SUBDOMAIN.test(prefix))) out.push(`label key ${key}: bad prefix`);
  if (!name || name.length > 63 || !LABEL_NAME.test(name)) out.push(`label key ${key}: bad name`);
  return out;
}

function labelErrors(labels: unknown, where: string): string[] {
  if (!labels || typeof labels !== 'object') return [];
  return Object.entries(labels).flatMap(([k, v]) => [
    ...labelKeyErrors(k).map((e) => `${where}: ${e}`),
    ...(typeof v !== 'string' || v.length > 63 || !LABEL_VALUE.test(v) ? [`${where}: label value ${JSON.stringify(v)} of ${k}`] : []),
  ]);
}

function resourcesErrors(res: any, where: string): string[] {
  const out: string[] = [];
  for (const kind of ['limits', 'requests']) for (const [k, q] of Object.entries(res?.[kind] ?? {})) if (!QUANTITY.test(String(q))) out.push(`${where}.${kind}.${k}: ${JSON.stringify(q)} is not a Quantity`);
  return out;
}

function podSpecErrors(spec: any, where: string): string[] {
  const out: string[] = [];
  for (const [i, c] of (spec?.containers ?? []).entries()) {
    out.push(...resourcesErrors(c.resources, `${where}.containers[${i}].resources`));
    for (const p of c.ports ?? []) if (p.name !== undefined && !PORT_NAME.test(p.name)) out.push(`${where}.containers[${i}].ports: name ${p.name} is not an IANA_SVC_NAME (<= 15 chars)`);
  }
  return out;
}

/** Every reason the API server (or a careful reviewer of its rules) would reject the object. */
export function validate(obj: any): string[] {
  const out: string[] = [];
  const id = `${obj?.kind}/${obj?.metadata?.name}`;
  const files = schemasFor(obj);
  if (!files.length) return [`${id}: no vendored schema for ${obj?.apiVersion}/${obj?.kind}`];
  for (const f of files) {
    const v = compiled(f);
    if (!v(obj)) out.push(...(v.errors ?? []).map((e) => `${id} (${f}): ${e.instancePath} ${e.message} ${JSON.stringify(e.params)}`));
  }
  const name = obj.metadata?.name ?? '';
  const nameOk = obj.kind === 'Service' ? DNS1123_LABEL.test(name) && name.length <= 63 : DNS1123_SUBDOMAIN.test(name) && name.length <= 253;
  if (!nameOk && !String(obj.kind).startsWith('Cluster')) out.push(`${id}: metadata.name is not a valid name`);
  out.push(...labelErrors(obj.metadata?.labels, `${id} metadata.labels`));
  if (obj.kind === 'Deployment' || obj.kind === 'StatefulSet') {
    out.push(...labelErrors(obj.spec?.template?.metadata?.labels, `${id} template labels`));
    out.push(...podSpecErrors(obj.spec?.template?.spec, `${id} spec.template.spec`));
  }
  if (obj.kind === 'StatefulSet') for (const c of obj.spec?.volumeClaimTemplates ?? []) out.push(...resourcesErrors(c.spec?.resources, `${id} volumeClaimTemplates ${c.metadata?.name}`));
  if (obj.kind === 'Service') for (const p of obj.spec?.ports ?? []) if (p.name !== undefined && !PORT_NAME.test(p.name)) out.push(`${id}: port name ${p.name}`);
  if (obj.kind === 'Prometheus') {
    out.push(...resourcesErrors(obj.spec?.resources, `${id} spec.resources`), ...resourcesErrors(obj.spec?.thanos?.resources, `${id} spec.thanos.resources`));
    out.push(...labelErrors(obj.spec?.podMetadata?.labels, `${id} spec.podMetadata.labels`));
  }
  return out;
}

/**
 * Pod Security Standards, "restricted" profile (which includes "baseline"), as documented at
 * https://kubernetes.io/docs/concepts/security/pod-security-standards/ (policy version v1.33+).
 */
export function pssRestricted(spec: any): string[] {
  const out: string[] = [];
  const psc = spec?.securityContext ?? {};
  const containers = [...(spec?.initContainers ?? []), ...(spec?.containers ?? []), ...(spec?.ephemeralContainers ?? [])];
  // baseline
  if (spec?.hostNetwork || spec?.hostPID || spec?.hostIPC) out.push('host namespaces must not be shared');
  if (psc.windowsOptions?.hostProcess) out.push('hostProcess pods are not allowed');
  for (const v of spec?.volumes ?? []) if (v.hostPath) out.push(`volume ${v.name}: hostPath is not allowed`);
  const allowedVolume = ['configMap', 'csi', 'downwardAPI', 'emptyDir', 'ephemeral', 'persistentVolumeClaim', 'projected', 'secret'];
  for (const v of spec?.volumes ?? []) {
    const kinds = Object.keys(v).filter((k) => k !== 'name');
    if (!kinds.every((k) => allowedVolume.includes(k))) out.push(`volume ${v.name}: type ${kinds.join(',')} not allowed`);
  }
  for (const s of spec?.securityContext?.sysctls ?? []) if (!['kernel.shm_rmid_forced', 'net.ipv4.ip_local_port_range', 'net.ipv4.ip_unprivileged_port_start', 'net.ipv4.tcp_syncookies', 'net.ipv4.ping_group_range', 'net.ipv4.ip_local_reserved_ports', 'net.ipv4.tcp_keepalive_time', 'net.ipv4.tcp_fin_timeout', 'net.ipv4.tcp_keepalive_intvl', 'net.ipv4.tcp_keepalive_probes'].includes(s.name)) out.push(`sysctl ${s.name} not allowed`);
  const podSeccomp = psc.seccompProfile?.type;
  if (podSeccomp && !['RuntimeDefault', 'Localhost'].includes(podSeccomp)) out.push(`pod seccompProfile ${podSeccomp}`);
  if (psc.runAsUser === 0) out.push('pod runAsUser 0');
  for (const c of containers) {
    const sc = c.securityContext ?? {};
    const n = `container ${c.name}`;
    if (sc.privileged) out.push(`${n}: privileged`);
    if (sc.windowsOptions?.hostProcess) out.push(`${n}: hostProcess`);
    for (const p of c.ports ?? []) if (p.hostPort) out.push(`${n}: hostPort ${p.hostPort}`);
    if (sc.procMount && sc.procMount !== 'Default') out.push(`${n}: procMount ${sc.procMount}`);
    if (sc.appArmorProfile?.type === 'Unconfined') out.push(`${n}: AppArmor Unconfined`);
    // restricted
    if (sc.allowPrivilegeEscalation !== false) out.push(`${n}: allowPrivilegeEscalation must be false`);
    if (!(sc.runAsNonRoot === true || (sc.runAsNonRoot === undefined && psc.runAsNonRoot === true))) out.push(`${n}: runAsNonRoot must be true (container or pod)`);
    if (sc.runAsUser === 0) out.push(`${n}: runAsUser 0`);
    const seccomp = sc.seccompProfile?.type ?? podSeccomp;
    if (!['RuntimeDefault', 'Localhost'].includes(seccomp)) out.push(`${n}: seccompProfile must be RuntimeDefault or Localhost`);
    const drop: string[] = sc.capabilities?.drop ?? [];
    if (!drop.includes('ALL')) out.push(`${n}: capabilities must drop ALL`);
    for (const a of sc.capabilities?.add ?? []) if (a !== 'NET_BIND_SERVICE') out.push(`${n}: capability ${a} may not be added`);
  }
  return out;
}
