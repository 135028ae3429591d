import { render, screen, within } from '@testing-library/react';
import { createRef } from 'react';
import { describe, expect, it } from 'vitest';
import { Button } from '../button/button.js';
import { Card, CardContent, CardDescription, CardFooter, CardHeader, CardTitle } from './card.js';

describe('Card', () => {
  it('renders a titled section with description, content and footer actions', () => {
    render(
      <Card aria-labelledby="billing-title" role="region">
        <CardHeader>
          <CardTitle id="billing-title">Billing</CardTitle>
          <CardDescription>Your plan renews on 1 December.</CardDescription>
        </CardHeader>
        <CardContent>Team plan, 12 seats</CardContent>
        <CardFooter>
          <Button variant="secondary">Change plan</Button>
        </CardFooter>
      </Card>,
    );
    const card = screen.getByRole('region', { name: 'Billing' });
    expect(within(card).getByRole('heading', { name: 'Billing' })).toHaveClass('pmos-card__title');
    expect(within(card).getByText('Your plan renews on 1 December.')).toHaveClass(
      'pmos-card__description',
    );
    expect(within(card).getByText('Team plan, 12 seats')).toHaveClass('pmos-card__content');
    expect(within(card).getByRole('button', { name: 'Change plan' })).toBeVisible();
  });

  it('forwards refs and merges classes', () => {
    const ref = createRef<HTMLDivElement>();
    render(
      <Card ref={ref} className="wide" data-testid="card">
        <CardContent>Body</CardContent>
      </Card>,
    );
    expect(ref.current).toBe(screen.getByTestId('card'));
    expect(ref.current).toHaveClass('pmos-card', 'wide');
  });
});
