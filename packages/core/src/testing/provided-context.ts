// Values the global set-up hands to test workers through vitest's provide/inject.
declare module 'vitest' {
  export interface ProvidedContext {
    /** Name of this run's migrated template database. */
    pmosTemplateDb: string;
  }
}

export {};
