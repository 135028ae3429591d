import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';

/** The built CLI, exactly as `pnpm start` runs it. */
export const cliPath = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));

export const testMasterKey = Buffer.alloc(32, 42).toString('base64');

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

function environment(env: Record<string, string>): NodeJS.ProcessEnv {
  // Start from a clean PMOS environment so the developer's own settings never leak in.
  const base = Object.fromEntries(
    Object.entries(process.env).filter(
      ([key]) => !/^(PORT|HOST|PUBLIC_URL|DATABASE_|PMOS_|LOG_LEVEL)/.test(key),
    ),
  );
  // A server on DATABASE_URL needs a master key shared by its processes: tests use a fixed one.
  const key = env.DATABASE_URL ? { PMOS_MASTER_KEY: testMasterKey } : {};
  return { ...base, LOG_LEVEL: 'warn', ...key, ...env };
}

/** Runs a CLI command to completion. */
export async function runCli(args: string[], env: Record<string, string>): Promise<CliRun> {
  const child = spawn(process.execPath, [cliPath, ...args], { env: environment(env) });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => (stdout += chunk));
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const [code] = (await once(child, 'exit')) as [number | null];
  return { code, stdout, stderr };
}

export interface RunningServer {
  url: string;
  child: ChildProcess;
  output(): string;
  /** Sends SIGTERM and resolves with the exit code. */
  stop(): Promise<number | null>;
}

/** Starts `pmos start` and waits for its "PMOS ready on <url>" line. */
export function startServer(
  env: Record<string, string>,
  timeoutMs = 30_000,
): Promise<RunningServer> {
  return startCommand('start', /PMOS ready on (\S+)/, env, timeoutMs);
}

/** Starts `pmos worker` and waits for its "PMOS worker ready" line (its `url` is empty). */
export function startWorkerProcess(
  env: Record<string, string>,
  timeoutMs = 30_000,
): Promise<RunningServer> {
  return startCommand('worker', /PMOS worker (ready)/, env, timeoutMs);
}

async function startCommand(
  command: string,
  ready: RegExp,
  env: Record<string, string>,
  timeoutMs: number,
): Promise<RunningServer> {
  const child = spawn(process.execPath, [cliPath, command], {
    env: environment({ PORT: '0', ...env }),
  });
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`pmos ${command} was not ready within ${timeoutMs} ms:\n${output}`));
    }, timeoutMs);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = ready.exec(output);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1] === 'ready' ? '' : match[1]);
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`pmos ${command} exited with ${code} before it was ready:\n${output}`));
    });
  });
  return {
    url,
    child,
    output: () => output,
    async stop() {
      if (child.exitCode !== null) return child.exitCode;
      const exited = once(child, 'exit') as Promise<[number | null]>;
      child.kill('SIGTERM');
      const [code] = await exited;
      return code;
    },
  };
}
