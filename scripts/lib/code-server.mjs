// Starts and stops a real VS Code (code-server) for the integration and e2e tiers, in a scratch folder
// with its own user data, extensions and XDG folders, on a free loopback port.
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, writeFileSync, cpSync, existsSync, readFileSync, openSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir, homedir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Reads the tool paths written by scripts/install-test-tools.sh, installing the tools when missing. */
export function testTools() {
  const cache = process.env.GREENLENS_TEST_TOOLS || join(homedir(), '.cache', 'greenlens-test-tools');
  const envFile = join(cache, 'env.sh');
  if (!existsSync(envFile)) {
    execFileSync('bash', [join(repoRoot, 'scripts/install-test-tools.sh')], { stdio: ['ignore', 'ignore', 'inherit'] });
  }
  const vars = Object.fromEntries(
    readFileSync(envFile, 'utf8')
      .split('\n')
      .map((l) => l.match(/^export (\w+)="(.*)"$/))
      .filter(Boolean)
      .map((m) => [m[1], m[2]]),
  );
  for (const key of ['GREENLENS_NODE24', 'GREENLENS_CODE_SERVER', 'GREENLENS_CHROMIUM']) {
    if (!vars[key] || !existsSync(vars[key]))
      throw new Error(`${key} is missing; run: bash scripts/install-test-tools.sh`);
  }
  return { node24: vars.GREENLENS_NODE24, codeServer: vars.GREENLENS_CODE_SERVER, chromium: vars.GREENLENS_CHROMIUM };
}

export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

/** Copies a folder (examples/) into a scratch workspace so that tests never touch the repository copy. */
export function scratchWorkspace(from, scratch) {
  const to = join(scratch, 'workspace');
  cpSync(from, to, { recursive: true });
  return to;
}

/**
 * Starts code-server; resolves once /healthz answers. With `untrusted`, workspace trust stays on and no
 * prompt is shown, so an opened folder is in Restricted Mode, as a freshly cloned repository would be.
 */
export async function startCodeServer({ name = 'cs', env = {}, settings = {}, extensionsDir, untrusted = false } = {}) {
  const tools = testTools();
  const scratch = mkdtempSync(join(tmpdir(), `greenlens-${name}-`));
  const userData = join(scratch, 'user-data');
  mkdirSync(join(userData, 'User'), { recursive: true });
  writeFileSync(
    join(userData, 'User', 'settings.json'),
    JSON.stringify(
      {
        'workbench.startupEditor': 'none',
        'telemetry.telemetryLevel': 'off',
        'extensions.autoCheckUpdates': false,
        'extensions.autoUpdate': false,
        'workbench.tips.enabled': false,
        'security.workspace.trust.enabled': untrusted,
        ...(untrusted && {
          'security.workspace.trust.startupPrompt': 'never',
          'security.workspace.trust.emptyWindow': false,
        }),
        'chat.disableAIFeatures': true,
        'workbench.welcomePage.walkthroughs.openOnInstall': false,
        ...settings,
      },
      null,
      2,
    ),
  );
  const extDir = extensionsDir ?? join(scratch, 'extensions');
  mkdirSync(extDir, { recursive: true });
  const port = await freePort();
  const log = join(scratch, 'code-server.log');
  const out = openSync(log, 'a');
  const args = [
    tools.codeServer,
    '--bind-addr',
    `127.0.0.1:${port}`,
    '--auth',
    'none',
    '--disable-telemetry',
    '--disable-update-check',
    ...(untrusted ? [] : ['--disable-workspace-trust']),
    '--reconnection-grace-time',
    '5',
    '--user-data-dir',
    userData,
    '--extensions-dir',
    extDir,
    '--vscode-option',
    'enable-smoke-test-driver',
  ];
  const child = spawn(tools.node24, args, {
    detached: true,
    stdio: ['ignore', out, out],
    env: {
      ...process.env,
      XDG_CONFIG_HOME: join(scratch, 'xdg-config'),
      XDG_DATA_HOME: join(scratch, 'xdg-data'),
      XDG_CACHE_HOME: join(scratch, 'xdg-cache'),
      ...env,
    },
  });
  const stop = () => {
    try {
      process.kill(-child.pid, 'SIGTERM');
    } catch {
      /* already gone */
    }
    setTimeout(() => {
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        /* gone */
      }
    }, 2000).unref();
  };
  const deadline = Date.now() + 90_000;
  for (;;) {
    if (child.exitCode !== null)
      throw new Error(
        `code-server exited with ${child.exitCode}; log: ${log}\n${readFileSync(log, 'utf8').slice(-2000)}`,
      );
    try {
      const r = await fetch(`http://127.0.0.1:${port}/healthz`);
      if (r.ok) break;
    } catch {
      /* not up yet */
    }
    if (Date.now() > deadline) {
      stop();
      throw new Error(`code-server did not answer /healthz within 90 s; log: ${log}`);
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  return { port, origin: `http://127.0.0.1:${port}`, scratch, userData, extensionsDir: extDir, log, tools, stop };
}

/** Installs a .vsix into an extensions folder with code-server's own CLI. */
export function installVsix(vsix, extensionsDir) {
  const tools = testTools();
  const scratch = mkdtempSync(join(tmpdir(), 'greenlens-vsix-'));
  return execFileSync(
    tools.node24,
    [
      tools.codeServer,
      '--extensions-dir',
      extensionsDir,
      '--user-data-dir',
      join(scratch, 'ud'),
      '--install-extension',
      vsix,
      '--force',
    ],
    {
      encoding: 'utf8',
      env: { ...process.env, XDG_CONFIG_HOME: join(scratch, 'xdg-config'), XDG_DATA_HOME: join(scratch, 'xdg-data') },
    },
  );
}

/** Launches Debian's chromium through playwright-core with the flags that keep it off the network. */
export async function launchBrowser() {
  const { chromium } = await import('playwright-core');
  const tools = testTools();
  const profile = mkdtempSync(join(tmpdir(), 'greenlens-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: tools.chromium,
    headless: true,
    viewport: { width: 1400, height: 900 },
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-dev-shm-usage',
    ],
  });
  return context;
}

/** The URL that opens a folder with extension-development payload entries. */
export function workbenchUrl(server, folder, payload) {
  const params = new URLSearchParams({ folder });
  if (payload) params.set('payload', JSON.stringify(payload));
  return `${server.origin}/?${params.toString()}`;
}

/** A vscode-remote URI of a local path as seen through this server. */
export function remoteUri(server, path) {
  return `vscode-remote://127.0.0.1:${server.port}${path}`;
}
