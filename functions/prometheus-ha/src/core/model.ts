/**
 * What prometheus-ha does, described once as data over the config (see expr.ts):
 * the changes to the target Prometheus and the objects it injects. The KRM function evaluates
 * this description (transform.ts); the chart generator compiles the same description to Go
 * templates (chart/gotemplate.ts). Nothing here knows which of the two is running it.
 */
import type { Expr } from './expr.js';

/** This program's version (package.json's): `--version`, the chart's version. */
export const VERSION = '0.1.0';
export const THANOS_VERSION = 'v0.42.4';
/** The sidecar and Query image repository when neither the config nor the base names one. */
export const THANOS_IMAGE = 'quay.io/thanos/thanos';
/** Sidecar resources when neither the config nor the base sets them. */
export const SIDECAR_RESOURCES = { limits: { cpu: '500m', memory: '500Mi' }, requests: { cpu: '100m', memory: '500Mi' } };
/** The label the operator uses for replicas when spec.replicaExternalLabelName is unset. */
export const OPERATOR_DEFAULT_REPLICA_LABEL = 'prometheus_replica';
/** The label the operator names the Prometheus by when spec.prometheusExternalLabelName is unset. */
export const OPERATOR_DEFAULT_PROMETHEUS_LABEL = 'prometheus';
export const GRPC_PORT = 10901;
export const HTTP_PORT = 10902;
export const MANAGED_BY = 'prometheus-ha';
/**
 * Set on the Prometheus, with the value MANAGED_BY, when the function writes its podAntiAffinity:
 * that podAntiAffinity is then the function's, and a render with another antiAffinity updates it.
 * One without the mark is the user's, and is not replaced (AFFINITY_CONFLICT).
 */
export const AFFINITY_MARK = 'fn.prometheus-ha.dev/pod-anti-affinity';
/**
 * On every object the function adds, with the value `<namespace>/<name>` of the target Prometheus:
 * with `app.kubernetes.io/managed-by: prometheus-ha`, the proof that a later run for the same
 * target may remove the object once it no longer emits it (a renamed Query, say), and that a run
 * for another Prometheus of the same package leaves it alone.
 */
export const TARGET_MARK = 'fn.prometheus-ha.dev/target';

const v = (path: string): Expr => ({ $v: path });
/** `IMAGE:VERSION`, or `REPO:VERSION@sha256:...` for an image pinned by digest. */
export const image = (prefix: string): Expr => ({ $image: [v(`${prefix}.image`), v(`${prefix}.version`)] });

/** One change to the target Prometheus. `merge` sets each entry of the value map under `path`. */
export interface PatchOp {
  op: 'set' | 'merge';
  path: Expr[];
  value: Expr;
  /** The change is made only when this is truthy. */
  when?: Expr;
  /** Why, for the info result. */
  why: string;
}

/**
 * The labels the operator sets on every pod of a Prometheus (prometheus-operator
 * pkg/prometheus/server/statefulset.go: app.kubernetes.io/name, app.kubernetes.io/instance).
 */
const operatorPodLabels: Expr = { matchLabels: { 'app.kubernetes.io/name': 'prometheus', 'app.kubernetes.io/instance': { $t: 'name' } } };

/** A fact of the base Prometheus (core/base.ts): what a config default yields to. */
const fact = (name: string): Expr => ({ $fact: name });
/** The config's value, else the base's (when it can work), else the default: a default never overwrites the base. */
const orBase = (path: string): Expr => ({ $default: [v(path), fact(path)] });
/** The config's value where set; else the base fact, and where that is null the field is left as it is. */
const keepUnset = (name: string): Expr => ({ $if: fact(name), then: fact(name) });

/** Spec.replicas: the config's, else the base's when 2 or more, else 2. */
export const prometheusReplicas: Expr = orBase('replicas');

/** The config sets the sidecar's image or version: both are then written, together. */
const thanosFromConfig: Expr = { $not: { $and: [{ $not: v('thanos.image') }, { $not: v('thanos.version') }] } };
const thanosVersion: Expr = orBase('thanos.version');

/**
 * The base's podAntiAffinity already spreads this Prometheus's replicas as antiAffinity asks (mode
 * and topologyKey; core/base.ts judges its terms against the operator's pod labels): it is kept.
 */
export const antiAffinityAdopted: Expr = {
  $in: [
    [
      { $concat: [v('antiAffinity.mode'), ' ', v('antiAffinity.topologyKey')] },
      { $concat: [v('antiAffinity.mode'), ' ', v('antiAffinity.topologyKey'), '@', { $t: 'namespace' }] },
    ],
    fact('antiAffinity.adoptable'),
  ],
};
const writesAntiAffinity: Expr = { $and: [{ $not: { $eq: [v('antiAffinity.mode'), 'none'] } }, { $not: antiAffinityAdopted }] };

/** The label the operator puts on every pod of shard N (prometheus-operator pkg/prometheus/common.go, ShardLabelName). */
export const SHARD_LABEL = 'operator.prometheus.io/shard';

const antiAffinityTerm: Expr = {
  labelSelector: { $default: [v('antiAffinity.labelSelector'), operatorPodLabels] },
  // Sharded (spec.shards > 1): keep apart the replicas of one shard only, by their own shard label
  // value, so that hard mode asks for `replicas` nodes, not shards x replicas. matchLabelKeys in a
  // pod (anti-)affinity term: alpha in Kubernetes 1.29, beta (on by default) in 1.31, GA in 1.33
  // (KEP-3633); an API server before 1.31 (or 1.29/1.30 without the MatchLabelKeysInPodAffinity
  // gate) drops the field, and the term then keeps every replica of every shard apart.
  matchLabelKeys: { $if: { $gt: [{ $base: 'spec.shards' }, 1] }, then: [SHARD_LABEL] },
  topologyKey: v('antiAffinity.topologyKey'),
};

/** podAntiAffinity for a mode at `prefix` (soft, hard; none is left out by the caller). */
const podAntiAffinity = (prefix: string, term: Expr, weight: Expr): Expr => ({
  $if: { $eq: [v(`${prefix}.mode`), 'hard'] },
  then: { requiredDuringSchedulingIgnoredDuringExecution: [term] },
  else: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight, podAffinityTerm: term }] },
});

/** A component's pod affinity (query, storeGateway, queryFrontend): its replicas kept apart by `<component>.antiAffinity`, left out for mode none. */
const componentAffinity = (component: string, selector: Expr): Expr => ({
  $if: { $not: { $eq: [v(`${component}.antiAffinity.mode`), 'none'] } },
  then: {
    podAntiAffinity: podAntiAffinity(`${component}.antiAffinity`, { labelSelector: { matchLabels: selector }, topologyKey: v(`${component}.antiAffinity.topologyKey`) }, 100),
  },
});

export const prometheusPatch: PatchOp[] = [
  { op: 'set', path: ['spec', 'replicas'], value: prometheusReplicas, why: 'replicas for high availability' },
  {
    op: 'set',
    path: ['spec', 'affinity', 'podAntiAffinity'],
    when: writesAntiAffinity,
    value: podAntiAffinity('antiAffinity', antiAffinityTerm, v('antiAffinity.weight')),
    why: 'keeps the replicas on different nodes',
  },
  {
    op: 'set',
    path: ['metadata', 'annotations', AFFINITY_MARK],
    when: writesAntiAffinity,
    value: MANAGED_BY,
    why: 'the podAntiAffinity is written by prometheus-ha: a render with another antiAffinity updates it',
  },
  {
    op: 'merge',
    path: ['spec', 'podMetadata', 'labels'],
    value: { $entries: [[v('storeApi.label.key'), v('storeApi.label.value')]] },
    why: 'the store-API Service selects the sidecars by this label',
  },
  // image and version together: the operator picks sidecar flags by version, not by image
  // (prometheus-operator issues #5223 and #6601). Set in the config, both are written; else the
  // base's stay when they work (core/base.ts), and are replaced together when they cannot.
  {
    op: 'set',
    path: ['spec', 'thanos', 'image'],
    value: { $if: thanosFromConfig, then: { $image: [{ $default: [v('thanos.image'), fact('thanos.repository')] }, thanosVersion] }, else: keepUnset('thanos.imageField') },
    why: 'Thanos sidecar image, tag = version',
  },
  {
    op: 'set',
    path: ['spec', 'thanos', 'version'],
    value: { $if: thanosFromConfig, then: thanosVersion, else: keepUnset('thanos.versionField') },
    why: 'Thanos sidecar version, which the operator picks flags by',
  },
  { op: 'set', path: ['spec', 'thanos', 'resources'], value: orBase('thanos.resources'), why: 'sidecar resources' },
  { op: 'merge', path: ['spec', 'externalLabels'], value: v('externalLabels'), why: 'external labels that Thanos tells this Prometheus apart by' },
  {
    op: 'set',
    path: ['spec', 'thanos', 'grpcServerTlsConfig'],
    when: v('thanos.grpcServerTls.secretName'),
    // The operator mounts the referenced keys into the sidecar and maps them to --grpc-server-tls-client-ca,
    // -cert and -key (prometheus-operator API: ThanosSpec.grpcServerTlsConfig, a TLSConfig).
    value: {
      ca: { secret: { name: v('thanos.grpcServerTls.secretName'), key: 'ca.crt' } },
      cert: { secret: { name: v('thanos.grpcServerTls.secretName'), key: 'tls.crt' } },
      keySecret: { name: v('thanos.grpcServerTls.secretName'), key: 'tls.key' },
    },
    why: 'the sidecar serves the store API over TLS',
  },
  {
    op: 'set',
    path: ['spec', 'thanos', 'objectStorageConfig'],
    value: v('thanos.objectStorageConfig'),
    when: v('thanos.objectStorageConfig'),
    why: 'the sidecar uploads blocks to object storage',
  },
  {
    op: 'set',
    path: ['spec', 'topologySpreadConstraints'],
    when: v('topologySpread.enabled'),
    value: [
      {
        maxSkew: v('topologySpread.maxSkew'),
        topologyKey: v('topologySpread.topologyKey'),
        whenUnsatisfiable: v('topologySpread.whenUnsatisfiable'),
        labelSelector: { $default: [v('antiAffinity.labelSelector'), operatorPodLabels] },
      },
    ],
    why: 'spreads the replicas across failure domains',
  },
];

/** The external label the operator marks this Prometheus's replicas with. */
export const prometheusReplicaLabel: Expr = { $default: [{ $base: 'spec.replicaExternalLabelName' }, OPERATOR_DEFAULT_REPLICA_LABEL] };

/** The replica labels Query deduplicates by. */
export const replicaLabels: Expr = {
  $default: [v('query.replicaLabels'), [prometheusReplicaLabel]],
};

/** The SRV name Query discovers the sidecars by (Thanos docs, service-discovery.md: dnssrv+). */
export const storeApiSrv: Expr = {
  $concat: ['dnssrv+_grpc._tcp.', v('storeApi.service.name'), '.', { $t: 'namespace' }, '.svc.', v('clusterDomain')],
};

export const querySelectorLabels: Expr = {
  'app.kubernetes.io/name': 'thanos-query',
  'app.kubernetes.io/instance': v('query.name'),
};
const commonLabels = (component: 'query' | 'store-api' | 'prometheus', instance: Expr): Expr => ({
  'app.kubernetes.io/name': component === 'query' ? 'thanos-query' : component === 'store-api' ? 'thanos-store-api' : 'prometheus-ha-pdb',
  'app.kubernetes.io/instance': instance,
  'app.kubernetes.io/component': component,
  'app.kubernetes.io/part-of': 'prometheus-ha',
  'app.kubernetes.io/managed-by': MANAGED_BY,
});

/**
 * The Prometheus pods of this CR, as the operator v0.93 labels them (test/fixtures/brownfield/NOTES.md
 * (a): pkg/prometheus/server/operator.go makeSelectorLabels; the same pair kube-prometheus-stack's
 * PodDisruptionBudget selects by).
 */
export const prometheusPodSelector: Expr = { 'app.kubernetes.io/name': 'prometheus', 'operator.prometheus.io/name': { $t: 'name' } };

/** The target annotation of every injected object (TARGET_MARK). */
const targetAnnotation: Expr = { [TARGET_MARK]: { $concat: [{ $t: 'namespace' }, '/', { $t: 'name' }] } };
const metadata = (name: Expr, labels: Expr): Expr => ({ name, namespace: { $t: 'namespace' }, labels, annotations: targetAnnotation });

/** The lists spliced together, left out when that is empty. */
const nonEmpty = (parts: Expr[]): Expr => ({ $if: { $flat: parts }, then: { $flat: parts } });
/** A pod setting of `prefix.pod` (schema definitions.podSettings), left out when unset or empty. */
const podSetting = (prefix: string, key: string): Expr => ({ $if: v(`${prefix}.pod.${key}`), then: v(`${prefix}.pod.${key}`) });
/**
 * The pod settings every component takes (schema definitions.podSettings), for a component whose
 * values are at `prefix`: the pod's metadata (its own labels win: the schema refuses podLabels that
 * name them, and the selector must keep matching), the pod spec's fields, the container's.
 */
export const podSettings = (prefix: string, ownLabels: Expr, own: { volumes?: Expr; volumeMounts?: Expr } = {}) => ({
  metadata: {
    labels: { $merge: [v(`${prefix}.pod.podLabels`), ownLabels] },
    annotations: podSetting(prefix, 'podAnnotations'),
  },
  spec: {
    nodeSelector: podSetting(prefix, 'nodeSelector'),
    tolerations: podSetting(prefix, 'tolerations'),
    priorityClassName: podSetting(prefix, 'priorityClassName'),
    imagePullSecrets: podSetting(prefix, 'imagePullSecrets'),
    volumes: nonEmpty([own.volumes ?? [], v(`${prefix}.pod.extraVolumes`)]),
  },
  container: {
    env: podSetting(prefix, 'extraEnv'),
    volumeMounts: nonEmpty([own.volumeMounts ?? [], v(`${prefix}.pod.extraVolumeMounts`)]),
  },
});

export interface Injected {
  /** Stable identity, also the file-name stem in kpt packages. */
  id: string;
  apiVersion: string;
  kind: string;
  name: Expr;
  when?: Expr;
  /**
   * The object's expression, built when asked for: a run builds only the objects the config
   * switches on (transform.ts asks only for those), not all of them at every start; the chart
   * compiles them all.
   */
  object: () => Expr;
}

/**
 * Whether prometheus-ha adds its Query: switched on, and the input has no Thanos Query of that name
 * that already reads this Prometheus as ours would (transform.ts existingQueries; the chart folds
 * the list in when it is generated): such a Query is kept in place of ours.
 */
export const queryEnabled: Expr = { $and: [v('query.enabled'), { $not: { $in: [[v('query.name'), { $concat: [v('query.name'), '@', { $t: 'namespace' }] }], { $t: 'adoptableQueries' }] } }] };
const prometheusPdbName: Expr = { $concat: ['prometheus-', { $t: 'name' }] };
const sidecarMetrics = v('thanos.serviceMonitor.enabled');

/** Where Query mounts query.grpcClientTls.secretName (read-only). */
export const GRPC_CLIENT_TLS_DIR = '/etc/thanos/grpc-client-tls';
/** Its volume's name, which query.pod.extraVolumes may not take (config.ts). */
export const GRPC_CLIENT_TLS_VOLUME = 'grpc-client-tls';
const clientTls = v('query.grpcClientTls.secretName');
/**
 * TLS to the store APIs (thanos query --help, v0.32.5 to v0.42.4 alike: --grpc-client-tls-secure,
 * -cert, -key, -ca, --grpc-client-server-name; /work/shared/reference/thanos-flags). The files are
 * the keys cert-manager writes into a certificate's Secret (tls.crt, tls.key, ca.crt).
 */
const clientTlsArgs: Expr = {
  $if: clientTls,
  then: {
    $flat: [
      '--grpc-client-tls-secure',
      `--grpc-client-tls-cert=${GRPC_CLIENT_TLS_DIR}/tls.crt`,
      `--grpc-client-tls-key=${GRPC_CLIENT_TLS_DIR}/tls.key`,
      `--grpc-client-tls-ca=${GRPC_CLIENT_TLS_DIR}/ca.crt`,
      { $if: v('query.grpcClientTls.serverName'), then: { $concat: ['--grpc-client-server-name=', v('query.grpcClientTls.serverName')] } },
    ],
  },
};

/** Query's pod settings, with its own volume: the store-API client certificate (query.grpcClientTls). */
const queryPod = podSettings('query', commonLabels('query', v('query.name')), {
  volumes: { $if: clientTls, then: [{ name: GRPC_CLIENT_TLS_VOLUME, secret: { secretName: clientTls } }] },
  volumeMounts: { $if: clientTls, then: [{ name: GRPC_CLIENT_TLS_VOLUME, mountPath: GRPC_CLIENT_TLS_DIR, readOnly: true }] },
});

// ---- Growing past one pair: the components that work on the object storage the sidecars upload to ----

/** The recommended labels of a Thanos component prometheus-ha adds (`name` is its app.kubernetes.io/name). */
const componentLabels = (name: string, component: string, instance: Expr): Expr => ({
  'app.kubernetes.io/name': name,
  'app.kubernetes.io/instance': instance,
  'app.kubernetes.io/component': component,
  'app.kubernetes.io/part-of': 'prometheus-ha',
  'app.kubernetes.io/managed-by': MANAGED_BY,
});
const selectorLabels = (name: string, instance: Expr): Expr => ({ 'app.kubernetes.io/name': name, 'app.kubernetes.io/instance': instance });

/**
 * Pod Security Standards "restricted" (kubernetes.io/docs/concepts/security/pod-security-standards/), as
 * for Query; fsGroup makes the PersistentVolume writable by the image's user (nobody, 65534).
 */
const podSecurityContext: Expr = { runAsNonRoot: true, runAsUser: 65534, runAsGroup: 65534, fsGroup: 65534, seccompProfile: { type: 'RuntimeDefault' } };
const containerSecurityContext: Expr = {
  allowPrivilegeEscalation: false,
  readOnlyRootFilesystem: true,
  runAsNonRoot: true,
  capabilities: { drop: ['ALL'] },
  seccompProfile: { type: 'RuntimeDefault' },
};
/**
 * Every Thanos component serves /-/healthy and /-/ready on its --http-address (thanos
 * pkg/server/http/http.go, MuxServer.RegisterProber); ready once its store or bucket is synced.
 */
const probes = {
  readinessProbe: { httpGet: { path: '/-/ready', port: 'http' }, periodSeconds: 5 },
  livenessProbe: { httpGet: { path: '/-/healthy', port: 'http' }, periodSeconds: 30, failureThreshold: 4 },
};
/** The volume names the components take themselves, which their pod.extraVolumes may not (config.ts). */
export const DATA_VOLUME = 'data';
export const OBJSTORE_VOLUME = 'objstore';
export const GRPC_SERVER_TLS_VOLUME = 'grpc-server-tls';
const OBJSTORE_DIR = '/etc/thanos/objstore';
const DATA_DIR = '/var/thanos/data';
/** The object storage Secret of thanos.objectStorageConfig, the one the sidecars upload with. */
const objstoreVolume: Expr = { name: OBJSTORE_VOLUME, secret: { secretName: v('thanos.objectStorageConfig.name') } };
const objstoreFlag: Expr = { $concat: [`--objstore.config-file=${OBJSTORE_DIR}/`, v('thanos.objectStorageConfig.key')] };
const dataMounts: Expr = [
  { name: DATA_VOLUME, mountPath: DATA_DIR },
  { name: OBJSTORE_VOLUME, mountPath: OBJSTORE_DIR, readOnly: true },
];
/** One ReadWriteOnce claim per pod, `data`, of `<prefix>.storage`. */
const volumeClaims = (prefix: string, labels: Expr): Expr => [
  {
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: { name: DATA_VOLUME, labels },
    spec: {
      accessModes: ['ReadWriteOnce'],
      storageClassName: { $if: v(`${prefix}.storage.storageClassName`), then: v(`${prefix}.storage.storageClassName`) },
      resources: { requests: { storage: v(`${prefix}.storage.size`) } },
    },
  },
];

const compactorEnabled = v('compactor.enabled');
const compactorSelector = selectorLabels('thanos-compact', v('compactor.name'));
const compactorLabels = componentLabels('thanos-compact', 'compactor', v('compactor.name'));
/** `--retention.resolution-<res>=<value>` when `compactor.retention.<key>` is set (unset: Thanos keeps forever). */
const retentionFlag = (key: string, res: string): Expr => ({
  $if: v(`compactor.retention.${key}`),
  then: { $concat: [`--retention.resolution-${res}=`, v(`compactor.retention.${key}`)] },
});

/** The Compactor's pod settings (schema definitions.podSettings), with its own volume: the object storage Secret. */
const compactorPod = () => podSettings('compactor', compactorLabels, { volumes: [objstoreVolume], volumeMounts: dataMounts });

const compactor: Injected[] = [
  {
    id: 'compactor-service',
    apiVersion: 'v1',
    kind: 'Service',
    name: v('compactor.name'),
    when: compactorEnabled,
    object: (): Expr => ({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: metadata(v('compactor.name'), compactorLabels),
      spec: {
        type: 'ClusterIP',
        // Headless: the StatefulSet's governing Service (serviceName); http for /metrics and the bucket UI.
        clusterIP: 'None',
        ports: [{ name: 'http', port: HTTP_PORT, targetPort: 'http', protocol: 'TCP' }],
        selector: compactorSelector,
      },
    }),
  },
  {
    id: 'compactor-statefulset',
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    name: v('compactor.name'),
    when: compactorEnabled,
    object: (): Expr => {
      const pod = compactorPod();
      return {
        apiVersion: 'apps/v1',
        kind: 'StatefulSet',
        metadata: metadata(v('compactor.name'), compactorLabels),
        spec: {
          // Exactly one, always: two compactors on one bucket compact the same blocks and corrupt it
          // (Thanos docs, components/compact.md: "only one instance of Compactor ... per bucket").
          replicas: 1,
          serviceName: v('compactor.name'),
          selector: { matchLabels: compactorSelector },
          template: {
            metadata: pod.metadata,
            spec: {
              ...pod.spec,
              automountServiceAccountToken: false,
              securityContext: podSecurityContext,
              containers: [
                {
                  name: 'thanos-compact',
                  image: image('compactor'),
                  args: {
                    $flat: [
                      'compact',
                      `--http-address=0.0.0.0:${HTTP_PORT}`,
                      `--data-dir=${DATA_DIR}`,
                      objstoreFlag,
                      // Run continuously instead of exiting after one pass.
                      '--wait',
                      // Offline deduplication of the HA replicas' blocks: the replicas differ only by the replica
                      // label; penalty is the algorithm for Prometheus replicas (thanos compact --help,
                      // --deduplication.func; Thanos issues #3673, #2362).
                      { $concat: ['--deduplication.replica-label=', prometheusReplicaLabel] },
                      '--deduplication.func=penalty',
                      retentionFlag('raw', 'raw'),
                      retentionFlag('fiveMinutes', '5m'),
                      retentionFlag('oneHour', '1h'),
                      { $if: { $not: v('compactor.downsampling') }, then: '--downsampling.disable' },
                    ],
                  },
                  ports: [{ name: 'http', containerPort: HTTP_PORT, protocol: 'TCP' }],
                  ...probes,
                  resources: v('compactor.resources'),
                  ...pod.container,
                  securityContext: containerSecurityContext,
                },
              ],
            },
          },
          volumeClaimTemplates: volumeClaims('compactor', compactorSelector),
        },
      };
    },
  },
];

const storeGatewayEnabled = v('storeGateway.enabled');
/** The Secret the sidecars serve TLS with (thanos.grpcServerTls); the Store Gateway serves with it too. */
const serverTls = v('thanos.grpcServerTls.secretName');
const GRPC_SERVER_TLS_DIR = '/etc/thanos/grpc-server-tls';
const storeGatewaySelector = selectorLabels('thanos-store', v('storeGateway.name'));
const storeGatewayLabels = componentLabels('thanos-store', 'store-gateway', v('storeGateway.name'));
/** The SRV name Query discovers the Store Gateway pods by, through their headless Service. */
export const storeGatewaySrv: Expr = {
  $concat: ['dnssrv+_grpc._tcp.', v('storeGateway.name'), '.', { $t: 'namespace' }, '.svc.', v('clusterDomain')],
};

/** The Store Gateway's pod settings, with its own volumes: the object storage Secret, the TLS Secret (thanos.grpcServerTls). */
const storeGatewayPod = () => podSettings('storeGateway', storeGatewayLabels, {
  volumes: [objstoreVolume, { $if: serverTls, then: { name: GRPC_SERVER_TLS_VOLUME, secret: { secretName: serverTls } } }],
  volumeMounts: { $flat: [dataMounts, { $if: serverTls, then: [{ name: GRPC_SERVER_TLS_VOLUME, mountPath: GRPC_SERVER_TLS_DIR, readOnly: true }] }] },
});

const storeGateway: Injected[] = [
  {
    id: 'store-gateway-service',
    apiVersion: 'v1',
    kind: 'Service',
    name: v('storeGateway.name'),
    when: storeGatewayEnabled,
    object: (): Expr => ({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: metadata(v('storeGateway.name'), storeGatewayLabels),
      spec: {
        type: 'ClusterIP',
        // Headless, as for the sidecars: the SRV record lists every Store Gateway pod.
        clusterIP: 'None',
        ports: [
          { name: 'grpc', port: GRPC_PORT, targetPort: 'grpc', protocol: 'TCP' },
          { name: 'http', port: HTTP_PORT, targetPort: 'http', protocol: 'TCP' },
        ],
        selector: storeGatewaySelector,
      },
    }),
  },
  {
    id: 'store-gateway-statefulset',
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    name: v('storeGateway.name'),
    when: storeGatewayEnabled,
    object: (): Expr => {
      const pod = storeGatewayPod();
      return {
        apiVersion: 'apps/v1',
        kind: 'StatefulSet',
        metadata: metadata(v('storeGateway.name'), storeGatewayLabels),
        spec: {
          replicas: v('storeGateway.replicas'),
          serviceName: v('storeGateway.name'),
          // The replicas are alike (each serves every block): start and stop them together.
          podManagementPolicy: 'Parallel',
          selector: { matchLabels: storeGatewaySelector },
          template: {
            metadata: pod.metadata,
            spec: {
              ...pod.spec,
              automountServiceAccountToken: false,
              affinity: componentAffinity('storeGateway', storeGatewaySelector),
              securityContext: podSecurityContext,
              containers: [
                {
                  name: 'thanos-store',
                  image: image('storeGateway'),
                  args: [
                    'store',
                    `--http-address=0.0.0.0:${HTTP_PORT}`,
                    `--grpc-address=0.0.0.0:${GRPC_PORT}`,
                    `--data-dir=${DATA_DIR}`,
                    objstoreFlag,
                    { $if: serverTls, then: `--grpc-server-tls-cert=${GRPC_SERVER_TLS_DIR}/tls.crt` },
                    { $if: serverTls, then: `--grpc-server-tls-key=${GRPC_SERVER_TLS_DIR}/tls.key` },
                    { $if: serverTls, then: `--grpc-server-tls-client-ca=${GRPC_SERVER_TLS_DIR}/ca.crt` },
                  ],
                  ports: [
                    { name: 'http', containerPort: HTTP_PORT, protocol: 'TCP' },
                    { name: 'grpc', containerPort: GRPC_PORT, protocol: 'TCP' },
                  ],
                  ...probes,
                  resources: v('storeGateway.resources'),
                  ...pod.container,
                  securityContext: containerSecurityContext,
                },
              ],
            },
          },
          volumeClaimTemplates: volumeClaims('storeGateway', storeGatewaySelector),
        },
      };
    },
  },
  {
    id: 'store-gateway-pdb',
    apiVersion: 'policy/v1',
    kind: 'PodDisruptionBudget',
    name: v('storeGateway.name'),
    when: { $and: [storeGatewayEnabled, v('storeGateway.podDisruptionBudget.enabled'), { $gt: [v('storeGateway.replicas'), 1] }] },
    object: (): Expr => ({
      apiVersion: 'policy/v1',
      kind: 'PodDisruptionBudget',
      metadata: metadata(v('storeGateway.name'), storeGatewayLabels),
      spec: { maxUnavailable: v('storeGateway.podDisruptionBudget.maxUnavailable'), selector: { matchLabels: storeGatewaySelector } },
    }),
  },
];

const queryFrontendEnabled = v('queryFrontend.enabled');
const queryFrontendSelector = selectorLabels('thanos-query-frontend', v('queryFrontend.name'));
const queryFrontendLabels = componentLabels('thanos-query-frontend', 'query-frontend', v('queryFrontend.name'));
/** Query's HTTP API through the Query Service, where the Query Frontend sends every query. */
export const queryUrl: Expr = { $concat: ['http://', v('query.service.name'), '.', { $t: 'namespace' }, '.svc.', v('clusterDomain'), `:${HTTP_PORT}`] };
/**
 * The response cache config (Thanos docs, components/query-frontend.md, "Caching": type IN-MEMORY with
 * max_size, or MEMCACHED with addresses), as YAML in JSON's flow style on one line.
 */
const responseCache: Expr = {
  $if: v('queryFrontend.cache.memcachedAddresses'),
  then: { $concat: ['{"type":"MEMCACHED","config":{"addresses":["', { $join: [v('queryFrontend.cache.memcachedAddresses'), '","'] }, '"]}}'] },
  else: { $concat: ['{"type":"IN-MEMORY","config":{"max_size":"', v('queryFrontend.cache.maxSize'), '"}}'] },
};

const queryFrontendPod = () => podSettings('queryFrontend', queryFrontendLabels);

const queryFrontend: Injected[] = [
  {
    id: 'query-frontend-deployment',
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    name: v('queryFrontend.name'),
    when: queryFrontendEnabled,
    object: (): Expr => {
      const pod = queryFrontendPod();
      return {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: metadata(v('queryFrontend.name'), queryFrontendLabels),
        spec: {
          replicas: v('queryFrontend.replicas'),
          selector: { matchLabels: queryFrontendSelector },
          template: {
            metadata: pod.metadata,
            spec: {
              ...pod.spec,
              automountServiceAccountToken: false,
              affinity: componentAffinity('queryFrontend', queryFrontendSelector),
              securityContext: podSecurityContext,
              containers: [
                {
                  name: 'thanos-query-frontend',
                  image: image('queryFrontend'),
                  args: [
                    'query-frontend',
                    `--http-address=0.0.0.0:${HTTP_PORT}`,
                    { $concat: ['--query-frontend.downstream-url=', queryUrl] },
                    { $concat: ['--query-range.split-interval=', v('queryFrontend.splitInterval')] },
                    { $concat: ['--query-range.response-cache-config=', responseCache] },
                  ],
                  ports: [{ name: 'http', containerPort: HTTP_PORT, protocol: 'TCP' }],
                  ...probes,
                  resources: v('queryFrontend.resources'),
                  ...pod.container,
                  securityContext: containerSecurityContext,
                },
              ],
            },
          },
        },
      };
    },
  },
  {
    id: 'query-frontend-service',
    apiVersion: 'v1',
    kind: 'Service',
    name: v('queryFrontend.name'),
    when: queryFrontendEnabled,
    object: (): Expr => ({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: metadata(v('queryFrontend.name'), queryFrontendLabels),
      spec: {
        type: 'ClusterIP',
        ports: [{ name: 'http', port: HTTP_PORT, targetPort: 'http', protocol: 'TCP' }],
        selector: queryFrontendSelector,
      },
    }),
  },
  {
    id: 'query-frontend-pdb',
    apiVersion: 'policy/v1',
    kind: 'PodDisruptionBudget',
    name: v('queryFrontend.name'),
    when: { $and: [queryFrontendEnabled, v('queryFrontend.podDisruptionBudget.enabled'), { $gt: [v('queryFrontend.replicas'), 1] }] },
    object: (): Expr => ({
      apiVersion: 'policy/v1',
      kind: 'PodDisruptionBudget',
      metadata: metadata(v('queryFrontend.name'), queryFrontendLabels),
      spec: { maxUnavailable: v('queryFrontend.podDisruptionBudget.maxUnavailable'), selector: { matchLabels: queryFrontendSelector } },
    }),
  },
];

/** A ServiceMonitor of a component's Service (`<prefix>.serviceMonitor`), scraping /metrics on its http port. */
const componentServiceMonitor = (prefix: string, id: string, selector: Expr, labels: Expr): Injected => ({
  id,
  apiVersion: 'monitoring.coreos.com/v1',
  kind: 'ServiceMonitor',
  name: v(`${prefix}.name`),
  when: { $and: [v(`${prefix}.enabled`), v(`${prefix}.serviceMonitor.enabled`)] },
  object: (): Expr => ({
    apiVersion: 'monitoring.coreos.com/v1',
    kind: 'ServiceMonitor',
    metadata: metadata(v(`${prefix}.name`), { $merge: [labels, v(`${prefix}.serviceMonitor.labels`)] }),
    spec: {
      selector: { matchLabels: selector },
      endpoints: [{ port: 'http', path: '/metrics', interval: v(`${prefix}.serviceMonitor.interval`) }],
    },
  }),
});

/**
 * A component's NetworkPolicy (`networkPolicy.enabled`): its pods take only the ingress listed.
 * Each component's http port (metrics, probes) stays open, as on the Prometheus pods; its grpc
 * store API, where it has one, is open to Query's pods only.
 */
const componentNetworkPolicy = (prefix: string, id: string, selector: Expr, labels: Expr, ingress: Expr[]): Injected => ({
  id,
  apiVersion: 'networking.k8s.io/v1',
  kind: 'NetworkPolicy',
  name: v(`${prefix}.name`),
  when: { $and: [v('networkPolicy.enabled'), v(`${prefix}.enabled`)] },
  object: (): Expr => ({
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: metadata(v(`${prefix}.name`), labels),
    spec: { podSelector: { matchLabels: selector }, policyTypes: ['Ingress'], ingress },
  }),
});

export const injected: Injected[] = [
  {
    id: 'store-api-service',
    apiVersion: 'v1',
    kind: 'Service',
    name: v('storeApi.service.name'),
    object: (): Expr => ({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: metadata(v('storeApi.service.name'), commonLabels('store-api', v('storeApi.service.name'))),
      spec: {
        type: 'ClusterIP',
        // Headless: the SRV record then lists every sidecar pod, so Query connects to each replica.
        clusterIP: 'None',
        ports: [
          { name: 'grpc', port: GRPC_PORT, targetPort: 'grpc', protocol: 'TCP' },
          // The sidecar's http port (the operator names it http), for its /metrics.
          { $if: sidecarMetrics, then: { name: 'http', port: HTTP_PORT, targetPort: 'http', protocol: 'TCP' } },
        ],
        selector: { $entries: [[v('storeApi.label.key'), v('storeApi.label.value')]] },
      },
    }),
  },
  {
    id: 'query-deployment',
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    name: v('query.name'),
    when: queryEnabled,
    object: (): Expr => ({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: metadata(v('query.name'), commonLabels('query', v('query.name'))),
      spec: {
        replicas: v('query.replicas'),
        selector: { matchLabels: querySelectorLabels },
        template: {
          metadata: queryPod.metadata,
          spec: {
            ...queryPod.spec,
            automountServiceAccountToken: false,
            affinity: componentAffinity('query', querySelectorLabels),
            // Pod Security Standards "restricted" (kubernetes.io/docs/concepts/security/pod-security-standards/):
            // non-root, seccomp RuntimeDefault, no privilege escalation, all capabilities dropped.
            // The thanos image's user is "nobody"; a non-numeric USER fails runAsNonRoot, so the uid is given.
            securityContext: {
              runAsNonRoot: true,
              runAsUser: 65534,
              runAsGroup: 65534,
              seccompProfile: { type: 'RuntimeDefault' },
            },
            containers: [
              {
                name: 'thanos-query',
                image: image('query'),
                args: {
                  $flat: [
                    'query',
                    { $concat: ['--log.level=', v('query.logLevel')] },
                    `--http-address=0.0.0.0:${HTTP_PORT}`,
                    `--grpc-address=0.0.0.0:${GRPC_PORT}`,
                    { $map: replicaLabels, as: 'l', to: { $concat: ['--query.replica-label=', { $var: 'l' }] } },
                    // --store was removed in Thanos v0.38 (CHANGELOG); --endpoint replaces it.
                    { $concat: ['--endpoint=', storeApiSrv] },
                    { $if: storeGatewayEnabled, then: { $concat: ['--endpoint=', storeGatewaySrv] } },
                    { $map: v('query.endpoints'), as: 'e', to: { $concat: ['--endpoint=', { $var: 'e' }] } },
                    clientTlsArgs,
                    v('query.extraArgs'),
                  ],
                },
                ports: [
                  { name: 'http', containerPort: HTTP_PORT, protocol: 'TCP' },
                  { name: 'grpc', containerPort: GRPC_PORT, protocol: 'TCP' },
                ],
                readinessProbe: { httpGet: { path: '/-/ready', port: 'http' }, periodSeconds: 5 },
                livenessProbe: { httpGet: { path: '/-/healthy', port: 'http' }, periodSeconds: 30 },
                resources: v('query.resources'),
                ...queryPod.container,
                securityContext: {
                  allowPrivilegeEscalation: false,
                  readOnlyRootFilesystem: true,
                  runAsNonRoot: true,
                  capabilities: { drop: ['ALL'] },
                  seccompProfile: { type: 'RuntimeDefault' },
                },
              },
            ],
          },
        },
      },
    }),
  },
  {
    id: 'query-service',
    apiVersion: 'v1',
    kind: 'Service',
    name: v('query.service.name'),
    when: { $and: [queryEnabled, v('query.service.enabled')] },
    object: (): Expr => ({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: metadata(v('query.service.name'), commonLabels('query', v('query.name'))),
      spec: {
        type: 'ClusterIP',
        ports: [
          { name: 'http', port: HTTP_PORT, targetPort: 'http', protocol: 'TCP' },
          { name: 'grpc', port: GRPC_PORT, targetPort: 'grpc', protocol: 'TCP' },
        ],
        selector: querySelectorLabels,
      },
    }),
  },
  {
    id: 'query-pdb',
    apiVersion: 'policy/v1',
    kind: 'PodDisruptionBudget',
    name: v('query.name'),
    // With one replica a PDB of maxUnavailable < 1 would block every node drain: never then.
    when: { $and: [queryEnabled, v('query.podDisruptionBudget.enabled'), { $gt: [v('query.replicas'), 1] }] },
    object: (): Expr => ({
      apiVersion: 'policy/v1',
      kind: 'PodDisruptionBudget',
      metadata: metadata(v('query.name'), commonLabels('query', v('query.name'))),
      spec: { maxUnavailable: v('query.podDisruptionBudget.maxUnavailable'), selector: { matchLabels: querySelectorLabels } },
    }),
  },
  {
    id: 'prometheus-pdb',
    apiVersion: 'policy/v1',
    kind: 'PodDisruptionBudget',
    name: prometheusPdbName,
    // Not with one replica (it would block every drain), and not when the input already has a
    // budget over these pods (transform.ts coveringPdb): the eviction API refuses to evict a pod
    // that two budgets select (kubernetes.io/docs/concepts/scheduling-eviction/api-eviction/,
    // "multiple PodDisruptionBudgets reference the same Pod": 500; pkg/registry/core/pod/storage/eviction.go).
    when: { $and: [v('podDisruptionBudget.enabled'), { $gt: [prometheusReplicas, 1] }, { $not: { $t: 'basePdb' } }] },
    object: (): Expr => ({
      apiVersion: 'policy/v1',
      kind: 'PodDisruptionBudget',
      metadata: metadata(prometheusPdbName, commonLabels('prometheus', { $t: 'name' })),
      spec: { maxUnavailable: 1, selector: { matchLabels: prometheusPodSelector } },
    }),
  },
  {
    id: 'query-servicemonitor',
    apiVersion: 'monitoring.coreos.com/v1',
    kind: 'ServiceMonitor',
    name: v('query.name'),
    when: { $and: [queryEnabled, v('query.service.enabled'), v('query.serviceMonitor.enabled')] },
    object: (): Expr => ({
      apiVersion: 'monitoring.coreos.com/v1',
      kind: 'ServiceMonitor',
      metadata: metadata(v('query.name'), { $merge: [commonLabels('query', v('query.name')), v('query.serviceMonitor.labels')] }),
      spec: {
        selector: { matchLabels: querySelectorLabels },
        endpoints: [{ port: 'http', path: '/metrics', interval: v('query.serviceMonitor.interval') }],
      },
    }),
  },
  {
    id: 'store-api-networkpolicy',
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    name: v('storeApi.service.name'),
    when: { $and: [v('networkPolicy.enabled'), queryEnabled] },
    object: (): Expr => ({
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: metadata(v('storeApi.service.name'), commonLabels('store-api', v('storeApi.service.name'))),
      spec: {
        podSelector: { matchLabels: { $entries: [[v('storeApi.label.key'), v('storeApi.label.value')]] } },
        policyTypes: ['Ingress'],
        ingress: [
          { from: [{ podSelector: { matchLabels: querySelectorLabels } }], ports: [{ port: 'grpc', protocol: 'TCP' }] },
          // Selecting the Prometheus pods isolates them: keep their other ports open to all.
          { ports: [{ port: 9090, protocol: 'TCP' }, { port: 8080, protocol: 'TCP' }, { port: HTTP_PORT, protocol: 'TCP' }] },
        ],
      },
    }),
  },
  {
    id: 'query-networkpolicy',
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    name: v('query.name'),
    when: { $and: [v('networkPolicy.enabled'), queryEnabled] },
    object: (): Expr => ({
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: metadata(v('query.name'), commonLabels('query', v('query.name'))),
      spec: {
        podSelector: { matchLabels: querySelectorLabels },
        policyTypes: ['Ingress'],
        ingress: [
          {
            // The Query Frontend, when there is one, reaches Query's http port too (an empty list
            // already lets every source in: adding a peer to it would shut the others out).
            from: {
              $if: { $and: [queryFrontendEnabled, v('networkPolicy.queryHttpFrom')] },
              then: { $flat: [v('networkPolicy.queryHttpFrom'), [{ podSelector: { matchLabels: queryFrontendSelector } }]] },
              else: v('networkPolicy.queryHttpFrom'),
            },
            ports: [{ port: 'http', protocol: 'TCP' }],
          },
          // A Query above this one (or a ruler) reaches the store API through the Query Service.
          { from: v('networkPolicy.queryHttpFrom'), ports: [{ port: 'grpc', protocol: 'TCP' }] },
        ],
      },
    }),
  },
  {
    id: 'store-api-servicemonitor',
    apiVersion: 'monitoring.coreos.com/v1',
    kind: 'ServiceMonitor',
    name: v('storeApi.service.name'),
    when: sidecarMetrics,
    object: (): Expr => ({
      apiVersion: 'monitoring.coreos.com/v1',
      kind: 'ServiceMonitor',
      metadata: metadata(v('storeApi.service.name'), { $merge: [commonLabels('store-api', v('storeApi.service.name')), v('thanos.serviceMonitor.labels')] }),
      spec: {
        selector: { matchLabels: { 'app.kubernetes.io/name': 'thanos-store-api', 'app.kubernetes.io/instance': v('storeApi.service.name') } },
        endpoints: [{ port: 'http', path: '/metrics', interval: v('thanos.serviceMonitor.interval') }],
      },
    }),
  },
  ...compactor,
  ...storeGateway,
  ...queryFrontend,
  componentServiceMonitor('compactor', 'compactor-servicemonitor', compactorSelector, compactorLabels),
  componentServiceMonitor('storeGateway', 'store-gateway-servicemonitor', storeGatewaySelector, storeGatewayLabels),
  componentServiceMonitor('queryFrontend', 'query-frontend-servicemonitor', queryFrontendSelector, queryFrontendLabels),
  componentNetworkPolicy('compactor', 'compactor-networkpolicy', compactorSelector, compactorLabels, [{ ports: [{ port: 'http', protocol: 'TCP' }] }]),
  componentNetworkPolicy('storeGateway', 'store-gateway-networkpolicy', storeGatewaySelector, storeGatewayLabels, [
    { from: [{ podSelector: { matchLabels: querySelectorLabels } }], ports: [{ port: 'grpc', protocol: 'TCP' }] },
    { ports: [{ port: 'http', protocol: 'TCP' }] },
  ]),
  // The Query Frontend is where users query from when there is one: its http port takes queryHttpFrom.
  componentNetworkPolicy('queryFrontend', 'query-frontend-networkpolicy', queryFrontendSelector, queryFrontendLabels, [{ from: v('networkPolicy.queryHttpFrom'), ports: [{ port: 'http', protocol: 'TCP' }] }]),
];
