import type { FlowStep } from '@pmos/flow';
import type { Catalog, OptionsResult } from '../../api-types.js';
import type { PropsDescription } from '../catalog.js';
import type { OptionsSource } from '../options-source.js';

// Sample data for the Studio's stories: a small catalog, steps and prop descriptions.

export const sampleCatalog: Catalog = {
  connectors: [
    {
      pluginId: 'core',
      pluginDisplayName: 'Core',
      pluginVersion: '0.1.0',
      id: 'core',
      displayName: 'Core',
      description: 'HTTP requests, data mapping, delays and webhook answers.',
      auth: { kind: 'none' },
      hasHealthCheck: false,
      hasRemoteTools: false,
      actions: [
        {
          id: 'data_mapper',
          displayName: 'Map data',
          description: 'Builds one object from earlier steps.',
          risk: 'read',
          props: {},
        },
        {
          id: 'delay',
          displayName: 'Delay',
          description: 'Waits before the next step.',
          risk: 'read',
          props: {},
        },
      ],
      triggers: [
        {
          id: 'webhook',
          displayName: 'Webhook',
          description: "Starts the flow for each request to the flow's webhook URL.",
          strategy: 'webhook',
          testable: false,
          props: {},
        },
      ],
    },
    {
      pluginId: 'acme-tasks',
      pluginDisplayName: 'Acme Tasks',
      pluginVersion: '1.0.0',
      id: 'acme',
      displayName: 'Acme Tasks',
      description: null,
      auth: { kind: 'secret_text', displayName: 'API key' },
      hasHealthCheck: true,
      hasRemoteTools: false,
      actions: [
        {
          id: 'create_task',
          displayName: 'Create a task',
          description: 'Adds a task to a project.',
          risk: 'write',
          props: {},
        },
      ],
      triggers: [],
    },
  ],
  aiProviders: [],
};

export const pluginStep: FlowStep = {
  name: 'step_1',
  displayName: 'Create the onboarding task',
  valid: true,
  type: 'PLUGIN',
  settings: {
    pluginId: 'acme-tasks',
    connectorId: 'acme',
    actionId: 'create_task',
    pluginVersion: '1.0.0',
    input: {},
  },
};

export const loopStep: FlowStep = {
  name: 'step_2',
  displayName: 'For each new user',
  valid: true,
  type: 'LOOP_ON_ITEMS',
  settings: { items: '{{trigger.body.users}}' },
};

export const emptyTrigger: FlowStep = {
  name: 'trigger',
  displayName: 'Choose a trigger',
  valid: false,
  type: 'EMPTY',
  settings: {},
};

export const everyKindOfProp: PropsDescription = {
  note: {
    kind: 'markdown',
    displayName: '',
    required: false,
    text: 'Tasks land in the **project** you choose; use `{{…}}` to insert data.',
  },
  project: {
    kind: 'dropdown',
    displayName: 'Project',
    required: true,
    refreshers: [],
    dynamic: true,
    description: 'Fetched from Acme for the chosen connection.',
  },
  title: { kind: 'short_text', displayName: 'Title', required: true },
  body: { kind: 'long_text', displayName: 'Description', required: false },
  priority: {
    kind: 'static_dropdown',
    displayName: 'Priority',
    required: false,
    options: {
      options: [
        { label: 'Low', value: 'low' },
        { label: 'Normal', value: 'normal' },
        { label: 'High', value: 'high' },
      ],
    },
  },
  estimate: { kind: 'number', displayName: 'Estimate (hours)', required: false },
  urgent: { kind: 'checkbox', displayName: 'Urgent', required: false },
  due: { kind: 'date_time', displayName: 'Due', required: false },
  meta: { kind: 'json', displayName: 'Metadata', required: false },
  headers: { kind: 'object', displayName: 'Custom fields', required: false },
  tags: { kind: 'array', displayName: 'Tags', required: false },
};

export const optionsSource = (load: OptionsSource['load'], blocked?: string): OptionsSource => ({
  key: ['story', Math.random()],
  blocked,
  load,
});

export const projects = async (): Promise<OptionsResult> => ({
  kind: 'options',
  options: [
    { label: 'Onboarding', value: 'p-1' },
    { label: 'Support', value: 'p-2' },
    { label: 'Roadmap', value: 'p-3' },
  ],
});
