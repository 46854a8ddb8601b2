import { execFile, spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from './postgres-server.ts';
import { until } from './until.ts';

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

/** Every `payrail start` this module started, so an afterAll can kill what a failing test left behind. */
const started = new Set<ChildProcess>();
export const killStartedGateways = () => Promise.all([...started].filter(alive).map(kill9));

export interface PayrailRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `payrail ARGS` with exactly `env` to its end: its exit code and output, never a rejection. */
function execPayrail(args: string[], env: NodeJS.ProcessEnv, timeoutMs: number): Promise<PayrailRun> {
  return new Promise((resolve) => {
    execFile(process.execPath, [bin, ...args], { cwd: root, env, timeout: timeoutMs }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : null) : 0, stdout, stderr });
    });
  });
}

/** `payrail ARGS` as an operator runs it: this environment, on an embedded (PGlite) database unless `env` names one. */
export const runPayrail = (args: string[], env: Record<string, string>, timeoutMs = 180_000) =>
  execPayrail(args, { ...process.env, DATABASE_URL: '', ...env }, timeoutMs);

/** `payrail ARGS` with exactly `env`: its stdout, or a rejection with its stderr when it fails. */
export async function payrail(args: string[], env: NodeJS.ProcessEnv): Promise<string> {
  const run = await execPayrail(args, env, 120_000);
  if (run.code !== 0) throw new Error(`payrail ${args.join(' ')} failed: ${run.stderr || `exit ${run.code}`}`);
  return run.stdout;
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
  started.add(child);
  const ready = async () => {
    if (!alive(child)) throw new Error(`payrail start exited (${child.exitCode ?? child.signalCode}) before it was ready:\n${output}`);
    const response = await fetch(`${base}/readyz`, { signal: AbortSignal.timeout(1_000) }).catch(() => undefined);
    return response?.status === 200;
  };
  try {
    await until(ready, readyWithinMs, 100, 'payrail start ready');
  } catch (error) {
    if (!alive(child)) throw error;
    await kill9(child);
    throw new Error(`payrail start was not ready within ${readyWithinMs} ms:\n${output}`);
  }
  return { child, base, output: () => output };
}
