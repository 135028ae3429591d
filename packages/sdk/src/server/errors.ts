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
