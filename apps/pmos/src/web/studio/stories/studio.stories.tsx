import '../../app.css';
import '../studio.css';
import type { Meta, StoryObj } from '@storybook/react-vite';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { useState } from 'react';
import { expect, fn, userEvent, within } from 'storybook/test';
import { ApiError } from '../../lib/api.js';
import { DataPicker } from '../data-picker.js';
import { PropsForm } from '../props-form.js';
import { StepCard } from '../step-card.js';
import { PickerList } from '../step-picker.js';
import { TestResultView } from '../test-result-view.js';
import {
  emptyTrigger,
  everyKindOfProp,
  loopStep,
  optionsSource,
  pluginStep,
  projects,
  sampleCatalog,
} from './studio-fixtures.js';

// Stories of the Flow Studio's parts (apps/pmos), run by packages/ui's Storybook and its
// vitest project; the `play` functions are component tests in a real browser.

const meta = {
  title: 'Studio/Parts',
  decorators: [
    (Story) => (
      <QueryClientProvider
        client={new QueryClient({ defaultOptions: { queries: { retry: false } } })}
      >
        <div style={{ maxWidth: 420 }}>
          <Story />
        </div>
      </QueryClientProvider>
    ),
  ],
} satisfies Meta;

export default meta;
type Story = StoryObj<typeof meta>;

export const CardReady: Story = {
  name: 'Card: ready',
  render: () => (
    <StepCard
      step={pluginStep}
      subtitle="Acme Tasks · Create a task"
      pluginId="acme-tasks"
      pluginName="Acme Tasks"
      problems={[]}
    />
  ),
};

export const CardStates: Story = {
  name: 'Card: incomplete, selected, tested, loop, changed by the agent, empty trigger',
  render: () => (
    <div style={{ display: 'grid', gap: 24, paddingTop: 12 }}>
      <StepCard
        step={pluginStep}
        subtitle="Acme Tasks · Create a task"
        pluginId="acme-tasks"
        pluginName="Acme Tasks"
        problems={['Choose a Acme Tasks connection.', '"Project" is required.']}
      />
      <StepCard
        step={pluginStep}
        subtitle="Acme Tasks · Create a task"
        pluginId="acme-tasks"
        pluginName="Acme Tasks"
        problems={[]}
        selected
        testStatus="SUCCEEDED"
      />
      <StepCard
        step={pluginStep}
        subtitle="Acme Tasks · Create a task"
        pluginId="acme-tasks"
        pluginName="Acme Tasks"
        problems={[]}
        testStatus="FAILED"
      />
      <StepCard step={loopStep} subtitle="Loop on items" problems={[]} />
      <StepCard
        step={pluginStep}
        subtitle="Acme Tasks · Create a task"
        pluginId="acme-tasks"
        pluginName="Acme Tasks"
        problems={[]}
        changeNote="Changed by the agent"
      />
      <StepCard
        step={emptyTrigger}
        subtitle="Choose what starts this flow"
        problems={['Choose a trigger: nothing starts this flow yet.']}
      />
    </div>
  ),
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    await expect(canvas.getAllByRole('button', { name: /Needs attention/ })).toHaveLength(2);
    await expect(canvas.getByRole('button', { pressed: true })).toHaveAccessibleName(/Test passed/);
    await expect(canvas.getByRole('button', { name: /Changed by the agent$/ })).toBeVisible();
  },
};

function Form({
  load,
  blocked,
  revealProblems = false,
}: {
  load: Parameters<typeof optionsSource>[0];
  blocked?: string;
  revealProblems?: boolean;
}) {
  const [values, setValues] = useState<Record<string, unknown>>({});
  const [source] = useState(() => optionsSource(load, blocked));
  return (
    <PropsForm
      props={everyKindOfProp}
      values={values}
      source={source}
      readOnly={false}
      revealProblems={revealProblems}
      problems={new Map([['title', '“Title” is required.']])}
      onChange={(name, value) => setValues((v) => ({ ...v, [name]: value }))}
    />
  );
}

export const PanelFields: Story = {
  name: 'Panel fields: every kind',
  render: () => <Form load={projects} />,
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    await userEvent.click(await canvas.findByRole('button', { name: 'Project' }));
    await userEvent.click(await canvas.findByRole('option', { name: /Support/ }));
    await expect(canvas.getByRole('button', { name: 'Project' })).toHaveTextContent('Support');
  },
};

export const PanelFieldsLoading: Story = {
  name: 'Panel fields: options loading',
  render: () => <Form load={() => new Promise(() => {})} />,
};

export const PanelFieldsError: Story = {
  name: 'Panel fields: options failed, problems shown',
  render: () => (
    <Form
      revealProblems
      load={() =>
        Promise.reject(
          new ApiError({
            status: 502,
            code: 'plugin_failed',
            message: 'Acme did not answer. Try again in a moment.',
          }),
        )
      }
    />
  ),
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    await expect(canvas.getByText('“Title” is required.')).toBeInTheDocument();
    await userEvent.click(canvas.getByRole('button', { name: 'Project' }));
    await expect(
      await canvas.findByText('Acme did not answer. Try again in a moment.'),
    ).toBeInTheDocument();
  },
};

export const PanelFieldsBlocked: Story = {
  name: 'Panel fields: no connection yet',
  render: () => <Form load={projects} blocked="Choose a connection first." />,
};

const sources = [
  {
    stepName: 'trigger',
    displayName: 'Webhook',
    origin: 'sample' as const,
    output: { method: 'POST', body: { email: 'ada@example.com', plan: 'pro', seats: [1, 2] } },
  },
  {
    stepName: 'step_1',
    displayName: 'Map data',
    origin: 'test' as const,
    output: { email: 'ada@example.com' },
  },
];

export const DataPickerWithData: Story = {
  name: 'Data picker: outputs',
  args: {},
  render: () => <DataPicker sources={sources} target="Body" onInsert={fn()} />,
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    await userEvent.click(canvas.getByRole('button', { name: 'Expand body' }));
    await expect(
      canvas.getByRole('button', { name: 'Insert {{trigger.body.email}}' }),
    ).toBeEnabled();
  },
};

export const DataPickerEmpty: Story = {
  name: 'Data picker: nothing tested yet',
  render: () => <DataPicker sources={[]} target="Body" onInsert={fn()} />,
};

export const DataPickerNoField: Story = {
  name: 'Data picker: no field focused',
  render: () => <DataPicker sources={sources} target={null} onInsert={fn()} />,
};

export const StepPickerList: Story = {
  name: 'Step picker',
  render: () => <PickerList catalog={sampleCatalog} mode="action" onPick={fn()} />,
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    await userEvent.type(canvas.getByRole('combobox', { name: 'Search actions' }), 'task');
    await expect(canvas.getAllByRole('option')).toHaveLength(1);
  },
};

export const StepPickerEmpty: Story = {
  name: 'Step picker: no plugin enabled',
  render: () => (
    <PickerList catalog={{ connectors: [], aiProviders: [] }} mode="trigger" onPick={fn()} />
  ),
};

export const TestPassed: Story = {
  name: 'Test result: passed',
  render: () => (
    <TestResultView
      record={{
        status: 'SUCCEEDED',
        origin: 'test',
        at: '2026-11-26T10:00:00Z',
        durationMs: 182,
        input: { title: 'Welcome Ada' },
        output: { id: 'task_42' },
      }}
    />
  ),
};

export const TestFailed: Story = {
  name: 'Test result: failed',
  render: () => (
    <TestResultView
      record={{
        status: 'FAILED',
        origin: 'run',
        at: '2026-11-26T10:00:00Z',
        durationMs: 40,
        input: { title: '' },
        error: { code: 'invalid_step_input', message: 'Title: expected a string.' },
      }}
    />
  ),
};
