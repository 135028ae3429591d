import type { Meta, StoryObj } from '@storybook/react-vite';
import { expect } from 'storybook/test';
import { Select } from './select.js';

const meta = {
  title: 'Components/Select',
  component: Select,
  args: {
    'aria-label': 'Role',
    defaultValue: 'member',
    children: [
      <option key="admin" value="workspace_admin">
        Admin
      </option>,
      <option key="member" value="member">
        Member
      </option>,
      <option key="viewer" value="viewer">
        Viewer
      </option>,
    ],
  },
  decorators: [
    (Story) => (
      <div style={{ maxWidth: 240 }}>
        <Story />
      </div>
    ),
  ],
} satisfies Meta<typeof Select>;

export default meta;
type Story = StoryObj<typeof meta>;

export const Default: Story = {
  play: async ({ canvas, userEvent }) => {
    const select = canvas.getByRole('combobox', { name: 'Role' });
    await userEvent.selectOptions(select, 'viewer');
    await expect(select).toHaveValue('viewer');
  },
};

export const Invalid: Story = { args: { invalid: true } };

export const Disabled: Story = { args: { disabled: true } };
