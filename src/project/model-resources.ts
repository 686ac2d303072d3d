// The project-level resources of the model: networks, volumes, secrets and configs, each with
// its real name resolved (see normalize/top-level.ts). Re-exported by model.ts.

/** `x-` fields, kept as written. */
export type Extensions = Readonly<Record<string, unknown>>;
/** A map of names to strings (labels, environment, options). */
export type StringMap = Readonly<Record<string, string>>;

/** A top-level network of the project. */
export interface NetworkConfig {
  readonly name: string;
  readonly driver?: string;
  readonly driver_opts?: StringMap;
  readonly ipam?: IpamConfig;
  readonly external?: boolean;
  readonly internal?: boolean;
  readonly attachable?: boolean;
  readonly enable_ipv4?: boolean;
  readonly enable_ipv6?: boolean;
  readonly labels?: StringMap;
  readonly extensions?: Extensions;
}

/** A network's IP address management. */
export interface IpamConfig {
  readonly driver?: string;
  readonly config?: readonly IpamPool[];
  readonly options?: StringMap;
}

/** One subnet of a network, with its range and gateway. */
export interface IpamPool {
  readonly subnet?: string;
  readonly ip_range?: string;
  readonly gateway?: string;
  readonly aux_addresses?: StringMap;
}

/** A top-level named volume of the project. */
export interface VolumeConfig {
  readonly name: string;
  readonly driver?: string;
  readonly driver_opts?: StringMap;
  readonly external?: boolean;
  readonly labels?: StringMap;
  readonly extensions?: Extensions;
}

/** A top-level secret or config: one of file, environment, content, or external. */
export interface FileObjectConfig {
  readonly name: string;
  readonly file?: string; // absolute
  readonly environment?: string;
  readonly content?: string;
  readonly external?: boolean;
  readonly labels?: StringMap;
  readonly extensions?: Extensions;
}
