// DO NOT EDIT: generated from schema/prometheus-ha.schema.json by `npm run generate` (scripts/generate.ts).
/**
 * Configuration of prometheus-ha: makes one Prometheus Operator `Prometheus` highly available with Thanos. The same object is the KRM function config (with apiVersion/kind/metadata) and the Helm chart's values (without them).
 */
export type PrometheusHA = {
  /**
   * Function config only.
   */
  apiVersion?: 'fn.prometheus-ha.dev/v1alpha1';
  /**
   * Function config only.
   */
  kind?: 'PrometheusHA';
  /**
   * Function config only: ignored.
   */
  metadata?: {
    name?: string;
    annotations?: {
      [k: string]: string;
    };
  };
  /**
   * Which Prometheus to make highly available. Omitted: the only Prometheus in the input.
   */
  target?: {
    /**
     * metadata.name of the Prometheus.
     */
    name?: string;
    /**
     * metadata.namespace of the Prometheus.
     */
    namespace?: string;
  };
  /**
   * Prometheus replicas (spec.replicas). Each replica scrapes every target; Thanos Query deduplicates them by the replica label. Unset: the Prometheus's own spec.replicas when it is 2 or more, else 2 (a base value below 2 is replaced, with a warning).
   */
  replicas?: number;
  /**
   * podAntiAffinity that keeps the Prometheus replicas apart. The Prometheus's other affinity (nodeAffinity, podAffinity) is kept.
   */
  antiAffinity?: {
    /**
     * soft: preferredDuringScheduling (replicas may share a node when no other fits); hard: requiredDuringScheduling (a replica stays Pending rather than share); none: no podAntiAffinity.
     */
    mode?: 'soft' | 'hard' | 'none';
    /**
     * Weight of the soft rule.
     */
    weight?: number;
    /**
     * Node label that defines the failure domain (for example topology.kubernetes.io/zone).
     */
    topologyKey?: string;
    labelSelector?: LabelSelector;
  };
  /**
   * PodDisruptionBudget for the Prometheus pods (maxUnavailable 1), so a node drain never evicts two replicas at once. Emitted only with more than one replica, and not when the input already has a PodDisruptionBudget selecting these pods (two budgets over the same pods make every eviction fail).
   */
  podDisruptionBudget?: {
    /**
     * Emit the PodDisruptionBudget.
     */
    enabled?: boolean;
  };
  /**
   * External labels merged into spec.externalLabels (these win over the Prometheus's own). Thanos needs them to tell this Prometheus apart from others.
   */
  externalLabels?: {
    [k: string]: string;
  };
  /**
   * The Thanos sidecar (spec.thanos). Fields the Prometheus already has under spec.thanos and that are not listed here stay.
   */
  thanos?: {
    /**
     * Sidecar image repository, without tag (the tag is `version`), optionally pinned by digest (`quay.io/thanos/thanos@sha256:...` becomes `quay.io/thanos/thanos:<version>@sha256:...`). Unset: the repository of the image the Prometheus's sidecar runs, else quay.io/thanos/thanos. Set (or version set): spec.thanos.image becomes <image>:<version>.
     */
    image?: string;
    /**
     * Thanos version of the sidecar, as the image is tagged (v0.42.4; 0.39.2-debian-12-r0 for bitnami's images). Written to spec.thanos.version and as the image tag: the operator picks sidecar flags by version, not by image. Unset: the Prometheus's own sidecar stays when it works (at least v0.10.0, its image tag agreeing with spec.thanos.version: else both are set from the image that runs, with a warning); with no sidecar, v0.42.4.
     */
    version?: string;
    /**
     * Sidecar resources (a map given here replaces the Prometheus's whole). Unset: the Prometheus's own spec.thanos.resources, else requests 100m/500Mi and limits 500m/500Mi.
     */
    resources?: {
      limits?: {
        /**
         * A Kubernetes quantity, such as 500m or 2Gi (an exponent of at most two digits: Helm writes a number beyond float64 unquoted, and YAML 1.2 readers take it for a number).
         */
        [k: string]: string | number;
      };
      requests?: {
        /**
         * A Kubernetes quantity, such as 500m or 2Gi (an exponent of at most two digits: Helm writes a number beyond float64 unquoted, and YAML 1.2 readers take it for a number).
         */
        [k: string]: string | number;
      };
    };
    /**
     * Secret key holding the Thanos object storage config (spec.thanos.objectStorageConfig): the sidecar then uploads blocks. Omitted: no upload.
     */
    objectStorageConfig?: {
      /**
       * Secret name.
       */
      name: string;
      /**
       * Key in the Secret.
       */
      key: string;
    };
    /**
     * ServiceMonitor (monitoring.coreos.com/v1) scraping the sidecars' /metrics: the store-API Service then also exposes their http port (10902).
     */
    serviceMonitor?: {
      /**
       * Emit the ServiceMonitor, and the http port on the store-API Service.
       */
      enabled?: boolean;
      /**
       * Scrape interval.
       */
      interval?: string;
      /**
       * Extra labels, e.g. the ones your Prometheus's serviceMonitorSelector matches.
       */
      labels?: {
        [k: string]: LabelValue;
      };
    };
    /**
     * The sidecars (and the Store Gateway) serve the store API over TLS, with the certificate of a Secret (spec.thanos.grpcServerTlsConfig: ca.crt, tls.crt, tls.key, as cert-manager writes them; clients are verified against ca.crt). For a Query in another cluster; this Query then needs query.grpcClientTls.
     */
    grpcServerTls?: {
      /**
       * The Secret with ca.crt, tls.crt and tls.key, in the Prometheus's namespace.
       */
      secretName?: string;
    };
  };
  /**
   * How Thanos Query finds the sidecars: a pod label and a headless Service selecting it.
   */
  storeApi?: {
    /**
     * Pod label added to spec.podMetadata.labels, selected by the store-API Service.
     */
    label?: {
      key?: string;
      value?: string;
    };
    service?: {
      /**
       * Name of the headless store-API Service.
       */
      name?: string;
    };
  };
  /**
   * The Thanos Query Deployment that deduplicates the replicas.
   */
  query?: {
    /**
     * Emit Thanos Query (and its Services).
     */
    enabled?: boolean;
    /**
     * Name of the Query Deployment.
     */
    name?: string;
    /**
     * Query image repository, without tag (the tag is `version`), optionally pinned by digest (`...@sha256:...` becomes `...:<version>@sha256:...`).
     */
    image?: string;
    /**
     * Thanos version of Query (the image tag, as the image is tagged: v0.42.4, 0.39.2-debian-12-r0).
     */
    version?: string;
    /**
     * Query replicas.
     */
    replicas?: number;
    /**
     * Labels Query deduplicates by (--query.replica-label). Empty or omitted: the Prometheus's spec.replicaExternalLabelName, else prometheus_replica (the operator's default).
     *
     * @maxItems 16
     */
    replicaLabels?:
      | []
      | [PromLabelName]
      | [PromLabelName, PromLabelName]
      | [PromLabelName, PromLabelName, PromLabelName]
      | [PromLabelName, PromLabelName, PromLabelName, PromLabelName]
      | [PromLabelName, PromLabelName, PromLabelName, PromLabelName, PromLabelName]
      | [PromLabelName, PromLabelName, PromLabelName, PromLabelName, PromLabelName, PromLabelName]
      | [PromLabelName, PromLabelName, PromLabelName, PromLabelName, PromLabelName, PromLabelName, PromLabelName]
      | [
          PromLabelName,
          PromLabelName,
          PromLabelName,
          PromLabelName,
          PromLabelName,
          PromLabelName,
          PromLabelName,
          PromLabelName
        ]
      | [
          PromLabelName,
          PromLabelName,
          PromLabelName,
          PromLabelName,
          PromLabelName,
          PromLabelName,
          PromLabelName,
          PromLabelName,
          PromLabelName
        ]
      | [
          PromLabelName,
          PromLabelName,
          PromLabelName,
          PromLabelName,
          PromLabelName,
          PromLabelName,
          PromLabelName,
          PromLabelName,
          PromLabelName,
          PromLabelName
        ]
      | [
          PromLabelName,
          PromLabelName,
          PromLabelName,
          PromLabelName,
          PromLabelName,
          PromLabelName,
          PromLabelName,
          PromLabelName,
          PromLabelName,
          PromLabelName,
          PromLabelName
        ]
      | [
          PromLabelName,
          PromLabelName,
          PromLabelName,
          PromLabelName,
          PromLabelName,
          PromLabelName,
          PromLabelName,
          PromLabelName,
          PromLabelName,
          PromLabelName,
          PromLabelName,
          PromLabelName
        ]
      | [
          PromLabelName,
          PromLabelName,
          PromLabelName,
          PromLabelName,
          PromLabelName,
          PromLabelName,
          PromLabelName,
          PromLabelName,
          PromLabelName,
          PromLabelName,
          PromLabelName,
          PromLabelName,
          PromLabelName
        ]
      | [
          PromLabelName,
          PromLabelName,
          PromLabelName,
          PromLabelName,
          PromLabelName,
          PromLabelName,
          PromLabelName,
          PromLabelName,
          PromLabelName,
          PromLabelName,
          PromLabelName,
          PromLabelName,
          PromLabelName,
          PromLabelName
        ]
      | [
          PromLabelName,
          PromLabelName,
          PromLabelName,
          PromLabelName,
          PromLabelName,
          PromLabelName,
          PromLabelName,
          PromLabelName,
          PromLabelName,
          PromLabelName,
          PromLabelName,
          PromLabelName,
          PromLabelName,
          PromLabelName,
          PromLabelName
        ]
      | [
          PromLabelName,
          PromLabelName,
          PromLabelName,
          PromLabelName,
          PromLabelName,
          PromLabelName,
          PromLabelName,
          PromLabelName,
          PromLabelName,
          PromLabelName,
          PromLabelName,
          PromLabelName,
          PromLabelName,
          PromLabelName,
          PromLabelName,
          PromLabelName
        ];
    /**
     * TLS for Query's gRPC connections to the store APIs (the sidecars and query.endpoints): needed when the sidecar serves gRPC over TLS (spec.thanos.grpcServerTlsConfig). The Secret is mounted read-only at /etc/thanos/grpc-client-tls and passed with --grpc-client-tls-secure, --grpc-client-tls-cert, --grpc-client-tls-key, --grpc-client-tls-ca (and --grpc-client-server-name).
     */
    grpcClientTls?: {
      /**
       * Secret with ca.crt (the CA that signed the sidecars' certificates), tls.crt and tls.key (Query's client certificate): the keys cert-manager writes.
       */
      secretName: string;
      /**
       * The name the sidecars' certificates are checked against (--grpc-client-server-name). Unset: the address Query dials.
       */
      serverName?: string;
    };
    /**
     * --log.level of Query.
     */
    logLevel?: 'debug' | 'info' | 'warn' | 'error';
    /**
     * Query resources.
     */
    resources?: {
      limits?: {
        /**
         * A Kubernetes quantity, such as 500m or 2Gi (an exponent of at most two digits: Helm writes a number beyond float64 unquoted, and YAML 1.2 readers take it for a number).
         */
        [k: string]: string | number;
      };
      requests?: {
        /**
         * A Kubernetes quantity, such as 500m or 2Gi (an exponent of at most two digits: Helm writes a number beyond float64 unquoted, and YAML 1.2 readers take it for a number).
         */
        [k: string]: string | number;
      };
    };
    /**
     * Extra flags for Query, such as --query.timeout=2m.
     *
     * @maxItems 64
     */
    extraArgs?: string[];
    pod?: PodSettings;
    /**
     * podAntiAffinity that keeps the Query replicas apart (by their selector labels).
     */
    antiAffinity?: {
      /**
       * soft: preferred; hard: required; none: no podAntiAffinity.
       */
      mode?: 'soft' | 'hard' | 'none';
      /**
       * Node label that defines the failure domain.
       */
      topologyKey?: string;
    };
    /**
     * PodDisruptionBudget for Query. Emitted only when query.replicas > 1 (with one replica it would block node drains).
     */
    podDisruptionBudget?: {
      /**
       * Emit the PodDisruptionBudget (when query.replicas > 1).
       */
      enabled?: boolean;
      /**
       * Query pods that may be down at once during voluntary disruptions.
       */
      maxUnavailable?: number;
    };
    /**
     * Service in front of Query for the UI and the Prometheus-compatible HTTP API (port 10902) and the store API (grpc 10901, for a Query above this one).
     */
    service?: {
      /**
       * Emit the Query Service.
       */
      enabled?: boolean;
      /**
       * Name of the Query Service.
       */
      name?: string;
    };
    /**
     * ServiceMonitor (monitoring.coreos.com/v1) scraping Query's /metrics through the Query Service.
     */
    serviceMonitor?: {
      /**
       * Emit the ServiceMonitor (needs query.service.enabled).
       */
      enabled?: boolean;
      /**
       * Scrape interval.
       */
      interval?: string;
      /**
       * Extra labels, e.g. the ones your Prometheus's serviceMonitorSelector matches.
       */
      labels?: {
        [k: string]: LabelValue;
      };
    };
    /**
     * Extra store-API endpoints for Query (--endpoint), e.g. another cluster's sidecars or Query: dnssrv+_grpc._tcp.svc.ns.svc.cluster.local or host:10901.
     *
     * @maxItems 64
     */
    endpoints?: string[];
  };
  /**
   * The Thanos Compactor: compacts and downsamples the blocks the sidecars upload, applies retention, and deduplicates the replicas' blocks offline (by the replica label, penalty algorithm). Needs thanos.objectStorageConfig. Exactly one per bucket: two compactors on one bucket corrupt it.
   */
  compactor?: {
    /**
     * Emit the Compactor StatefulSet (one replica) and its Service. Needs thanos.objectStorageConfig.
     */
    enabled?: boolean;
    /**
     * Name of the Compactor StatefulSet and Service.
     */
    name?: string;
    /**
     * Compactor image repository, without tag (the tag is `version`), optionally pinned by digest (`...@sha256:...` becomes `...:<version>@sha256:...`).
     */
    image?: string;
    /**
     * Thanos version of the Compactor (the image tag, as the image is tagged: v0.42.4, 0.39.2-debian-12-r0); its flags are those of this release.
     */
    version?: string;
    /**
     * How long to keep samples in the bucket, per resolution (--retention.resolution-*). Unset: forever.
     */
    retention?: {
      /**
       * Raw samples (--retention.resolution-raw), e.g. 30d.
       */
      raw?: string;
      /**
       * 5-minute downsampled samples (--retention.resolution-5m), e.g. 180d.
       */
      fiveMinutes?: string;
      /**
       * 1-hour downsampled samples (--retention.resolution-1h), e.g. 1y.
       */
      oneHour?: string;
    };
    /**
     * Downsample to 5m and 1h resolutions. false: --downsampling.disable.
     */
    downsampling?: boolean;
    /**
     * The PersistentVolumeClaim of each pod (volumeClaimTemplates): the Compactor's scratch space for the blocks it compacts.
     */
    storage?: {
      /**
       * Requested storage, such as 10Gi.
       */
      size?: string;
      /**
       * StorageClass of the claim. Omitted: the cluster's default class.
       */
      storageClassName?: string;
    };
    resources?: Resources;
    serviceMonitor?: ServiceMonitor;
    pod?: PodSettings;
  };
  /**
   * The Thanos Store Gateway: serves the blocks in object storage (older than the sidecars keep) to Query over the store API. Needs thanos.objectStorageConfig; Query is pointed at it (--endpoint).
   */
  storeGateway?: {
    /**
     * Emit the Store Gateway StatefulSet, its headless Service and PodDisruptionBudget, and point Query at it. Needs thanos.objectStorageConfig.
     */
    enabled?: boolean;
    /**
     * Name of the Store Gateway StatefulSet, Service and PodDisruptionBudget.
     */
    name?: string;
    /**
     * Store Gateway image repository, without tag (the tag is `version`), optionally pinned by digest (`...@sha256:...` becomes `...:<version>@sha256:...`).
     */
    image?: string;
    /**
     * Thanos version of the Store Gateway (the image tag, as the image is tagged: v0.42.4, 0.39.2-debian-12-r0); its flags are those of this release.
     */
    version?: string;
    /**
     * Store Gateway replicas; each serves every block, so Query keeps reading the bucket while one is down.
     */
    replicas?: number;
    resources?: Resources;
    /**
     * The PersistentVolumeClaim of each pod (volumeClaimTemplates): the index headers and caches of the blocks it serves.
     */
    storage?: {
      /**
       * Requested storage, such as 10Gi.
       */
      size?: string;
      /**
       * StorageClass of the claim. Omitted: the cluster's default class.
       */
      storageClassName?: string;
    };
    antiAffinity?: ComponentAntiAffinity;
    podDisruptionBudget?: PodDisruptionBudget;
    serviceMonitor?: ServiceMonitor;
    pod?: PodSettings;
  };
  /**
   * The Thanos Query Frontend: in front of Query (through the Query Service), it splits long range queries by splitInterval, retries them and caches the responses. Needs query.enabled and query.service.enabled.
   */
  queryFrontend?: {
    /**
     * Emit the Query Frontend Deployment, its Service and PodDisruptionBudget.
     */
    enabled?: boolean;
    /**
     * Name of the Query Frontend Deployment, Service and PodDisruptionBudget.
     */
    name?: string;
    /**
     * Query Frontend image repository, without tag (the tag is `version`), optionally pinned by digest (`...@sha256:...` becomes `...:<version>@sha256:...`).
     */
    image?: string;
    /**
     * Thanos version of the Query Frontend (the image tag, as the image is tagged: v0.42.4, 0.39.2-debian-12-r0); its flags are those of this release.
     */
    version?: string;
    /**
     * Query Frontend replicas.
     */
    replicas?: number;
    /**
     * Range queries are split into queries of this length, run in parallel and cached (--query-range.split-interval).
     */
    splitInterval?: string;
    /**
     * The response cache (--query-range.response-cache-config): in memory of each replica, or memcached when memcachedAddresses is given.
     */
    cache?: {
      /**
       * Size of the in-memory cache of each replica (max_size), such as 256MB.
       */
      maxSize?: string;
      /**
       * memcached servers (host:port, or dnssrv+_memcache._tcp.NAME.NAMESPACE.svc.cluster.local) shared by the replicas instead of the in-memory cache.
       *
       * @maxItems 32
       */
      memcachedAddresses?: string[];
    };
    resources?: Resources;
    antiAffinity?: ComponentAntiAffinity;
    podDisruptionBudget?: PodDisruptionBudget;
    serviceMonitor?: ServiceMonitor;
    pod?: PodSettings;
  };
  /**
   * topologySpreadConstraints for the Prometheus pods, e.g. across zones (in addition to antiAffinity).
   */
  topologySpread?: {
    /**
     * Set spec.topologySpreadConstraints.
     */
    enabled?: boolean;
    /**
     * Node label to spread over.
     */
    topologyKey?: string;
    /**
     * Largest allowed difference of replica counts between domains.
     */
    maxSkew?: number;
    /**
     * DoNotSchedule leaves a replica Pending rather than skew further.
     */
    whenUnsatisfiable?: 'ScheduleAnyway' | 'DoNotSchedule';
  };
  /**
   * NetworkPolicies: Query may reach the sidecars' grpc port; Query's http port is open to queryHttpFrom. The policy on the Prometheus pods also keeps their web (9090), config-reloader (8080) and sidecar http (10902) ports open, so it isolates only the store API. For each component switched on, a policy of its own: the Store Gateway's grpc port is open to Query's pods, the Query Frontend's http port to queryHttpFrom (Query's http port then also to the Query Frontend), and every component's http port (metrics, probes) to all.
   */
  networkPolicy?: {
    /**
     * Emit the NetworkPolicies.
     */
    enabled?: boolean;
    /**
     * NetworkPolicy peers allowed to reach Query's http port (10902). Default: pods of the same namespace.
     */
    queryHttpFrom?: {
      podSelector?: LabelSelector;
      namespaceSelector?: LabelSelector;
    }[];
  };
  /**
   * Cluster DNS domain used in the store-API SRV name.
   */
  clusterDomain?: string;
};
export type LabelValue = string;
export type LabelKey = string;
export type PromLabelName = string;
export type DnsSubdomain = string;
export type DnsLabel = string;

/**
 * A Kubernetes LabelSelector.
 */
export interface LabelSelector {
  matchLabels?: {
    [k: string]: LabelValue;
  };
  matchExpressions?: {
    key: LabelKey;
    operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';
    values?: LabelValue[];
  }[];
}
/**
 * Pod settings of a component prometheus-ha adds, with the names kube-prometheus-stack and the bitnami charts use. Unset or empty: left out of the pod.
 */
export interface PodSettings {
  /**
   * spec.nodeSelector of the pods: node labels the pods must run on.
   */
  nodeSelector?: {
    [k: string]: LabelValue;
  };
  /**
   * spec.tolerations of the pods (Kubernetes Toleration objects).
   *
   * @maxItems 32
   */
  tolerations?: {
    key?: LabelKey;
    operator?: 'Exists' | 'Equal';
    value?: LabelValue;
    effect?: 'NoSchedule' | 'PreferNoSchedule' | 'NoExecute';
    tolerationSeconds?: number;
  }[];
  /**
   * spec.priorityClassName of the pods.
   */
  priorityClassName?: string;
  /**
   * spec.imagePullSecrets of the pods: Secrets to pull the image with, as [{name: SECRET}] (kube-prometheus-stack global.imagePullSecrets).
   *
   * @maxItems 32
   */
  imagePullSecrets?: {
    name: DnsSubdomain;
  }[];
  /**
   * Extra labels of the pods. The labels prometheus-ha sets itself (app.kubernetes.io/name, app.kubernetes.io/instance, app.kubernetes.io/component, app.kubernetes.io/part-of, app.kubernetes.io/managed-by; the first two select the pods) cannot be set here: a config that names one is refused.
   */
  podLabels?: {
    [k: string]: LabelValue;
  };
  /**
   * Annotations of the pods.
   */
  podAnnotations?: {
    [k: string]: string;
  };
  /**
   * Extra environment variables of the container (Kubernetes EnvVar objects).
   *
   * @maxItems 64
   */
  extraEnv?: {
    name: string;
    value?: string;
    /**
     * A Kubernetes EnvVarSource (secretKeyRef, configMapKeyRef, fieldRef, resourceFieldRef).
     */
    valueFrom?: {};
  }[];
  /**
   * Extra volumes of the pods, mounted with extraVolumeMounts.
   *
   * @maxItems 32
   *
   * Items: A Kubernetes Volume: name and one volume source (secret, configMap, emptyDir, ...).
   */
  extraVolumes?: {
    name: DnsLabel;
  }[];
  /**
   * Extra volume mounts of the container.
   *
   * @maxItems 32
   */
  extraVolumeMounts?: {
    name: DnsLabel;
    mountPath: string;
    subPath?: string;
    readOnly?: boolean;
  }[];
}
/**
 * Container resources (requests and limits).
 */
export interface Resources {
  limits?: {
    /**
     * A Kubernetes quantity, such as 500m or 2Gi.
     */
    [k: string]: string | number;
  };
  requests?: {
    /**
     * A Kubernetes quantity, such as 500m or 2Gi.
     */
    [k: string]: string | number;
  };
}
export interface ServiceMonitor {
  /**
   * Emit the ServiceMonitor.
   */
  enabled?: boolean;
  /**
   * Scrape interval.
   */
  interval?: string;
  /**
   * Extra labels, e.g. the ones your Prometheus's serviceMonitorSelector matches.
   */
  labels?: {
    [k: string]: LabelValue;
  };
}
export interface ComponentAntiAffinity {
  /**
   * soft: preferred; hard: required; none: no podAntiAffinity.
   */
  mode?: 'soft' | 'hard' | 'none';
  /**
   * Node label that defines the failure domain.
   */
  topologyKey?: string;
}
export interface PodDisruptionBudget {
  /**
   * Emit the PodDisruptionBudget (when there is more than one replica).
   */
  enabled?: boolean;
  /**
   * Pods that may be down at once during voluntary disruptions.
   */
  maxUnavailable?: number;
}
