/**
 * What `validateFlow` needs to know of the installed plugins: a plain description, shaped
 * like the props descriptions of the server's catalog (`{kind, displayName, required, …}`),
 * keyed by id.
 */
export interface FlowCatalog {
  plugins: Record<string, CatalogPlugin>;
}

export interface CatalogPlugin {
  /** Enabled in the workspace the flow belongs to. */
  enabled: boolean;
  displayName?: string;
  connectors: Record<string, CatalogConnector>;
}

export interface CatalogConnector {
  displayName?: string;
  /** The connector's auth kind; anything but `none` needs a connection in `input.auth`. */
  auth?: { kind: string };
  actions: Record<string, CatalogStepDescription>;
  triggers: Record<string, CatalogStepDescription>;
}

export interface CatalogStepDescription {
  displayName?: string;
  props: Record<string, CatalogProp>;
}

export interface CatalogProp {
  required: boolean;
  kind?: string;
  displayName?: string;
  [key: string]: unknown;
}

/** Reads a catalog record by id; ids such as `constructor` must not reach `Object.prototype`. */
export function entry<T>(record: Readonly<Record<string, T>>, id: string): T | undefined {
  return Object.hasOwn(record, id) ? record[id] : undefined;
}
