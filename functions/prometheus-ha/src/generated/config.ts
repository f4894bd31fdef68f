// DO NOT EDIT: generated from schema/prometheus-ha.schema.json by `npm run generate` (scripts/generate.ts).
export type LabelValue = string;
export type LabelKey = string;
export type PromLabelName = string;

/**
 * Configuration of prometheus-ha: makes one Prometheus Operator `Prometheus` highly available with Thanos. The same object is the KRM function config (with apiVersion/kind/metadata) and the Helm chart's values (without them).
 */
export interface PrometheusHA {
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
   * Prometheus replicas (spec.replicas). Each replica scrapes every target; Thanos Query deduplicates them by the replica label.
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
     * Sidecar image repository, without tag: the tag is `version`.
     */
    image?: string;
    /**
     * Thanos version of the sidecar. Set with the image tag: the operator picks sidecar flags by version, not by image.
     */
    version?: string;
    /**
     * Sidecar resources.
     */
    resources?: {
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
     * Query image repository, without tag.
     */
    image?: string;
    /**
     * Thanos version of Query (the image tag).
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
     * --log.level of Query.
     */
    logLevel?: 'debug' | 'info' | 'warn' | 'error';
    /**
     * Query resources.
     */
    resources?: {
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
    };
    /**
     * Extra flags for Query, such as --query.timeout=2m.
     *
     * @maxItems 64
     */
    extraArgs?: string[];
  };
  /**
   * Cluster DNS domain used in the store-API SRV name.
   */
  clusterDomain?: string;
}
/**
 * Pods to keep apart. Default: the labels the operator puts on every pod of this Prometheus (app.kubernetes.io/name: prometheus, app.kubernetes.io/instance: <name>).
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
