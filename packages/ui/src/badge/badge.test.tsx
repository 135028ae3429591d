import { render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { Badge } from './badge.js';

describe('Badge', () => {
  it('is a neutral label by default', () => {
    render(<Badge>Pending</Badge>);
    expect(screen.getByText('Pending')).toHaveClass('pmos-badge', 'pmos-badge--neutral');
  });

  it('takes a tone and extra classes', () => {
    render(
      <Badge tone="success" className="extra">
        Accepted
      </Badge>,
    );
    expect(screen.getByText('Accepted')).toHaveClass('pmos-badge--success', 'extra');
  });
});
