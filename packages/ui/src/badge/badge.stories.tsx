import type { Meta, StoryObj } from '@storybook/react-vite';
import { Badge } from './badge.js';

const meta = {
  title: 'Components/Badge',
  component: Badge,
  args: { children: 'Pending' },
  argTypes: {
    tone: { control: 'inline-radio', options: ['neutral', 'primary', 'success', 'danger'] },
  },
} satisfies Meta<typeof Badge>;

export default meta;
type Story = StoryObj<typeof meta>;

export const Neutral: Story = {};

export const AllTones: Story = {
  name: 'All tones',
  render: () => (
    <div style={{ display: 'flex', gap: 8 }}>
      <Badge>Expired</Badge>
      <Badge tone="primary">Admin</Badge>
      <Badge tone="success">Accepted</Badge>
      <Badge tone="danger">Revoked</Badge>
    </div>
  ),
};
