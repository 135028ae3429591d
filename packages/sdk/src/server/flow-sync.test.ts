import { describe, expect, it } from 'vitest';
import { auth } from './auth.js';
import { defineConnector } from './define.js';
import { SdkDefinitionError } from './errors.js';
import { defineFlowSync, FlowSyncError, isFlowSyncError } from './flow-sync.js';
import { definePlugin } from './plugin.js';

const sync = {
  id: 'remote',
  displayName: 'Remote flows',
  connector: 'remote-instance',
  listRemoteFlows: async () => ({ data: [], next: null }),
  getRemoteFlow: async () => {
    throw new FlowSyncError('remote_not_found', 'gone');
  },
  createRemoteFlow: async () => {
    throw new FlowSyncError('remote_refused', 'no');
  },
  pushFlow: async () => {
    throw new FlowSyncError('not_mappable', 'no');
  },
};

describe('defineFlowSync', () => {
  it('accepts a complete definition and refuses a missing function by name', () => {
    expect(defineFlowSync(sync)).toBe(sync);
    expect(() => defineFlowSync({ ...sync, pushFlow: undefined as never })).toThrow(
      /pushFlow must be a function/,
    );
  });

  it('must name a connector the plugin contributes', () => {
    const connector = defineConnector({
      id: 'remote-instance',
      displayName: 'Remote',
      auth: auth.secretText({ displayName: 'Key' }),
      actions: [],
    });
    const base = { id: 'pp', version: '1.0.0', sdk: '^0.1.0', displayName: 'P' };
    expect(() =>
      definePlugin({ ...base, contributes: { connectors: [connector], flowSyncs: [sync] } }),
    ).not.toThrow();
    expect(() =>
      definePlugin({
        ...base,
        contributes: { connectors: [connector], flowSyncs: [{ ...sync, connector: 'other' }] },
      }),
    ).toThrow(SdkDefinitionError);
  });

  it('brands its errors so a second SDK copy recognises them', () => {
    const error = new FlowSyncError('remote_busy', 'busy');
    expect(isFlowSyncError(error)).toBe(true);
    expect(isFlowSyncError(new Error('x'))).toBe(false);
  });
});
