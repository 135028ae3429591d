import { Alert, Button, Dialog, DialogActions } from '@pmos/ui';
import { useMutation } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { errorMessage } from '../lib/api.js';

export interface ConfirmDialogProps {
  open: boolean;
  onClose: () => void;
  title: ReactNode;
  description: ReactNode;
  confirmLabel: string;
  /** The work to do; the dialog closes when it resolves and shows the error when it throws. */
  onConfirm: () => Promise<unknown>;
  tone?: 'danger' | 'primary';
}

export function ConfirmDialog({
  open,
  onClose,
  title,
  description,
  confirmLabel,
  onConfirm,
  tone = 'danger',
}: ConfirmDialogProps) {
  const mutation = useMutation({ mutationFn: onConfirm, onSuccess: onClose });
  const close = () => {
    mutation.reset();
    onClose();
  };
  return (
    <Dialog open={open} onClose={close} title={title} description={description}>
      {mutation.isError ? <Alert tone="danger">{errorMessage(mutation.error)}</Alert> : null}
      <DialogActions>
        <Button variant="secondary" onClick={close} autoFocus>
          Cancel
        </Button>
        <Button
          variant={tone === 'danger' ? 'danger' : 'primary'}
          loading={mutation.isPending}
          onClick={() => mutation.mutate()}
        >
          {confirmLabel}
        </Button>
      </DialogActions>
    </Dialog>
  );
}
