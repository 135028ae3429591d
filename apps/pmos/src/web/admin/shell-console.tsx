import {
  Alert,
  Button,
  Card,
  CardContent,
  CardDescription,
  CardHeader,
  CardTitle,
  FormField,
  Input,
} from '@pmos/ui';
import { type FormEvent, type KeyboardEvent, useEffect, useRef, useState } from 'react';
import { shellBodySchema } from '../../api/schemas.js';
import { formValues } from '../common/form.js';
import { errorMessage, isApiError, request } from '../lib/api.js';
import { type FieldErrors, validate } from '../lib/validate.js';

type ShellEvent =
  | { type: 'stdout' | 'stderr'; data: string }
  | {
      type: 'exit';
      code: number | null;
      signal: string | null;
      timedOut: boolean;
      durationMs: number;
    };

type Exit = Extract<ShellEvent, { type: 'exit' }>;

interface Chunk {
  /** `command` echoes what ran; `exit` notes how it ended, so earlier runs stay readable. */
  stream: 'stdout' | 'stderr' | 'command' | 'exit';
  text: string;
}

// Keeps the page responsive when a command prints without end.
const maxOutputChars = 500_000;

/** Streams `POST /api/admin/shell` (NDJSON) into a terminal-like panel as it arrives. */
export function ShellConsole() {
  const [chunks, setChunks] = useState<Chunk[]>([]);
  const [running, setRunning] = useState(false);
  const [exit, setExit] = useState<Exit | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const [fields, setFields] = useState<FieldErrors>({});
  const [history, setHistory] = useState<string[]>([]);
  const historyIndex = useRef<number>(-1);
  const controller = useRef<AbortController | null>(null);
  const output = useRef<HTMLPreElement>(null);

  // Follow the output as it grows.
  useEffect(() => {
    const panel = output.current;
    if (chunks.length > 0 && panel) panel.scrollTop = panel.scrollHeight;
  }, [chunks]);

  useEffect(() => () => controller.current?.abort(), []);

  const append = (chunk: Chunk) =>
    setChunks((previous) => {
      // Notes start on their own line even when the output did not end with one.
      const last = previous.at(-1);
      const ownLine =
        (chunk.stream === 'command' || chunk.stream === 'exit') &&
        last &&
        !last.text.endsWith('\n');
      const next = [...previous, ownLine ? { ...chunk, text: `\n${chunk.text}` } : chunk];
      let total = next.reduce((sum, item) => sum + item.text.length, 0);
      while (total > maxOutputChars && next.length > 1) total -= next.shift()?.text.length ?? 0;
      return next;
    });

  const run = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const values = formValues(event);
    const seconds = values.timeout ? Number(values.timeout) : 30;
    const checked = validate(shellBodySchema, {
      command: values.command,
      cwd: values.cwd?.trim() ? values.cwd.trim() : undefined,
      timeoutMs: Math.round(seconds * 1000),
    });
    if (!checked.ok) {
      setFields(
        checked.fields.timeoutMs
          ? { ...checked.fields, timeout: 'Enter a timeout between 0.1 and 600 seconds.' }
          : checked.fields,
      );
      return;
    }
    setFields({});
    setFailure(null);
    setExit(null);
    setHistory((previous) =>
      [checked.data.command, ...previous.filter((c) => c !== checked.data.command)].slice(0, 50),
    );
    historyIndex.current = -1;
    append({ stream: 'command', text: `$ ${checked.data.command}\n` });
    const abort = new AbortController();
    controller.current = abort;
    setRunning(true);
    try {
      const response = await request('POST', '/api/admin/shell', checked.data, abort.signal);
      if (!response.body) throw new Error('The server sent no output stream.');
      const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
      let buffer = '';
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += value;
        let newline = buffer.indexOf('\n');
        while (newline >= 0) {
          const line = buffer.slice(0, newline).trim();
          buffer = buffer.slice(newline + 1);
          if (line) handle(JSON.parse(line) as ShellEvent);
          newline = buffer.indexOf('\n');
        }
      }
      if (buffer.trim()) handle(JSON.parse(buffer) as ShellEvent);
    } catch (error) {
      if (abort.signal.aborted) {
        setFailure('Stopped. The server ends the command when the connection closes.');
      } else if (isApiError(error) && Object.keys(error.fields).length > 0) {
        const { timeoutMs, ...rest } = error.fields;
        setFields(timeoutMs ? { ...rest, timeout: timeoutMs } : rest);
      } else {
        setFailure(errorMessage(error));
      }
    } finally {
      setRunning(false);
      controller.current = null;
    }
  };

  const handle = (event: ShellEvent) => {
    if (event.type === 'exit') {
      setExit(event);
      append({ stream: 'exit', text: `[${describeExit(event).toLowerCase()}]\n` });
    } else append({ stream: event.type, text: event.data });
  };

  // Up and Down walk through earlier commands, as in a terminal.
  const recall = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key !== 'ArrowUp' && event.key !== 'ArrowDown') return;
    if (history.length === 0) return;
    event.preventDefault();
    const step = event.key === 'ArrowUp' ? 1 : -1;
    const index = Math.min(Math.max(historyIndex.current + step, -1), history.length - 1);
    historyIndex.current = index;
    event.currentTarget.value = index === -1 ? '' : (history[index] ?? '');
  };

  return (
    <Card>
      <CardHeader>
        <CardTitle>Shell</CardTitle>
        <CardDescription>
          Commands run on the server as the PMOS process user. Output streams in as it is printed.
        </CardDescription>
      </CardHeader>
      <CardContent className="stack">
        <form className="shell-form" onSubmit={run} noValidate>
          <FormField label="Command" error={fields.command} className="shell-form-command">
            <Input
              name="command"
              className="mono"
              autoComplete="off"
              spellCheck={false}
              placeholder="e.g. uptime"
              onKeyDown={recall}
            />
          </FormField>
          <FormField label="Working directory" error={fields.cwd} className="shell-form-cwd">
            <Input
              name="cwd"
              className="mono"
              autoComplete="off"
              spellCheck={false}
              placeholder="Server default"
            />
          </FormField>
          <FormField
            label="Timeout (seconds)"
            error={fields.timeout}
            className="shell-form-timeout"
          >
            <Input name="timeout" type="number" min={0.1} max={600} step="any" defaultValue="30" />
          </FormField>
          <div className="shell-form-actions">
            <Button type="submit" loading={running}>
              {running ? 'Running…' : 'Run'}
            </Button>
            {running ? (
              <Button variant="secondary" onClick={() => controller.current?.abort()}>
                Stop
              </Button>
            ) : null}
          </div>
        </form>
        {failure ? <Alert tone="danger">{failure}</Alert> : null}
        <div className="terminal">
          <div className="terminal-bar">
            <span>Output</span>
            <span
              aria-live="polite"
              className={`terminal-status ${
                exit && !running
                  ? exit.code === 0
                    ? 'terminal-status--ok'
                    : 'terminal-status--fail'
                  : ''
              }`}
            >
              {running ? 'Running…' : exit ? describeExit(exit) : ''}
            </span>
            {chunks.length > 0 && !running ? (
              <button
                type="button"
                className="terminal-clear"
                onClick={() => {
                  setChunks([]);
                  setExit(null);
                }}
              >
                Clear
              </button>
            ) : null}
          </div>
          <pre
            ref={output}
            className="terminal-output"
            role="log"
            aria-label="Command output"
            // biome-ignore lint/a11y/noNoninteractiveTabindex: the output scrolls; keyboards must reach it
            tabIndex={0}
          >
            {chunks.length === 0 ? (
              <span className="terminal-placeholder">Output appears here.</span>
            ) : (
              chunks.map((chunk, index) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: chunks are append-only
                <span key={index} className={`terminal-${chunk.stream}`}>
                  {chunk.text}
                </span>
              ))
            )}
          </pre>
        </div>
      </CardContent>
    </Card>
  );
}

function describeExit(exit: Exit): string {
  const took =
    exit.durationMs < 1000 ? `${exit.durationMs} ms` : `${(exit.durationMs / 1000).toFixed(1)} s`;
  if (exit.timedOut) return `Timed out after ${took}`;
  if (exit.signal) return `Killed by ${exit.signal} after ${took}`;
  return `Exited with code ${exit.code ?? '?'} in ${took}`;
}
