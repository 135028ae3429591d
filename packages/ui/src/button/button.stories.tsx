import type { Meta, StoryObj } from '@storybook/react-vite';
import { expect, fn } from 'storybook/test';
import { Button } from './button.js';

const meta = {
  title: 'Components/Button',
  component: Button,
  args: { children: 'Save changes', onClick: fn() },
  argTypes: {
    variant: { control: 'inline-radio', options: ['primary', 'secondary', 'ghost', 'danger'] },
    size: { control: 'inline-radio', options: ['sm', 'md'] },
  },
} satisfies Meta<typeof Button>;

export default meta;
type Story = StoryObj<typeof meta>;

export const Primary: Story = {
  play: async ({ args, canvas, userEvent }) => {
    await userEvent.click(canvas.getByRole('button', { name: 'Save changes' }));
    await expect(args.onClick).toHaveBeenCalledOnce();
  },
};

export const Secondary: Story = { args: { variant: 'secondary', children: 'Cancel' } };

export const Ghost: Story = { args: { variant: 'ghost', children: 'Skip for now' } };

export const Danger: Story = { args: { variant: 'danger', children: 'Delete workspace' } };

export const Small: Story = { args: { size: 'sm', children: 'Add step' } };

export const Loading: Story = {
  args: { loading: true, children: 'Saving…' },
  play: async ({ args, canvas, userEvent }) => {
    const button = canvas.getByRole('button', { name: 'Saving…' });
    await expect(button).toHaveAttribute('aria-busy', 'true');
    await expect(button).toBeDisabled();
    await userEvent.click(button);
    await expect(args.onClick).not.toHaveBeenCalled();
  },
};

export const Disabled: Story = { args: { disabled: true } };

export const AsLink: Story = {
  args: { asChild: true, variant: 'secondary', children: <a href="#docs">Read the docs</a> },
  play: async ({ canvas }) => {
    const link = canvas.getByRole('link', { name: 'Read the docs' });
    await expect(link).toHaveAttribute('href', '#docs');
    await expect(link).toHaveClass('pmos-button');
  },
};

export const KeyboardFocus: Story = {
  name: 'Keyboard focus',
  play: async ({ canvas, userEvent }) => {
    await userEvent.tab();
    await expect(canvas.getByRole('button', { name: 'Save changes' })).toHaveFocus();
  },
};

export const AllVariants: Story = {
  name: 'All variants',
  render: (args) => (
    <div style={{ display: 'grid', gap: 16 }}>
      {(['md', 'sm'] as const).map((size) => (
        <div key={size} style={{ display: 'flex', gap: 12, alignItems: 'center' }}>
          <Button {...args} size={size} variant="primary">
            Create automation
          </Button>
          <Button {...args} size={size} variant="secondary">
            Cancel
          </Button>
          <Button {...args} size={size} variant="ghost">
            Skip
          </Button>
          <Button {...args} size={size} variant="danger">
            Delete
          </Button>
          <Button {...args} size={size} variant="primary" loading>
            Saving…
          </Button>
          <Button {...args} size={size} variant="secondary" disabled>
            Disabled
          </Button>
        </div>
      ))}
    </div>
  ),
};
