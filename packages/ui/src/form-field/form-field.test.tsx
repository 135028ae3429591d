import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { Input } from '../input/input.js';
import { FormField } from './form-field.js';

describe('FormField', () => {
  it('associates the label with its control', async () => {
    render(
      <FormField label="Email">
        <Input type="email" />
      </FormField>,
    );
    const input = screen.getByLabelText('Email');
    expect(input).toBeInstanceOf(HTMLInputElement);
    expect(input.id).not.toBe('');

    await userEvent.click(screen.getByText('Email'));
    expect(input).toHaveFocus();
    await userEvent.type(input, 'ada@example.com');
    expect(input).toHaveValue('ada@example.com');
  });

  it('gives each field its own id', () => {
    render(
      <>
        <FormField label="First name">
          <Input />
        </FormField>
        <FormField label="Last name">
          <Input />
        </FormField>
      </>,
    );
    expect(screen.getByLabelText('First name').id).not.toBe(screen.getByLabelText('Last name').id);
  });

  it('describes the control with the hint', () => {
    render(
      <FormField label="Email" hint="We never share it">
        <Input type="email" />
      </FormField>,
    );
    const input = screen.getByRole('textbox', { name: 'Email' });
    expect(input).toHaveAccessibleDescription('We never share it');
    expect(input).not.toHaveAttribute('aria-invalid');
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('announces the error, marks the control invalid and describes it with hint and error', () => {
    render(
      <FormField
        label="Email"
        hint="We never share it"
        error="Enter an email like name@company.com"
      >
        <Input type="email" />
      </FormField>,
    );
    const input = screen.getByRole('textbox', { name: 'Email' });
    expect(input).toHaveAttribute('aria-invalid', 'true');
    expect(input).toHaveAccessibleDescription(
      'We never share it Enter an email like name@company.com',
    );
    expect(screen.getByRole('alert')).toHaveTextContent('Enter an email like name@company.com');
  });

  it('announces an error that appears after the user acts', async () => {
    const field = (error?: string) => (
      <FormField label="Workspace name" error={error}>
        <Input />
      </FormField>
    );
    const { rerender } = render(field());
    expect(screen.queryByRole('alert')).toBeNull();
    rerender(field('Give your workspace a name.'));
    expect(await screen.findByRole('alert')).toHaveTextContent('Give your workspace a name.');
    expect(screen.getByRole('textbox', { name: 'Workspace name' })).toBeInvalid();
  });

  it('marks required fields for sight and for assistive technology', () => {
    render(
      <FormField label="Password" required>
        <Input type="password" />
      </FormField>,
    );
    // getByLabelText matches text content, which includes the visual marker.
    const input = screen.getByLabelText(/Password/);
    expect(input).toHaveAttribute('aria-required', 'true');
    // The asterisk is visual only, so the accessible name stays "Password".
    expect(input).toHaveAccessibleName('Password');
    expect(screen.getByText('*')).toHaveAttribute('aria-hidden', 'true');
  });

  it("keeps the control's own id and aria-describedby", () => {
    render(
      <>
        <p id="extra">Shown on the invoice</p>
        <FormField label="Company" hint="Legal name">
          <Input id="company" aria-describedby="extra" />
        </FormField>
      </>,
    );
    const input = screen.getByLabelText('Company');
    expect(input.id).toBe('company');
    expect(input).toHaveAccessibleDescription('Shown on the invoice Legal name');
  });

  it('rejects anything but a single control', () => {
    const consoleError = vi.spyOn(console, 'error').mockImplementation(() => {});
    expect(() =>
      render(
        // @ts-expect-error FormField takes exactly one element
        <FormField label="Broken">text</FormField>,
      ),
    ).toThrow();
    consoleError.mockRestore();
  });
});
