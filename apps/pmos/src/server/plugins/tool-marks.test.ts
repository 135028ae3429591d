import { defineConnector } from '@pmos/sdk/server';
import { describe, expect, it } from 'vitest';
import { requireRemoteTools, toolsWithMarks } from './tool-marks.js';

const markedAt = new Date('2026-11-26T10:00:00Z');

describe('toolsWithMarks', () => {
  it("puts the server's tools first, in its order, then the marks of tools it no longer lists", () => {
    const tools = toolsWithMarks(
      [
        { name: 'get_weather', title: 'Weather', description: 'Now', risk: 'read' },
        { name: 'add_note', risk: 'write' },
      ],
      [
        { tool: 'add_note', mark: 'gated', markedAt, markedBy: 'ada@example.com' },
        { tool: 'gone', mark: 'safe', markedAt, markedBy: null },
      ],
    );
    expect(tools).toEqual([
      {
        name: 'get_weather',
        title: 'Weather',
        description: 'Now',
        serverRisk: 'read',
        listed: true,
        mark: null,
        markedAt: null,
        markedBy: null,
        policy: 'runs',
      },
      {
        name: 'add_note',
        title: null,
        description: null,
        serverRisk: 'write',
        listed: true,
        mark: 'gated',
        markedAt: '2026-11-26T10:00:00.000Z',
        markedBy: 'ada@example.com',
        policy: 'asks',
      },
      {
        name: 'gone',
        title: null,
        description: null,
        serverRisk: null,
        listed: false,
        mark: 'safe',
        markedAt: '2026-11-26T10:00:00.000Z',
        markedBy: null,
        policy: 'runs',
      },
    ]);
  });
});

describe('requireRemoteTools', () => {
  it('refuses a connector without tools of its own to mark', () => {
    const plain = defineConnector({
      id: 'plain',
      displayName: 'Plain',
      auth: { kind: 'none' },
      actions: [],
    });
    expect(() => requireRemoteTools(plain)).toThrowError(
      expect.objectContaining({ code: 'remote_tools_unsupported', status: 409 }),
    );
    const servers = { ...plain, listRemoteTools: async () => [] };
    expect(requireRemoteTools(servers)).toBe(servers);
  });
});
