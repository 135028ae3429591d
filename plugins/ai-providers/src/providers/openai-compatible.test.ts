import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { explainOpenAiCompatibleError } from '../explain/openai.js';
import { providerContext } from '../testing/context.js';
import { type FakeProvider, startFakeOpenAi } from '../testing/index.js';
import { askPrompt, completeTodoTool, failureOf, readParts } from '../testing/model-calls.js';
import { openAiCompatibleProvider } from './openai-compatible.js';

let ollama: FakeProvider;
beforeAll(async () => {
  // Ollama needs no key and lists its embedding models beside the chat ones.
  ollama = await startFakeOpenAi({
    apiKey: null,
    models: ['qwen2.5:7b', 'llama3.2:latest', 'nomic-embed-text:latest'],
  });
});
afterAll(() => ollama.close());
afterEach(() => {
  ollama.requests.length = 0;
});

const ctxWith = (auth: { baseUrl: string; apiKey?: string }, allowed = [ollama.host]) =>
  providerContext({ apiKey: undefined, ...auth }, { privateHosts: allowed });

describe('openai-compatible listModels', () => {
  it('lists GET {baseUrl}/models without a key, chat models only, sorted', async () => {
    await expect(
      openAiCompatibleProvider.listModels(ctxWith({ baseUrl: ollama.baseUrl })),
    ).resolves.toEqual([
      { id: 'llama3.2:latest', displayName: 'llama3.2:latest' },
      { id: 'qwen2.5:7b', displayName: 'qwen2.5:7b' },
    ]);
    expect(ollama.requests[0]?.path).toBe('/v1/models');
    expect(ollama.requests[0]?.headers.authorization).toBeUndefined();
  });

  it('adds /v1 to a base URL without a path', async () => {
    await openAiCompatibleProvider.listModels(ctxWith({ baseUrl: ollama.url }));
    expect(ollama.requests[0]?.path).toBe('/v1/models');
  });

  it('sends the key as a bearer token when there is one', async () => {
    const vllm = await startFakeOpenAi({
      apiKey: 'vllm-secret-key-123',
      models: ['Qwen/Qwen2.5-7B'],
    });
    try {
      const ctx = ctxWith({ baseUrl: vllm.baseUrl, apiKey: 'vllm-secret-key-123' }, [vllm.host]);
      await expect(openAiCompatibleProvider.listModels(ctx)).resolves.toEqual([
        { id: 'Qwen/Qwen2.5-7B', displayName: 'Qwen/Qwen2.5-7B' },
      ]);
      expect(vllm.requests[0]?.headers.authorization).toBe('Bearer vllm-secret-key-123');
      const refused = await openAiCompatibleProvider.healthCheck?.(
        ctxWith({ baseUrl: vllm.baseUrl, apiKey: 'vllm-wrong-key-456' }, [vllm.host]),
      );
      expect(refused).toEqual({
        ok: false,
        message: `The server at ${vllm.host} refused the API key: it is wrong, revoked or missing. Enter the key this server expects, or leave the field empty if it needs none.`,
      });
    } finally {
      await vllm.close();
    }
  });
});

describe('openai-compatible healthCheck', () => {
  it('names the server and its models', async () => {
    await expect(
      openAiCompatibleProvider.healthCheck?.(ctxWith({ baseUrl: ollama.baseUrl })),
    ).resolves.toEqual({
      ok: true,
      message: `Connected to ${ollama.host}: 2 models available: qwen2.5:7b, llama3.2:latest.`,
    });
  });

  it('explains that PMOS refuses a loopback server until the operator allows it', async () => {
    const report = await openAiCompatibleProvider.healthCheck?.(
      ctxWith({ baseUrl: 'http://127.0.0.1:11434/v1' }, []),
    );
    expect(report).toEqual({
      ok: false,
      message:
        'PMOS did not connect to 127.0.0.1:11434: 127.0.0.1:11434 is not a public address (loopback), and AI providers may only reach public addresses unless the PMOS operator allows the host. To use a server on the PMOS machine or your own network (Ollama, vLLM, LM Studio …), ask the operator to add "127.0.0.1:11434" to PMOS_HTTP_PRIVATE_HOSTS and restart PMOS.',
    });
  });

  it('explains a private network address resolved from a name', async () => {
    const report = await openAiCompatibleProvider.healthCheck?.({
      ...ctxWith({ baseUrl: 'http://localhost:11434/v1' }, []),
    });
    expect(report?.message).toMatch(
      /^PMOS did not connect to localhost:11434: localhost:11434 resolves to (127\.0\.0\.1|::1), which is not a public address \(loopback\)/,
    );
  });

  it('points at /v1 when the base URL has another path', async () => {
    const report = await openAiCompatibleProvider.healthCheck?.(
      ctxWith({ baseUrl: `${ollama.url}/api` }),
    );
    expect(report).toEqual({
      ok: false,
      message: `The server at ${ollama.host} has no API at ${ollama.host}/api/models: check the base URL. OpenAI-compatible servers usually serve their API under /v1, e.g. http://127.0.0.1:11434/v1 for Ollama or http://127.0.0.1:1234/v1 for LM Studio.`,
    });
  });

  it('says when the server has no chat model yet', async () => {
    const empty = await startFakeOpenAi({ apiKey: null, models: ['nomic-embed-text:latest'] });
    try {
      const report = await openAiCompatibleProvider.healthCheck?.(
        ctxWith({ baseUrl: empty.baseUrl }, [empty.host]),
      );
      expect(report).toEqual({
        ok: false,
        message: `The server at ${empty.host} answered, but offers no chat models yet (on Ollama, download one first, e.g. \`ollama pull llama3.2\`).`,
      });
    } finally {
      await empty.close();
    }
  });

  it('refuses a missing base URL in plain words', async () => {
    const report = await openAiCompatibleProvider.healthCheck?.(ctxWith({ baseUrl: ' ' }));
    expect(report).toEqual({
      ok: false,
      message: "The base URL is missing: enter the server's, e.g. http://127.0.0.1:11434/v1.",
    });
  });
});

describe('openai-compatible languageModel', () => {
  it('streams a tool call through Chat Completions and asks for usage', async () => {
    ollama.enqueue({
      toolCalls: [{ name: 'complete_todo', args: { project: 'Alpha', todo_id: 42 } }],
    });
    const { stream } = await openAiCompatibleProvider
      .languageModel(ctxWith({ baseUrl: ollama.baseUrl }), 'llama3.2:latest')
      .doStream({ prompt: askPrompt, tools: [completeTodoTool] });
    const parts = await readParts(stream);
    const call = parts.find((p) => p.type === 'tool-call');
    expect(JSON.parse((call as { input: string }).input)).toEqual({
      project: 'Alpha',
      todo_id: 42,
    });
    expect(parts.at(-1)).toMatchObject({
      type: 'finish',
      finishReason: { unified: 'tool-calls' },
      usage: { inputTokens: { total: expect.any(Number) } },
    });
    expect(ollama.chatRequests()[0]).toMatchObject({
      model: 'llama3.2:latest',
      stream_options: { include_usage: true },
    });
  });

  it('explains a model the server does not have', async () => {
    const error = await failureOf(
      openAiCompatibleProvider
        .languageModel(ctxWith({ baseUrl: ollama.baseUrl }), 'mistral:latest')
        .doGenerate({ prompt: askPrompt }),
    );
    expect(explainOpenAiCompatibleError(error, { baseUrl: ollama.baseUrl })).toMatchObject({
      code: 'model_not_found',
      message: `The server at ${ollama.host} has no model “mistral:latest” that this key may use. Pick one from the models the server lists (on Ollama, download it first with \`ollama pull <model>\`).`,
    });
  });
});
