/**
 * @pmos/flow — the pure flow model (schema, operations reducer, validation, templating)
 * shared by the server, the web app, chat and the Activepieces plugin. It lands with the
 * flow engine; the format version below is what stored flow documents will carry.
 */
export const flowFormatVersion = 1;
