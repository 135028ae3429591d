/** A plugin definition that does not hold: names the field and what is expected. */
export class SdkDefinitionError extends Error {
  readonly code = 'invalid_plugin_definition';
  constructor(
    readonly where: string,
    readonly problems: string[],
  ) {
    super(`${where} is not a valid definition: ${problems.join('; ')}`);
    this.name = 'SdkDefinitionError';
  }
}

/** Step inputs that do not fit the props: each problem names the prop. */
export class InvalidPropsError extends Error {
  readonly code = 'invalid_props';
  constructor(readonly problems: { prop: string; message: string }[]) {
    super(`Some inputs are not valid: ${problems.map((p) => `${p.prop} ${p.message}`).join('; ')}`);
    this.name = 'InvalidPropsError';
  }
}

/** `ctx.http` was asked to reach a host the plugin did not declare in its manifest. */
export class HostNotAllowedError extends Error {
  readonly code = 'host_not_allowed';
  constructor(
    readonly host: string,
    readonly allowed: readonly string[],
  ) {
    super(
      `This plugin may not reach ${host}: add it to "pmos.permissions.hosts" in package.json` +
        (allowed.length ? ` (allowed: ${allowed.join(', ')})` : ' (it declares none)'),
    );
    this.name = 'HostNotAllowedError';
  }
}

/**
 * A plugin allowed any host (`"*"`) asked `ctx.http` for one that is not public: a loopback,
 * private, link-local (cloud metadata), CGNAT, multicast or reserved address, or a name
 * resolving to one. An operator can allow such hosts by name.
 */
export class PrivateHostError extends Error {
  readonly code = 'private_host';
  constructor(
    /** The host as the URL names it (name[:port]). */
    readonly host: string,
    /** The address that is not public: the host itself, or one it resolves to. */
    readonly address: string,
    /** What kind of address it is, e.g. "loopback", "private network", "link-local". */
    readonly range: string,
  ) {
    const literal = hostnameOf(host) === address;
    super(
      `${literal ? `${host} is` : `${host} resolves to ${address},`} not a public address ` +
        `(${range}): a plugin allowed any host may reach public addresses only; the PMOS ` +
        'operator can allow this host in PMOS_HTTP_PRIVATE_HOSTS',
    );
    this.name = 'PrivateHostError';
  }
}

/** "[::1]:8080" → "::1", "10.0.0.5:80" → "10.0.0.5", "api.example" → "api.example". */
function hostnameOf(host: string): string {
  if (host.startsWith('[')) return host.slice(1, host.indexOf(']'));
  return host.replace(/:\d+$/, '');
}

/** Options were asked of a prop that has none (or does not exist). */
export class NoOptionsError extends Error {
  readonly code = 'no_options';
  constructor(
    readonly prop: string,
    reason: string,
  ) {
    super(`Prop "${prop}" ${reason}`);
    this.name = 'NoOptionsError';
  }
}
