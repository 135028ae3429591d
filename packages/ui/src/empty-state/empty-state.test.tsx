import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { Button } from '../button/button.js';
import { EmptyState } from './empty-state.js';

describe('EmptyState', () => {
  it('tells the user what is missing and offers the first step', async () => {
    const onCreate = vi.fn();
    render(
      <EmptyState
        icon={<svg data-testid="icon" />}
        title="No automations yet"
        description="Automations run steps for you when something happens."
        action={<Button onClick={onCreate}>Create automation</Button>}
      />,
    );
    expect(screen.getByRole('heading', { name: 'No automations yet' })).toBeVisible();
    expect(screen.getByText('Automations run steps for you when something happens.')).toBeVisible();

    await userEvent.click(screen.getByRole('button', { name: 'Create automation' }));
    expect(onCreate).toHaveBeenCalledOnce();
  });

  it('hides the decorative icon from assistive technology', () => {
    render(<EmptyState icon={<svg data-testid="icon" />} title="Nothing here" />);
    expect(screen.getByTestId('icon').parentElement).toHaveAttribute('aria-hidden', 'true');
  });

  it('renders only what it is given', () => {
    const { container } = render(<EmptyState title="No runs yet" />);
    expect(screen.getByRole('heading', { name: 'No runs yet' })).toBeVisible();
    expect(screen.queryByRole('button')).toBeNull();
    expect(container.querySelector('.pmos-empty-state__icon')).toBeNull();
    expect(container.querySelector('.pmos-empty-state__description')).toBeNull();
  });
});
