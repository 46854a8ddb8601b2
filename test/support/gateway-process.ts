import { execFile, spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from './postgres-server.ts';

/** The real `payrail` command as child processes, for tests that kill them. */
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const bin = path.join(root, 'bin', 'payrail.js');

export const alive = (child: ChildProcess) => child.exitCode === null && child.signalCode === null;

export function stop(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  return new Promise((resolve) => {
    if (!alive(child)) return resolve();
    child.once('exit', () => resolve());
    child.kill(signal);
  });
}

export const kill9 = (child: ChildProcess) => stop(child, 'SIGKILL');

export function payrail(args: string[], env: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [bin, ...args], { cwd: root, env, timeout: 120_000 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`payrail ${args.join(' ')} failed: ${stderr || error.message}`));
      else resolve(stdout);
    });
  });
}

export interface RunningGateway {
  child: ChildProcess;
  base: string;
  output: () => string;
}

/** Starts `payrail start` and resolves once /readyz answers 200. */
export async function startGatewayProcess(env: NodeJS.ProcessEnv, workers: number, readyWithinMs = 60_000): Promise<RunningGateway> {
  const port = await freePort();
  const child = spawn(process.execPath, [bin, 'start', '--port', String(port), '--workers', String(workers)], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + readyWithinMs;
  for (;;) {
    if (!alive(child)) throw new Error(`payrail start exited (${child.exitCode ?? child.signalCode}) before it was ready:\n${output}`);
    try {
      const response = await fetch(`${base}/readyz`, { signal: AbortSignal.timeout(1_000) });
      if (response.status === 200) break;
    } catch {}
    if (Date.now() > deadline) {
      await kill9(child);
      throw new Error(`payrail start was not ready within ${readyWithinMs} ms:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return { child, base, output: () => output };
}
