/**
 * Fake AI providers for tests — this plugin's and PMOS's chat tests alike. Each is a
 * loopback `node:http` server speaking its provider's real wire format, scripted with turns
 * (`{ text }`, `{ toolCalls: [{ name, args }] }`, `{ error }`) or a `respond(request)`
 * function, recording every request. It imports nothing but Node, so it runs from source:
 * apps/pmos tests import `…/plugins/ai-providers/src/testing/index.js` directly.
 *
 * PMOS refuses loopback hosts unless allowed: pass the fake's `host` in
 * PMOS_HTTP_PRIVATE_HOSTS (`privateHostsAllowed`), and its `baseUrl` as the connection's
 * base URL.
 */
export {
  anthropicDisplayName,
  FAKE_ANTHROPIC_KEY,
  FAKE_ANTHROPIC_MODELS,
  startFakeAnthropic,
} from './fake-anthropic.js';
export { FAKE_GOOGLE_KEY, FAKE_GOOGLE_MODELS, startFakeGoogle } from './fake-google.js';
export { FAKE_OPENAI_KEY, FAKE_OPENAI_MODELS, startFakeOpenAi } from './fake-openai.js';
export type {
  FakeChatRequest,
  FakeProblem,
  FakeProvider,
  FakeProviderOptions,
  FakeResponder,
  FakeToolCall,
  FakeTurn,
  RecordedRequest,
} from './fake-server.js';
