import type { Action } from '@pmos/flow';
import { act } from 'react';
import { describe, expect, it, vi } from 'vitest';
import { mount } from '../testing/mount.js';
import { StepCard, type StepCardProps } from './step-card.js';

const step: Action = {
  name: 'step_1',
  displayName: 'Say hello',
  valid: true,
  type: 'CODE',
  settings: { sourceCode: { code: 'return 1;' }, input: {} },
};

function renderCard(props: Partial<StepCardProps>): HTMLButtonElement {
  const { host } = mount(<StepCard step={step} subtitle="Code" problems={[]} {...props} />);
  return host.querySelector('button') as HTMLButtonElement;
}

const press = (card: HTMLElement, key: string, init: KeyboardEventInit = {}) =>
  act(() => {
    card.dispatchEvent(new KeyboardEvent('keydown', { key, bubbles: true, ...init }));
  });

describe('StepCard keys', () => {
  it('adds after with A, moves with M and walks with the arrows, and says so', () => {
    const onAddAfter = vi.fn();
    const onStartMove = vi.fn();
    const onNavigate = vi.fn();
    const card = renderCard({ onAddAfter, onStartMove, onNavigate });
    expect(card.getAttribute('aria-keyshortcuts')).toBe('ArrowUp ArrowDown A M');
    press(card, 'a');
    press(card, 'M', { shiftKey: true });
    press(card, 'ArrowDown');
    expect(onAddAfter).toHaveBeenCalledOnce();
    expect(onStartMove).toHaveBeenCalledOnce();
    expect(onNavigate).toHaveBeenCalledWith(1);
  });

  it('leaves shortcuts with Ctrl or Cmd alone, and offers only what it can do', () => {
    const onAddAfter = vi.fn();
    const card = renderCard({ onAddAfter });
    press(card, 'a', { ctrlKey: true });
    press(card, 'm');
    expect(onAddAfter).not.toHaveBeenCalled();
    expect(card.getAttribute('aria-keyshortcuts')).toBe('A');
  });

  it('answers no keys on a read-only canvas', () => {
    expect(renderCard({}).hasAttribute('aria-keyshortcuts')).toBe(false);
  });
});
