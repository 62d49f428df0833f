/**
 * The deployment files in infra/: every Kubernetes manifest validated against the Kubernetes
 * schemas (kubernetes-models), and held to what the server really does (probe paths, ports,
 * variables it reads, the shutdown budget). No cluster runs here; this is their test.
 */
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, posix } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Deployment } from 'kubernetes-models/apps/v1';
import { Job } from 'kubernetes-models/batch/v1';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1';
import { ConfigMap, Secret, Service } from 'kubernetes-models/v1';
import { describe, expect, it, onTestFinished } from 'vitest';
import { parseAllDocuments, parse } from 'yaml';
import { readServerEnv } from './env';

const infra = fileURLToPath(new URL('../../../../infra/', import.meta.url));
const k8s = `${infra}k8s/`;
const models = { Deployment, Job, PodDisruptionBudget, ConfigMap, Secret, Service } as const;
type Kind = keyof typeof models;
type Resource = { apiVersion: string; kind: Kind; metadata: { name: string; labels?: Record<string, string> }; [key: string]: unknown };

const manifestFiles = readdirSync(k8s).filter((name) => name.endsWith('.yaml') && name !== 'kustomization.yaml');
const resources: (Resource & { file: string })[] = manifestFiles.flatMap((file) =>
  parseAllDocuments(readFileSync(`${k8s}${file}`, 'utf8')).map((document) => {
    if (document.errors.length) throw new Error(`${file}: ${document.errors.map(String).join('; ')}`);
    return { ...(document.toJS() as Resource), file };
  }),
);
const ofKind = <K extends Kind>(kind: K) =>
  resources.filter((resource) => resource.kind === kind).map((resource) => new models[kind](resource as never) as InstanceType<(typeof models)[K]>);

/** Every variable .env.example documents. */
const documented = new Set(
  readFileSync(fileURLToPath(new URL('../../../../.env.example', import.meta.url)), 'utf8')
    .split('\n')
    .flatMap((line) => /^([A-Z][A-Z0-9_]*)=/.exec(line)?.[1] ?? []),
);

/**
 * Whether a container's command starts `app`'s compiled server through tooling/start-server.sh,
 * with no npm in between: npm's shell does not pass a stop signal on, the launcher execs node.
 * Paths as the image lays out the repository (/app).
 */
function runsLauncher(workingDir: string, command: string[], app: string) {
  const [shell, launcher, script, ...rest] = command;
  expect(shell).toBe('sh');
  expect(posix.resolve(workingDir, launcher!)).toBe('/app/tooling/start-server.sh');
  expect(posix.resolve(workingDir, script!)).toBe(`/app/apps/${app}/build/node/server.js`);
  expect(rest).toEqual([]);
}

describe('infra/k8s', () => {
  it('holds only resources of known kinds, each valid against the Kubernetes schema', () => {
    expect(resources.length).toBeGreaterThanOrEqual(8);
    for (const resource of resources) {
      const Model = models[resource.kind];
      expect(Model, `${resource.file}: ${resource.kind}`).toBeDefined();
      expect(() => new Model(resource as never).validate(), `${resource.file}: ${resource.kind} ${resource.metadata.name}`).not.toThrow();
    }
  });

  it('refuses a broken manifest: the validation is real', () => {
    const [deployment] = resources.filter((resource) => resource.kind === 'Deployment');
    const broken = structuredClone(deployment!) as unknown as { spec: { replicas: unknown } };
    broken.spec.replicas = 'three';
    expect(() => new Deployment(broken as never).validate()).toThrow();
  });

  it('runs web and admin with liveness on /healthz and readiness on /readyz, on the port each listens on', () => {
    const deployments = ofKind('Deployment');
    expect(deployments.map((deployment) => deployment.metadata!.name).sort()).toEqual(['atrium-admin', 'atrium-web']);
    for (const deployment of deployments) {
      const [container] = deployment.spec!.template.spec!.containers;
      const port = container!.env!.find((variable) => variable.name === 'PORT')!.value;
      const http = container!.ports!.find((candidate) => candidate.name === 'http')!;
      expect(String(http.containerPort)).toBe(port);
      expect(container!.livenessProbe!.httpGet).toMatchObject({ path: '/healthz', port: 'http' });
      expect(container!.readinessProbe!.httpGet).toMatchObject({ path: '/readyz', port: 'http' });
      expect(container!.envFrom).toEqual([{ configMapRef: { name: 'atrium-config' } }, { secretRef: { name: 'atrium-secrets' } }]);
    }
  });

  it("runs each app's start script without npm in between (the launcher execs node, so SIGTERM reaches it)", () => {
    for (const deployment of ofKind('Deployment')) {
      const [container] = deployment.spec!.template.spec!.containers;
      const app = container!.workingDir!.split('/').pop()!;
      runsLauncher(container!.workingDir!, container!.command!, app);
    }
  });

  it('gives a stopping pod longer than the shutdown it was configured for', () => {
    const [config] = ofKind('ConfigMap');
    const env = readServerEnv(config!.data as NodeJS.ProcessEnv);
    const needed = env.SHUTDOWN_DELAY_SECONDS + env.SHUTDOWN_DRAIN_SECONDS + env.JOBS_STOP_TIMEOUT_MS / 1000;
    for (const deployment of ofKind('Deployment')) expect(deployment.spec!.template.spec!.terminationGracePeriodSeconds).toBeGreaterThan(needed);
    expect(env.METRICS_PORT).toBe(9464);
  });

  it('guards each Deployment with a PodDisruptionBudget and a Service that select its pods', () => {
    for (const deployment of ofKind('Deployment')) {
      const labels = deployment.spec!.template.metadata!.labels!;
      const matches = (selector: Record<string, string> | undefined) => Object.entries(selector ?? {}).every(([key, value]) => labels[key] === value);
      expect(ofKind('PodDisruptionBudget').filter((pdb) => matches(pdb.spec!.selector!.matchLabels))).toHaveLength(1);
      expect(ofKind('Service').filter((service) => matches(service.spec!.selector))).toHaveLength(1);
      expect(matches(deployment.spec!.selector.matchLabels)).toBe(true);
    }
  });

  it('splits settings into a ConfigMap and secrets into a Secret, every name one the server documents', () => {
    const [config] = ofKind('ConfigMap');
    const [secret] = ofKind('Secret');
    const configKeys = Object.keys(config!.data!);
    const secretKeys = Object.keys(secret!.stringData!);
    for (const key of [...configKeys, ...secretKeys]) expect(documented, key).toContain(key);
    for (const key of configKeys) expect(key).not.toMatch(/PASSWORD|SECRET|API_KEY|_TOKEN$|DATABASE_URL/);
    expect(secretKeys).toEqual(expect.arrayContaining(['DATABASE_URL', 'LDAP_BIND_PASSWORD']));
    // The ConfigMap is a valid server environment as it stands.
    expect(() => readServerEnv(config!.data as NodeJS.ProcessEnv)).not.toThrow();
  });

  it('migrates with a Job that runs once, with the same configuration as the apps', () => {
    const [job] = ofKind('Job');
    const pod = job!.spec!.template.spec!;
    expect(pod.restartPolicy).toBe('Never');
    expect(pod.containers[0]!.command!.join(' ')).toContain('npm run db:migrate');
    expect(pod.containers[0]!.envFrom).toEqual([{ configMapRef: { name: 'atrium-config' } }, { secretRef: { name: 'atrium-secrets' } }]);
  });

  it('lists every manifest but the example Secret in kustomization.yaml', () => {
    const kustomization = parse(readFileSync(`${k8s}kustomization.yaml`, 'utf8')) as { resources: string[] };
    expect(kustomization.resources.sort()).toEqual(manifestFiles.filter((file) => file !== 'secret.example.yaml').sort());
  });
});

describe('infra/docker-compose.yml', () => {
  const compose = parse(readFileSync(`${infra}docker-compose.yml`, 'utf8'), { merge: true }) as {
    services: Record<
      string,
      { environment?: Record<string, unknown>; healthcheck?: { test: string[] }; stop_grace_period?: string; command?: string[]; working_dir?: string }
    >;
  };

  it("runs web and admin through the start script's launcher, without npm in between", () => {
    for (const app of ['web', 'admin']) runsLauncher(compose.services[app]!.working_dir!, compose.services[app]!.command!, app);
  });

  it('sets only variables the server documents, and checks the apps through /readyz', () => {
    for (const name of ['migrate', 'web', 'admin']) {
      for (const key of Object.keys(compose.services[name]!.environment ?? {})) expect(documented, `${name}: ${key}`).toContain(key);
    }
    for (const name of ['web', 'admin']) {
      expect(compose.services[name]!.healthcheck!.test.join(' ')).toContain('/readyz');
      expect(compose.services[name]!.stop_grace_period).toBe('60s');
    }
    expect(compose.services.migrate!.command).toEqual(['npm', 'run', 'db:migrate']);
  });
});

describe('infra/Dockerfile', () => {
  it("runs the web app through the start script's launcher by default, without npm in between", () => {
    const lines = readFileSync(`${infra}Dockerfile`, 'utf8').split('\n');
    const runtime = lines.slice(lines.findLastIndex((line) => line.startsWith('FROM ')));
    const workdir = runtime.find((line) => line.startsWith('WORKDIR '))!.slice('WORKDIR '.length);
    const cmd = JSON.parse(runtime.find((line) => line.startsWith('CMD '))!.slice('CMD '.length)) as string[];
    runsLauncher(workdir, cmd, 'web');
  });
});

describe('the node flags the servers run with (tooling/start-server.sh)', () => {
  const launcher = fileURLToPath(new URL('../../../../tooling/start-server.sh', import.meta.url));
  const startScript = (app: string) =>
    (JSON.parse(readFileSync(fileURLToPath(new URL(`../../../../apps/${app}/package.json`, import.meta.url)), 'utf8')) as { scripts: { start: string } }).scripts.start;
  // The launcher runs `node` from PATH: this one.
  const env = (DATABASE_URL: string | undefined) => {
    const { DATABASE_URL: _ignored, ...rest } = process.env;
    return { ...rest, PATH: `${dirname(process.execPath)}:${process.env.PATH}`, ...(DATABASE_URL === undefined ? {} : { DATABASE_URL }) };
  };
  // What the benchmarks measure (bench/production-flags.ts reads them the same way).
  const flagsFor = (DATABASE_URL: string | undefined) =>
    spawnSync('sh', [launcher, '--print-flags'], { encoding: 'utf8', env: env(DATABASE_URL) }).stdout.split(/\s+/).filter(Boolean);
  const postgresql = flagsFor('postgres://atrium@db.example.edu:5432/atrium');
  const pglite = flagsFor(undefined);

  it("are the launcher's in both apps' start scripts (which the Dockerfile and docker-compose run)", () => {
    for (const app of ['web', 'admin']) expect(startScript(app)).toBe('NODE_ENV=production sh ../../tooling/start-server.sh build/node/server.js');
  });

  it('collect Buffers young and garbage early in every install, and compile WebAssembly with the baseline tier only for the embedded database', () => {
    // docs/decisions/113: without it a large transfer's used Buffers wait for V8's 64 MB external-memory limit.
    expect(postgresql).toContain('--scavenger-max-new-space-capacity-mb=1');
    // docs/decisions/191: without it 100 streams' garbage lifts RSS past 300 MiB before a full collection.
    expect(postgresql).toContain('--heap-growing-percent=30');
    // docs/decisions/191: PGlite's optimized WebAssembly costs ~70-250 MiB; PostgreSQL installs run no WebAssembly of their own.
    expect(postgresql).not.toContain('--liftoff-only');
    expect(pglite).toEqual([...postgresql, '--liftoff-only']);
    // An empty DATABASE_URL (.env.example's) means PGlite, as packages/db reads it.
    expect(flagsFor('')).toEqual(pglite);
  });

  it('are all known to this node, which refuses to start on a flag it does not know', () => {
    for (const flags of [postgresql, pglite]) {
      const run = spawnSync(process.execPath, [...flags, '-e', '0'], { encoding: 'utf8' });
      expect(run.stderr).toBe('');
      expect(run.status).toBe(0);
    }
    expect(spawnSync(process.execPath, ['--no-such-v8-flag-here=1', '-e', '0']).status).not.toBe(0);
  });

  it('reach node, which replaces the launcher: same process, and SIGTERM goes to its handler', async () => {
    // A server in miniature: says who it is, and stops gracefully on SIGTERM.
    const server = join(mkdtempSync(join(tmpdir(), 'atrium-launcher-')), 'server.mjs');
    writeFileSync(
      server,
      `process.on('SIGTERM', () => { console.log('graceful'); process.exit(0); });
      console.log(JSON.stringify({ pid: process.pid, execArgv: process.execArgv })); setInterval(() => {}, 1000);`,
    );
    onTestFinished(() => rmSync(dirname(server), { recursive: true, force: true }));
    const child = spawn('sh', [launcher, server], { env: env(undefined), stdio: ['ignore', 'pipe', 'inherit'] });
    onTestFinished(() => void child.kill('SIGKILL'));
    let output = '';
    child.stdout.on('data', (chunk) => (output += String(chunk)));
    const exited = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
    while (!output.includes('\n')) await new Promise((resolve) => setTimeout(resolve, 20));
    const started = JSON.parse(output.split('\n')[0]!) as { pid: number; execArgv: string[] };
    expect(started.pid).toBe(child.pid);
    expect(started.execArgv).toEqual(pglite);
    child.kill('SIGTERM');
    expect(await exited).toEqual([0, null]);
    expect(output).toContain('graceful');
  });
});
