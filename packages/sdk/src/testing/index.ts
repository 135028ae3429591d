/**
 * @pmos/sdk/testing — run a plugin's actions, triggers, dropdowns and health checks in its
 * own unit tests, with no PMOS server: an in-memory store, a recording fake of the outside
 * service, and the same input validation and host rule PMOS applies.
 */
export {
  type FakeHandler,
  type FakeHttp,
  type FakeHttpOptions,
  type FakeRequest,
  type FakeRoutes,
  fakeHttp,
  jsonResponse,
  publicTestResolver,
  type RecordedRequest,
} from './fake-http.js';
export {
  createTestContext,
  type HarnessOptions,
  type HarnessResult,
  loadOptions,
  runAction,
  runHealthCheck,
  runTrigger,
  scheduleOf,
} from './harness.js';
export {
  createMemoryStore,
  createTestLogger,
  type LogEntry,
  type MemoryStore,
  type TestLogger,
} from './memory.js';
