import type { KeyValueStore, PluginLogger } from '../server/define.js';

export interface MemoryStore extends KeyValueStore {
  /** Everything stored, keyed by `scope:key`, for assertions. */
  dump(): Record<string, unknown>;
}

/** An in-memory `ctx.store`; values are copied through JSON like the real one stores them. */
export function createMemoryStore(initial: Record<string, unknown> = {}): MemoryStore {
  const data = new Map<string, string>(
    Object.entries(initial).map(([k, v]) => [k.includes(':') ? k : `flow:${k}`, JSON.stringify(v)]),
  );
  const id = (key: string, scope: 'workspace' | 'flow' = 'flow') => `${scope}:${key}`;
  return {
    async get<T>(key: string, scope?: 'workspace' | 'flow') {
      const raw = data.get(id(key, scope));
      return raw === undefined ? undefined : (JSON.parse(raw) as T);
    },
    async put(key, value, scope) {
      data.set(id(key, scope), JSON.stringify(value));
    },
    async delete(key, scope) {
      data.delete(id(key, scope));
    },
    dump: () => Object.fromEntries([...data].map(([k, v]) => [k, JSON.parse(v)])),
  };
}

export interface LogEntry {
  level: 'debug' | 'info' | 'warn' | 'error';
  message: string;
  data?: Record<string, unknown>;
}

export interface TestLogger extends PluginLogger {
  entries: LogEntry[];
}

/** A logger that keeps what the plugin logged, for assertions. */
export function createTestLogger(): TestLogger {
  const entries: LogEntry[] = [];
  const at = (level: LogEntry['level']) => (message: string, data?: Record<string, unknown>) =>
    void entries.push(data === undefined ? { level, message } : { level, message, data });
  return { entries, debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}
