import { describe, expect, it } from 'vitest';
import { createLogger } from './logger.js';

const token = 'pmos_pat_ZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZ';

function capture() {
  const lines: string[] = [];
  const logger = createLogger('info', { write: (line: string) => lines.push(line) });
  return { logger, text: () => lines.join('\n') };
}

describe('logger', () => {
  it('censors known secret paths', () => {
    const { logger, text } = capture();
    logger.info(
      {
        req: { headers: { authorization: `Bearer ${token}`, cookie: 'pmos_session=x' } },
        body: { password: 'hunter2hunter2' },
      },
      'request',
    );
    expect(text()).not.toContain(token);
    expect(text()).not.toContain('hunter2hunter2');
    expect(text()).toContain('[redacted]');
  });

  it('scrubs errors and messages that carry a token', () => {
    const { logger, text } = capture();
    logger.error({ err: new Error(`upstream refused ${token}`) }, `calling with ${token}`);
    expect(text()).not.toContain(token);
    expect(JSON.parse(text()).err.message).toBe('upstream refused [redacted]');
  });
});
