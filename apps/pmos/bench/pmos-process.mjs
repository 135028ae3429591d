// The built `pmos start` as a child process, for benchmarks that drive it over HTTP.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const cli = fileURLToPath(new URL('../dist/cli.js', import.meta.url));

/** Starts `pmos start` with `env` (plus PATH, LOG_LEVEL=error, PORT=0); resolves once ready. */
export function startPmos(env) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cli, 'start'], {
      env: {
        PATH: process.env.PATH,
        LOG_LEVEL: 'error',
        PORT: '0',
        ...(process.env.BENCH_NODE_OPTIONS ? { NODE_OPTIONS: process.env.BENCH_NODE_OPTIONS } : {}),
        ...env,
      },
    });
    let output = '';
    const onData = (chunk) => {
      output += chunk;
      const match = /PMOS ready on (\S+)/.exec(output);
      if (match) resolve({ url: match[1], child, output: () => output });
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code) => reject(new Error(`pmos start exited ${code}:\n${output}`)));
  });
}

export async function stop(child) {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

/**
 * Signs the first account (the super admin) up on a fresh PMOS; answers its workspace id,
 * its session cookie, and `call(method, path, body)` for the API as that account.
 */
export async function signUpFirstAccount(url) {
  const headers = { 'content-type': 'application/json', origin: url };
  const signUp = await fetch(`${url}/api/auth/sign-up`, {
    method: 'POST',
    headers,
    body: JSON.stringify({
      email: 'bench@example.com',
      password: 'correct horse battery staple',
      name: 'B',
    }),
  });
  const cookie = (signUp.headers.getSetCookie()[0] ?? '').split(';')[0];
  const ws = (await signUp.json()).workspaces[0].id;
  const call = async (method, path, body) => {
    const response = await fetch(`${url}${path}`, {
      method,
      headers: { ...headers, cookie },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (response.status >= 400) throw new Error(`${method} ${path}: ${await response.text()}`);
    return response.status === 204 ? null : response.json();
  };
  return { ws, cookie, call };
}
