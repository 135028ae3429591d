import type { Meta, StoryObj } from '@storybook/react-vite';
import { useState } from 'react';
import { expect, fn, waitFor } from 'storybook/test';
import { Button } from '../button/button.js';
import { FormField } from '../form-field/form-field.js';
import { Input } from '../input/input.js';
import { Dialog, DialogActions } from './dialog.js';

const meta = {
  title: 'Components/Dialog',
  component: Dialog,
  args: {
    open: false,
    onClose: fn(),
    title: 'Create a workspace',
    description: 'A workspace holds its own automations, integrations and members.',
  },
} satisfies Meta<typeof Dialog>;

export default meta;
type Story = StoryObj<typeof meta>;

function Opener(props: { title: string; description?: string; onClose: () => void }) {
  const [open, setOpen] = useState(false);
  const close = () => {
    setOpen(false);
    props.onClose();
  };
  return (
    <>
      <Button onClick={() => setOpen(true)}>Create workspace</Button>
      <Dialog open={open} onClose={close} title={props.title} description={props.description}>
        <FormField label="Workspace name">
          <Input autoFocus placeholder="Acme Operations" />
        </FormField>
        <DialogActions>
          <Button variant="secondary" onClick={close}>
            Cancel
          </Button>
          <Button onClick={close}>Create workspace</Button>
        </DialogActions>
      </Dialog>
    </>
  );
}

export const Default: Story = {
  render: (args) => (
    <Opener
      title={String(args.title)}
      description={String(args.description)}
      onClose={args.onClose}
    />
  ),
  play: async ({ args, canvas, userEvent }) => {
    const opener = canvas.getByRole('button', { name: 'Create workspace' });
    await userEvent.click(opener);
    const dialog = await canvas.findByRole('dialog', { name: 'Create a workspace' });
    await expect(canvas.getByRole('textbox', { name: 'Workspace name' })).toHaveFocus();
    // Synthetic key events do not reach the browser's own Escape handling: use Cancel.
    await userEvent.click(canvas.getByRole('button', { name: 'Cancel' }));
    await waitFor(() => expect(dialog).not.toHaveAttribute('open'));
    await expect(args.onClose).toHaveBeenCalledOnce();
    await expect(opener).toHaveFocus();
  },
};
