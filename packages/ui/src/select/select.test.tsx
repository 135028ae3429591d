import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { createRef } from 'react';
import { describe, expect, it, vi } from 'vitest';
import { FormField } from '../form-field/form-field.js';
import { Select } from './select.js';

describe('Select', () => {
  it('is a native select that changes value by choice', async () => {
    const onChange = vi.fn();
    render(
      <Select aria-label="Role" defaultValue="member" onChange={onChange}>
        <option value="member">Member</option>
        <option value="viewer">Viewer</option>
      </Select>,
    );
    const select = screen.getByRole('combobox', { name: 'Role' });
    expect(select).toHaveValue('member');
    await userEvent.selectOptions(select, 'viewer');
    expect(select).toHaveValue('viewer');
    expect(onChange).toHaveBeenCalledOnce();
  });

  it('sets aria-invalid only when invalid', () => {
    const { rerender } = render(<Select aria-label="Role" />);
    const select = screen.getByRole('combobox', { name: 'Role' });
    expect(select).not.toHaveAttribute('aria-invalid');
    rerender(<Select aria-label="Role" invalid />);
    expect(select).toHaveAttribute('aria-invalid', 'true');
  });

  it('is labelled and described by a FormField', () => {
    render(
      <FormField label="Expires" hint="Tokens stop working after this." error="Pick one.">
        <Select>
          <option>30 days</option>
        </Select>
      </FormField>,
    );
    const select = screen.getByRole('combobox', { name: 'Expires' });
    expect(select).toHaveAccessibleDescription('Tokens stop working after this. Pick one.');
    expect(select).toBeInvalid();
  });

  it('forwards its ref and merges classes', () => {
    const ref = createRef<HTMLSelectElement>();
    render(<Select ref={ref} aria-label="Role" className="narrow" />);
    const select = screen.getByRole('combobox', { name: 'Role' });
    expect(ref.current).toBe(select);
    expect(select).toHaveClass('pmos-select', 'narrow');
  });
});
