/** The format of flow documents this package reads and writes (`schemaVersion`). */
export const flowFormatVersion = 1;
