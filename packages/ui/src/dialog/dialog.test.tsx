import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { Button } from '../button/button.js';
import { Dialog, DialogActions } from './dialog.js';

// jsdom has <dialog> but not its modal methods; the stories exercise the real ones in Chromium.
beforeAll(() => {
  HTMLDialogElement.prototype.showModal = function showModal(this: HTMLDialogElement) {
    this.setAttribute('open', '');
  };
  HTMLDialogElement.prototype.close = function close(this: HTMLDialogElement) {
    this.removeAttribute('open');
    this.dispatchEvent(new Event('close'));
  };
});

describe('Dialog', () => {
  it('is a dialog named by its title and described by its description', () => {
    render(
      <Dialog open onClose={() => {}} title="Remove Bob?" description="Bob loses access.">
        <DialogActions>
          <Button>Cancel</Button>
        </DialogActions>
      </Dialog>,
    );
    const dialog = screen.getByRole('dialog', { name: 'Remove Bob?' });
    expect(dialog).toHaveAccessibleDescription('Bob loses access.');
    expect(screen.getByRole('button', { name: 'Cancel' }).parentElement).toHaveClass(
      'pmos-dialog__actions',
    );
  });

  it('mounts its content only while open', () => {
    const { rerender } = render(
      <Dialog open={false} onClose={() => {}} title="Create a workspace">
        <input aria-label="Name" />
      </Dialog>,
    );
    expect(screen.queryByLabelText('Name')).toBeNull();
    rerender(
      <Dialog open onClose={() => {}} title="Create a workspace">
        <input aria-label="Name" />
      </Dialog>,
    );
    expect(screen.getByLabelText('Name')).toBeInTheDocument();
  });

  it('asks to close on a backdrop click but not on a click inside', async () => {
    const onClose = vi.fn();
    render(
      <Dialog open onClose={onClose} title="Create a workspace">
        <p>Inside</p>
      </Dialog>,
    );
    await userEvent.click(screen.getByText('Inside'));
    expect(onClose).not.toHaveBeenCalled();
    await userEvent.click(screen.getByRole('dialog'));
    expect(onClose).toHaveBeenCalledOnce();
  });
});

describe('Dialog closing', () => {
  it('reports a close made by the browser (Escape) once, and not one made through `open`', () => {
    const onClose = vi.fn();
    const { rerender } = render(
      <Dialog open onClose={onClose} title="Create a workspace">
        <p>Inside</p>
      </Dialog>,
    );
    screen.getByRole('dialog').dispatchEvent(new Event('close'));
    expect(onClose).toHaveBeenCalledOnce();
    rerender(
      <Dialog open={false} onClose={onClose} title="Create a workspace">
        <p>Inside</p>
      </Dialog>,
    );
    expect(onClose).toHaveBeenCalledOnce();
  });
});
