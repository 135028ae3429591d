import type { Meta, StoryObj } from '@storybook/react-vite';
import { expect } from 'storybook/test';
import { Button } from '../button/button.js';
import { FormField } from '../form-field/form-field.js';
import { Input } from '../input/input.js';
import { Card, CardContent, CardDescription, CardFooter, CardHeader, CardTitle } from './card.js';

const meta = {
  title: 'Components/Card',
  component: Card,
  decorators: [
    (Story) => (
      <div style={{ maxWidth: 440 }}>
        <Story />
      </div>
    ),
  ],
} satisfies Meta<typeof Card>;

export default meta;
type Story = StoryObj<typeof meta>;

export const Default: Story = {
  render: (args) => (
    <Card {...args}>
      <CardHeader>
        <CardTitle>Workspace</CardTitle>
        <CardDescription>The name your team sees in invitations and emails.</CardDescription>
      </CardHeader>
      <CardContent>
        <FormField label="Workspace name" required>
          <Input defaultValue="Northwind Traders" />
        </FormField>
      </CardContent>
      <CardFooter>
        <Button variant="ghost">Cancel</Button>
        <Button>Save</Button>
      </CardFooter>
    </Card>
  ),
  play: async ({ canvas }) => {
    await expect(canvas.getByRole('heading', { name: 'Workspace' })).toBeVisible();
    await expect(canvas.getByRole('textbox', { name: 'Workspace name' })).toHaveValue(
      'Northwind Traders',
    );
  },
};

export const ContentOnly: Story = {
  name: 'Content only',
  render: (args) => (
    <Card {...args}>
      <CardContent>
        3 automations ran 128 times this week. 2 runs failed and are waiting for a retry.
      </CardContent>
    </Card>
  ),
};

export const Danger: Story = {
  render: (args) => (
    <Card {...args}>
      <CardHeader>
        <CardTitle>Delete workspace</CardTitle>
        <CardDescription>
          Deletes all automations, runs and connections. This cannot be undone.
        </CardDescription>
      </CardHeader>
      <CardFooter>
        <Button variant="danger">Delete workspace</Button>
      </CardFooter>
    </Card>
  ),
};
