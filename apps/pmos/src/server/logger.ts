import { scrub, scrubText } from '@pmos/core';
import pino, { type Logger } from 'pino';
import type { Config } from './config.js';

/**
 * JSON lines. Credentials never reach the log: known secret paths are censored, error
 * objects are scrubbed, and every message string passes the same scrubber as audit data.
 */
export const redactedPaths = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-api-key"]',
  'res.headers["set-cookie"]',
  '*.password',
  '*.token',
  '*.apiKey',
  '*.secret',
  '*.masterKey',
];

export function loggerOptions(level: Config['logLevel']): pino.LoggerOptions {
  return {
    level,
    base: { service: 'pmos' },
    redact: { paths: redactedPaths, censor: '[redacted]' },
    serializers: { err: (error: Error) => scrub(pino.stdSerializers.err(error)) },
    hooks: {
      logMethod(args, method) {
        const cleaned = args.map((arg) => (typeof arg === 'string' ? scrubText(arg) : arg));
        return method.apply(this, cleaned as Parameters<typeof method>);
      },
    },
  };
}

export function createLogger(
  level: Config['logLevel'],
  destination?: pino.DestinationStream,
): Logger {
  return destination ? pino(loggerOptions(level), destination) : pino(loggerOptions(level));
}
