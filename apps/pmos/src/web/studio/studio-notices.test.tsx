import { describe, expect, it } from 'vitest';
import { mount } from '../testing/mount.js';
import { StudioNotices } from './studio-notices.js';

const props = {
  notice: null,
  error: null,
  onDismissError: () => {},
  triggerProblem: null,
  canWrite: true,
  conflict: false,
  onResolveConflict: () => {},
  viewing: null,
  canRestore: false,
  onRestore: () => {},
  onBackToDraft: () => {},
};

describe('StudioNotices: a trigger that could not be turned on', () => {
  it('says why, that nothing starts the automation, and what an editor can do', () => {
    const { host } = mount(
      <StudioNotices
        {...props}
        triggerProblem="Flow Kit: The service refused to register the webhook."
      />,
    );
    const alert = host.querySelector('[role="alert"], .alert') as HTMLElement;
    expect(alert.textContent).toContain('The trigger could not be turned on');
    expect(alert.textContent).toContain('The service refused to register the webhook.');
    expect(alert.textContent).toContain('Nothing starts this automation until it is.');
    expect(alert.textContent).toContain('publish again');
  });

  it('tells someone who cannot edit whom to ask, and shows nothing without a problem', () => {
    const { host, rerender } = mount(
      <StudioNotices {...props} canWrite={false} triggerProblem="The item service is down." />,
    );
    expect(host.textContent).toContain('Ask an editor of this workspace');
    expect(host.textContent).not.toContain('publish again');
    rerender(<StudioNotices {...props} />);
    expect(host.textContent).not.toContain('could not be turned on');
  });
});
