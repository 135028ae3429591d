import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { createRef } from 'react';
import { describe, expect, it, vi } from 'vitest';
import { Button } from './button.js';

describe('Button', () => {
  it('is a type="button" by default so it never submits a form by accident', () => {
    render(<Button>Save</Button>);
    expect(screen.getByRole('button', { name: 'Save' })).toHaveAttribute('type', 'button');
  });

  it('keeps an explicit type', () => {
    render(<Button type="submit">Save</Button>);
    expect(screen.getByRole('button', { name: 'Save' })).toHaveAttribute('type', 'submit');
  });

  it('applies variant and size classes', () => {
    render(
      <Button variant="danger" size="sm" className="extra">
        Delete
      </Button>,
    );
    const button = screen.getByRole('button', { name: 'Delete' });
    expect(button).toHaveClass('pmos-button', 'pmos-button--danger', 'pmos-button--sm', 'extra');
  });

  it('calls onClick when clicked', async () => {
    const onClick = vi.fn();
    render(<Button onClick={onClick}>Save</Button>);
    await userEvent.click(screen.getByRole('button', { name: 'Save' }));
    expect(onClick).toHaveBeenCalledOnce();
  });

  it('ignores clicks while disabled', async () => {
    const onClick = vi.fn();
    render(
      <Button disabled onClick={onClick}>
        Save
      </Button>,
    );
    const button = screen.getByRole('button', { name: 'Save' });
    expect(button).toBeDisabled();
    await userEvent.click(button);
    expect(onClick).not.toHaveBeenCalled();
  });

  it('shows a spinner, sets aria-busy and ignores clicks while loading', async () => {
    const onClick = vi.fn();
    render(
      <Button loading onClick={onClick}>
        Save
      </Button>,
    );
    const button = screen.getByRole('button', { name: 'Save' });
    expect(button).toHaveAttribute('aria-busy', 'true');
    expect(button).toBeDisabled();
    expect(button.querySelector('.pmos-spinner')).toHaveAttribute('aria-hidden', 'true');
    await userEvent.click(button);
    expect(onClick).not.toHaveBeenCalled();
  });

  it('has no aria-busy or spinner when idle', () => {
    render(<Button>Save</Button>);
    const button = screen.getByRole('button', { name: 'Save' });
    expect(button).not.toHaveAttribute('aria-busy');
    expect(button.querySelector('.pmos-spinner')).toBeNull();
  });

  it('forwards its ref to the button element', () => {
    const ref = createRef<HTMLButtonElement>();
    render(<Button ref={ref}>Save</Button>);
    expect(ref.current).toBe(screen.getByRole('button', { name: 'Save' }));
  });

  describe('asChild', () => {
    it('renders the child anchor with the button styling and no button attributes', () => {
      render(
        <Button asChild variant="secondary">
          <a href="/automations/new">New automation</a>
        </Button>,
      );
      const link = screen.getByRole('link', { name: 'New automation' });
      expect(link.tagName).toBe('A');
      expect(link).toHaveAttribute('href', '/automations/new');
      expect(link).toHaveClass('pmos-button', 'pmos-button--secondary');
      expect(link).not.toHaveAttribute('type');
      expect(screen.queryByRole('button')).toBeNull();
    });

    it('marks a loading link busy and swallows its activation', async () => {
      const onClick = vi.fn();
      render(
        <Button asChild loading onClick={onClick}>
          <a href="#next">Continue</a>
        </Button>,
      );
      const link = screen.getByRole('link', { name: 'Continue' });
      expect(link).toHaveAttribute('aria-busy', 'true');
      expect(link).toHaveAttribute('aria-disabled', 'true');
      expect(link.querySelector('.pmos-spinner')).not.toBeNull();

      const navigation = vi.fn((event: MouseEvent) => event.defaultPrevented);
      document.addEventListener('click', navigation);
      await userEvent.click(link);
      document.removeEventListener('click', navigation);
      expect(onClick).not.toHaveBeenCalled();
      // stopPropagation keeps the click from reaching document-level listeners (routers).
      expect(navigation).not.toHaveBeenCalled();
    });

    it('forwards its ref to the child element', () => {
      const ref = createRef<HTMLButtonElement>();
      render(
        <Button asChild ref={ref}>
          <a href="/docs">Docs</a>
        </Button>,
      );
      expect(ref.current).toBe(screen.getByRole('link', { name: 'Docs' }));
    });
  });
});
