import { render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { Alert } from './alert.js';

describe('Alert', () => {
  it('announces errors at once', () => {
    render(<Alert tone="danger">That email address is already registered.</Alert>);
    expect(screen.getByRole('alert')).toHaveTextContent(
      'That email address is already registered.',
    );
  });

  it('announces other messages politely, with an optional title', () => {
    render(
      <Alert tone="success" title="Invite created">
        Copy the link now.
      </Alert>,
    );
    const status = screen.getByRole('status');
    expect(status).toHaveClass('pmos-alert', 'pmos-alert--success');
    expect(status).toHaveTextContent('Invite createdCopy the link now.');
  });

  it('lets the caller choose another role', () => {
    render(<Alert role="note">Shell access is off.</Alert>);
    expect(screen.getByRole('note')).toHaveTextContent('Shell access is off.');
  });
});
