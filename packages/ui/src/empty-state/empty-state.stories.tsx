import type { Meta, StoryObj } from '@storybook/react-vite';
import { expect, fn } from 'storybook/test';
import { Button } from '../button/button.js';
import { EmptyState } from './empty-state.js';

function BoltIcon() {
  return (
    <svg
      viewBox="0 0 24 24"
      fill="none"
      stroke="currentColor"
      strokeWidth="1.75"
      strokeLinecap="round"
      strokeLinejoin="round"
    >
      <title>Automation</title>
      <path d="M13 2 4.5 13.5H12L11 22l8.5-11.5H12L13 2Z" />
    </svg>
  );
}

const onCreate = fn();

const meta = {
  title: 'Components/EmptyState',
  component: EmptyState,
  args: {
    icon: <BoltIcon />,
    title: 'No automations yet',
    description:
      'Automations run steps for you when something happens, like a new form entry or a message.',
    action: <Button onClick={onCreate}>Create automation</Button>,
  },
  decorators: [
    (Story) => (
      <div style={{ maxWidth: 560 }}>
        <Story />
      </div>
    ),
  ],
} satisfies Meta<typeof EmptyState>;

export default meta;
type Story = StoryObj<typeof meta>;

export const Default: Story = {
  play: async ({ canvas, userEvent }) => {
    onCreate.mockClear();
    await expect(canvas.getByRole('heading', { name: 'No automations yet' })).toBeVisible();
    await userEvent.click(canvas.getByRole('button', { name: 'Create automation' }));
    await expect(onCreate).toHaveBeenCalledOnce();
  },
};

export const WithTwoActions: Story = {
  name: 'With two actions',
  args: {
    action: (
      <>
        <Button onClick={onCreate}>Create automation</Button>
        <Button variant="secondary">Browse templates</Button>
      </>
    ),
  },
};

export const TextOnly: Story = {
  name: 'Text only',
  args: {
    icon: undefined,
    action: undefined,
    title: 'No runs yet',
    description: 'Runs show up here as soon as one of your automations starts.',
  },
};
