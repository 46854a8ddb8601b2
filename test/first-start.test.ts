import { execFile, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, expect, it } from 'vitest';
import { freePort } from './support/postgres-server.ts';
import { until } from './support/until.ts';

// What a newcomer does after `npm install && npm start`: read what the first start printed,
// paste the command, open the paymentUrl, sign in to the dashboard.
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'payrail-first-start-'));
let gateway: ChildProcess | undefined;

afterAll(() => {
  gateway?.kill('SIGKILL');
  fs.rmSync(dataDir, { recursive: true, force: true });
});

it('first start prints a demo merchant, an operator and a command that creates a payable checkout', async () => {
  const port = await freePort();
  let output = '';
  gateway = spawn(process.execPath, [path.join(root, 'bin', 'payrail.js'), 'start', '--port', String(port)], {
    cwd: root,
    env: { ...process.env, DATABASE_URL: '', DATA_DIR: dataDir, PAYRAIL_ENV: 'development', LOG_LEVEL: 'warn', PUBLIC_URL: '' },
  });
  gateway.stdout!.on('data', (chunk) => (output += chunk));
  gateway.stderr!.on('data', (chunk) => (output += chunk));
  await until(() => output.includes("node -e '"), 110_000, 100);

  expect(output).toMatch(/merchantNo {2}\d{10}/);
  expect(output).toMatch(/app secret {2}[0-9a-f]{64}/);
  const dashboard = /dashboard {3}(\S+) {2}\(operator (\S+), password (\S+)\)/.exec(output);
  expect(dashboard?.[1]).toBe(`http://localhost:${port}/dashboard`);

  const command = output.split('\n').find((line) => line.startsWith("node -e '"))!;
  const printed = await new Promise<string>((resolve, reject) =>
    execFile('bash', ['-c', command], { timeout: 20_000 }, (error, stdout) => (error ? reject(error) : resolve(stdout.trim()))),
  );
  expect(printed).toMatch(new RegExp(`^http://localhost:${port}/checkout\\?data=[0-9a-f]{64}$`));
  const page = await fetch(printed);
  expect(page.status).toBe(200);
  expect(await page.text()).toContain('Demo Store');

  const login = await fetch(`http://localhost:${port}/dashboard/login`);
  expect(login.status).toBe(200);
  expect(fs.existsSync(path.join(dataDir, 'master.key'))).toBe(true);
}, 180_000);

it('first start in production creates nothing, prints no secret, and says how to create a merchant and an operator', async () => {
  const port = await freePort();
  const productionData = fs.mkdtempSync(path.join(os.tmpdir(), 'payrail-first-start-prod-'));
  const env = { ...process.env, DATABASE_URL: '', DATA_DIR: productionData, PAYRAIL_ENV: 'production', PAYRAIL_MASTER_KEY: 'cd'.repeat(32), LOG_LEVEL: 'warn', PUBLIC_URL: '' };
  let output = '';
  const production = spawn(process.execPath, [path.join(root, 'bin', 'payrail.js'), 'start', '--port', String(port)], { cwd: root, env });
  try {
    production.stdout!.on('data', (chunk) => (output += chunk));
    production.stderr!.on('data', (chunk) => (output += chunk));
    await until(() => output.includes('payrail admin create'), 110_000, 100);
    expect(output).toContain('payrail merchant create --name');
    expect(output).not.toMatch(/app secret {2}[0-9a-f]{64}/);
    expect(output).not.toMatch(/password [A-Za-z0-9]{8,}/);
    expect(output).not.toContain("node -e '");
  } finally {
    production.kill('SIGTERM');
    await new Promise((resolve) => production.once('exit', resolve));
  }
  const list = await new Promise<string>((resolve, reject) =>
    execFile(process.execPath, [path.join(root, 'bin', 'payrail.js'), 'merchant', 'list', '--json'], { cwd: root, env, timeout: 30_000 }, (error, stdout) => (error ? reject(error) : resolve(stdout.trim()))),
  );
  expect(JSON.parse(list)).toEqual([]);
  fs.rmSync(productionData, { recursive: true, force: true });
}, 180_000);
