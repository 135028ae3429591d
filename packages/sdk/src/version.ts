/** The SDK's own version: plugin manifests name a semver range of it in `pmos.sdk`. */
export const sdkVersion = '0.1.0';
