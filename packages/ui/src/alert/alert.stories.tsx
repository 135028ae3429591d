import type { Meta, StoryObj } from '@storybook/react-vite';
import { expect } from 'storybook/test';
import { Alert } from './alert.js';

const meta = {
  title: 'Components/Alert',
  component: Alert,
  args: { children: 'The server restarts in five minutes.' },
  argTypes: { tone: { control: 'inline-radio', options: ['info', 'success', 'danger'] } },
  decorators: [
    (Story) => (
      <div style={{ maxWidth: 480 }}>
        <Story />
      </div>
    ),
  ],
} satisfies Meta<typeof Alert>;

export default meta;
type Story = StoryObj<typeof meta>;

export const Info: Story = {};

export const Success: Story = {
  args: { tone: 'success', title: 'Invite created', children: 'Copy the link now.' },
};

export const Danger: Story = {
  args: {
    tone: 'danger',
    children: 'A workspace needs at least one admin. Make someone else an admin first.',
  },
  play: async ({ canvas }) => {
    await expect(canvas.getByRole('alert')).toBeVisible();
  },
};
