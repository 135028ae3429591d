import type { Meta, StoryObj } from '@storybook/react-vite';
import { type FormEvent, useState } from 'react';
import { expect } from 'storybook/test';
import { Button } from '../button/button.js';
import { Input } from '../input/input.js';
import { FormField } from './form-field.js';

const meta = {
  title: 'Components/FormField',
  component: FormField,
  args: { label: 'Email', children: <Input type="email" placeholder="name@company.com" /> },
  decorators: [
    (Story) => (
      <div style={{ maxWidth: 360 }}>
        <Story />
      </div>
    ),
  ],
} satisfies Meta<typeof FormField>;

export default meta;
type Story = StoryObj<typeof meta>;

export const Default: Story = {
  args: { hint: 'We never share it.' },
  play: async ({ canvas, userEvent }) => {
    const input = canvas.getByRole('textbox', { name: 'Email' });
    await expect(input).toHaveAccessibleDescription('We never share it.');
    await userEvent.type(input, 'ada@example.com');
    await expect(input).toHaveValue('ada@example.com');
  },
};

export const Required: Story = {
  args: { label: 'Workspace name', required: true, children: <Input placeholder="Acme Inc." /> },
  play: async ({ canvas }) => {
    const input = canvas.getByRole('textbox', { name: 'Workspace name' });
    await expect(input).toHaveAttribute('aria-required', 'true');
  },
};

export const WithError: Story = {
  args: {
    hint: 'We never share it.',
    error: 'Enter an email address like name@company.com.',
    required: true,
    children: <Input type="email" defaultValue="ada@" />,
  },
  play: async ({ canvas }) => {
    const input = canvas.getByRole('textbox', { name: 'Email' });
    await expect(input).toBeInvalid();
    await expect(canvas.getByRole('alert')).toHaveTextContent(
      'Enter an email address like name@company.com.',
    );
    await expect(input).toHaveAccessibleDescription(
      'We never share it. Enter an email address like name@company.com.',
    );
  },
};

function SignUpForm() {
  const [email, setEmail] = useState('');
  const [error, setError] = useState<string>();
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    setError(email.includes('@') ? undefined : 'Enter an email address like name@company.com.');
  };
  return (
    <form onSubmit={onSubmit} noValidate style={{ display: 'grid', gap: 16 }}>
      <FormField label="Email" hint="We never share it." error={error} required>
        <Input type="email" value={email} onChange={(event) => setEmail(event.target.value)} />
      </FormField>
      <Button type="submit">Continue</Button>
    </form>
  );
}

export const ValidatesOnSubmit: Story = {
  name: 'Validates on submit',
  render: () => <SignUpForm />,
  play: async ({ canvas, userEvent }) => {
    const input = canvas.getByRole('textbox', { name: 'Email' });
    await userEvent.type(input, 'ada');
    await userEvent.click(canvas.getByRole('button', { name: 'Continue' }));
    await expect(await canvas.findByRole('alert')).toHaveTextContent(/Enter an email address/);
    await expect(input).toBeInvalid();

    await userEvent.type(input, '@example.com');
    await userEvent.click(canvas.getByRole('button', { name: 'Continue' }));
    await expect(canvas.queryByRole('alert')).toBeNull();
    await expect(input).toBeValid();
  },
};
