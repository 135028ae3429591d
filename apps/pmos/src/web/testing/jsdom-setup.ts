import { afterEach, vi } from 'vitest';
import { unmountAll } from './mount.js';

// The setup of the web app's component tests (vitest.web.config.ts), which drive React in
// jsdom with React's own act() and mount() (there is no testing library in this package).

// Tells React these tests drive it with act() (without it, act() warns that the environment
// is not set up for it, and React does not check for updates outside act()).
(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

// jsdom has <dialog> but not its modal methods.
HTMLDialogElement.prototype.showModal = function showModal(this: HTMLDialogElement) {
  this.setAttribute('open', '');
};
HTMLDialogElement.prototype.close = function close(this: HTMLDialogElement) {
  this.removeAttribute('open');
  this.dispatchEvent(new Event('close'));
};

// Each test starts from an empty page and the real globals (tests stub fetch per test).
afterEach(() => {
  unmountAll();
  vi.unstubAllGlobals();
});
