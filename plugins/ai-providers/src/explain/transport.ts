import type { ProviderProblem } from '../errors.js';
import { isRecord, unwrapRetries } from './failure.js';

/**
 * Failures where the provider never answered: PMOS refused the address, the name did not
 * resolve, nothing listened, the connection broke, TLS failed, or time ran out. Node's
 * fetch reports these as `TypeError: fetch failed` with the reason in `cause` (sometimes an
 * AggregateError per address), and the AI SDK wraps that once more; so the chain is walked.
 */

interface Links {
  codes: string[];
  names: string[];
  messages: string[];
  /** The PMOS host-rule error, when that was the reason. */
  refusal?: { code: string; host?: string; address?: string; range?: string };
  /** A host named by the failure itself (PrivateHostError, ENOTFOUND's hostname, a URL). */
  host?: string;
}

function collect(error: unknown): Links {
  const links: Links = { codes: [], names: [], messages: [] };
  const seen = new Set<unknown>();
  const visit = (node: unknown, depth: number) => {
    if (!isRecord(node) || seen.has(node) || depth > 8) return;
    seen.add(node);
    if (typeof node.code === 'string') links.codes.push(node.code);
    if (typeof node.name === 'string') links.names.push(node.name);
    if (typeof node.message === 'string') links.messages.push(node.message);
    if (
      (node.code === 'private_host' || node.code === 'host_not_allowed') &&
      links.refusal === undefined
    ) {
      links.refusal = {
        code: node.code,
        host: typeof node.host === 'string' ? node.host : undefined,
        address: typeof node.address === 'string' ? node.address : undefined,
        range: typeof node.range === 'string' ? node.range : undefined,
      };
    }
    if (!links.host && typeof node.hostname === 'string') links.host = node.hostname;
    if (!links.host && typeof node.url === 'string') links.host = hostOf(node.url);
    visit(node.cause, depth + 1);
    visit(node.lastError, depth + 1);
    if (Array.isArray(node.errors)) for (const inner of node.errors) visit(inner, depth + 1);
  };
  visit(unwrapRetries(error), 0);
  return links;
}

/** `host[:port]` of a URL, or undefined when it is not one. Never the user-info part. */
export function hostOf(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    return new URL(url).host || undefined;
  } catch {
    return undefined;
  }
}

const dnsCodes = new Set(['ENOTFOUND', 'EAI_AGAIN', 'EAI_NONAME', 'EAI_FAIL', 'EAI_NODATA']);
const resetCodes = new Set(['ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET', 'UND_ERR_CLOSED']);
const routeCodes = new Set(['EHOSTUNREACH', 'ENETUNREACH', 'EHOSTDOWN', 'ENETDOWN']);
const timeoutCodes = new Set([
  'ETIMEDOUT',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
]);
const isTlsCode = (code: string) =>
  code.startsWith('CERT_') ||
  code.startsWith('ERR_TLS_') ||
  code.startsWith('ERR_SSL_') ||
  code.includes('SELF_SIGNED') ||
  code.startsWith('UNABLE_TO_');

function unreachable(message: string): ProviderProblem {
  return { code: 'unreachable', message, retryable: true };
}

/**
 * Explains a failure where no answer came back, or returns null when the failure is not
 * one of those. `service` names the provider at the start of a sentence ("OpenAI").
 */
export function explainTransportError(
  error: unknown,
  facts: { service: string; host?: string },
): ProviderProblem | null {
  const links = collect(error);
  const host = links.refusal?.host ?? facts.host ?? links.host ?? 'the server';
  const { refusal } = links;
  if (refusal?.code === 'private_host') {
    const what =
      refusal.address && refusal.address !== host.replace(/^\[|\]?(:\d+)?$/g, '')
        ? `${host} resolves to ${refusal.address}, which is not a public address`
        : `${host} is not a public address`;
    return {
      code: 'private_host',
      message:
        `PMOS did not connect to ${host}: ${what}${refusal.range ? ` (${refusal.range})` : ''}, ` +
        'and AI providers may only reach public addresses unless the PMOS operator allows the ' +
        'host. To use a server on the PMOS machine or your own network (Ollama, vLLM, LM Studio …), ' +
        `ask the operator to add "${host}" to PMOS_HTTP_PRIVATE_HOSTS and restart PMOS.`,
      retryable: false,
    };
  }
  if (refusal?.code === 'host_not_allowed') {
    return {
      code: 'host_not_allowed',
      message: `PMOS did not connect to ${host}: the AI providers plugin does not declare that host.`,
      retryable: false,
    };
  }
  const codes = links.codes;
  const has = (set: ReadonlySet<string>) => codes.some((code) => set.has(code));
  if (links.names.includes('TimeoutError') || has(timeoutCodes)) {
    return {
      code: 'timeout',
      message: `${facts.service} did not answer in time (${host}). Try again; if it keeps happening, check that the address is right and the server is not overloaded.`,
      retryable: true,
    };
  }
  if (links.names.includes('AbortError')) {
    return {
      code: 'cancelled',
      message: `The request to ${facts.service} was stopped before it finished (cancelled, or it took longer than PMOS allows).`,
      retryable: true,
    };
  }
  if (has(dnsCodes) || links.messages.some((m) => /could not be resolved/.test(m))) {
    return unreachable(
      `PMOS could not find ${host}: the name does not resolve (DNS). Check the base URL for typos, and that the PMOS machine can resolve that name.`,
    );
  }
  if (codes.includes('ECONNREFUSED')) {
    return unreachable(
      `Nothing answered at ${host}: the connection was refused. Check that the server is running and listens on that address and port.`,
    );
  }
  if (has(routeCodes)) {
    return unreachable(
      `PMOS has no network route to ${host}. Check the base URL and the network between PMOS and the server.`,
    );
  }
  if (has(resetCodes)) {
    return unreachable(
      `${host} closed the connection before answering. Check that the base URL points at the API (http:// or https:// as the server expects) and try again.`,
    );
  }
  if (codes.some(isTlsCode)) {
    return unreachable(
      `PMOS does not trust the TLS certificate of ${host} (or the server does not speak HTTPS there). Use a certificate from a public authority, or the right http:// or https:// address.`,
    );
  }
  if (links.messages.some((m) => /fetch failed|Cannot connect to API/i.test(m))) {
    return unreachable(
      `PMOS could not connect to ${facts.service} at ${host}. Check the base URL and the network.`,
    );
  }
  return null;
}
