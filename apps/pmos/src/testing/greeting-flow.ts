/**
 * The edit operations of a small flow of the bundled Core plugin — run by hand, then one data
 * mapper step "Say hello" — for browser tests that build it through the API or have a fake
 * model build it through chat. `coreVersion` is the Core plugin's version (from the catalog).
 */
export function greetingFlowOperations(coreVersion: string | undefined) {
  const pinned = { pluginId: 'core', connectorId: 'core', pluginVersion: coreVersion };
  return [
    {
      type: 'UPDATE_TRIGGER',
      request: {
        name: 'trigger',
        displayName: 'Run by hand',
        type: 'PLUGIN_TRIGGER',
        settings: { ...pinned, triggerId: 'manual', input: {} },
      },
    },
    {
      type: 'ADD_ACTION',
      request: {
        parentStep: 'trigger',
        stepLocationRelativeToParent: 'AFTER',
        action: {
          name: 'step_1',
          displayName: 'Say hello',
          type: 'PLUGIN',
          settings: {
            ...pinned,
            actionId: 'data_mapper',
            input: { mapping: { greeting: 'Hello' } },
          },
        },
      },
    },
  ];
}
