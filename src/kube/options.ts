// What `kube generate` is asked for, and the collector of fields it cannot carry over. Every
// resource builder reports through `Notes`, so nothing is ever dropped without a line on stderr.

export type ServiceType = 'ClusterIP' | 'NodePort' | 'LoadBalancer';

export interface GenerateOptions {
  readonly services?: readonly string[]; // empty or absent: every service
  readonly namespace?: string;
  readonly serviceType?: ServiceType;
  readonly ingressHost?: string;
  readonly storageClass?: string;
  readonly imageRegistry?: string;
  readonly allowHostpath?: boolean;
  readonly secretsAsRefs?: boolean;
  /** Image of the init containers that wait for a healthy dependency. */
  readonly waitImage?: string;
}

export const DEFAULT_WAIT_IMAGE = 'busybox:1.36';

/** `services.X.field: not carried: why` lines, in the order found; deduplicated. */
export class Notes {
  readonly lines: string[] = [];
  notCarried(path: string, why: string): void {
    const line = `${path}: not carried: ${why}`;
    if (!this.lines.includes(line)) this.lines.push(line);
  }
}
