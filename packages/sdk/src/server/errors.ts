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
