import type { Meta, StoryObj } from '@storybook/react-vite';
import { expect } from 'storybook/test';
import { Input } from './input.js';

const meta = {
  title: 'Components/Input',
  component: Input,
  args: { 'aria-label': 'Workspace name', placeholder: 'Acme Inc.' },
  decorators: [
    (Story) => (
      <div style={{ maxWidth: 320 }}>
        <Story />
      </div>
    ),
  ],
} satisfies Meta<typeof Input>;

export default meta;
type Story = StoryObj<typeof meta>;

export const Default: Story = {
  play: async ({ canvas, userEvent }) => {
    const input = canvas.getByRole('textbox', { name: 'Workspace name' });
    await userEvent.type(input, 'Northwind');
    await expect(input).toHaveValue('Northwind');
  },
};

export const Filled: Story = { args: { defaultValue: 'Northwind Traders' } };

export const Invalid: Story = {
  args: { invalid: true, defaultValue: 'no spaces allowed' },
  play: async ({ canvas }) => {
    await expect(canvas.getByRole('textbox')).toBeInvalid();
  },
};

export const Disabled: Story = { args: { disabled: true, defaultValue: 'Northwind Traders' } };
