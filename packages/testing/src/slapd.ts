import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { Attribute, Change, Client, DN } from 'ldapts';

const SLAPD = process.env.SLAPD_PATH ?? '/usr/sbin/slapd';
const SLAPADD = join(dirname(SLAPD), 'slapadd');
const LDAP_FILES = fileURLToPath(new URL('../../../infra/ldap/', import.meta.url));
const STARTUP_TIMEOUT_MS = 10_000;

/** The fixed names of infra/ldap/{base,seed}.ldif and slapd.conf.template. */
export const seedDirectory = {
  baseDn: 'dc=atrium,dc=test',
  peopleDn: 'ou=people,dc=atrium,dc=test',
  groupsDn: 'ou=groups,dc=atrium,dc=test',
  serviceDn: 'cn=service,dc=atrium,dc=test',
  servicePassword: 'service-secret',
  adminDn: 'cn=admin,dc=atrium,dc=test',
  adminPassword: 'admin-secret',
} as const;

export type SeedGroup = 'students' | 'staff' | 'admins' | 'atrium-users' | 'ta';

export interface SeedUser {
  uid: string;
  password: string;
  displayName: string;
  mail: string;
  groups: SeedGroup[];
}

export const seedUsers = {
  alice: seedUser('alice', 'Alice Student', ['students', 'atrium-users']),
  bob: seedUser('bob', 'Bob Staff', ['staff', 'atrium-users']),
  carol: seedUser('carol', 'Carol Admin', ['admins', 'atrium-users']),
  dave: seedUser('dave', 'Dave Outsider', []),
  paren: { ...seedUser('paren', 'Paren Thesis', ['students', 'atrium-users']), uid: 'paren(thesis)' },
  /** Directly only in `ta`; staff and allowed through `ta ∈ staff ∈ atrium-users`. */
  tom: seedUser('tom', 'Tom Assistant', ['ta']),
} satisfies Record<string, SeedUser>;

function seedUser(name: string, displayName: string, groups: SeedGroup[]): SeedUser {
  return { uid: name, password: `${name}-pass`, displayName, mail: `${name}@atrium.test`, groups };
}

export const userDn = (uid: string) => `${new DN({ uid }).toString()},${seedDirectory.peopleDn}`;
export const groupDn = (group: string) => `${new DN({ cn: group }).toString()},${seedDirectory.groupsDn}`;

export interface Slapd {
  url: string;
  baseDn: string;
  /** The read-only service account the apps bind as. */
  bindDn: string;
  bindPassword: string;
  /** The LDAP_* variables that point an app at this server. */
  env: { LDAP_URL: string; LDAP_BASE_DN: string; LDAP_BIND_DN: string; LDAP_BIND_PASSWORD: string };
  addUserToGroup(uid: string, group: string): Promise<void>;
  removeUserFromGroup(uid: string, group: string): Promise<void>;
  /** Stops the server and deletes its database. */
  stop(): Promise<void>;
}

/** A server certificate and key (PEM files) for slapd to offer through StartTLS. */
export type SlapdTls = {
  certFile: string;
  keyFile: string;
  /** Refuse every operation on a connection that has not been upgraded (slapd's `security tls=1`). */
  required?: boolean;
};

/** Starts a private slapd on loopback, loaded with infra/ldap's seed directory. */
export async function startSlapd(options: { port?: number; tls?: SlapdTls } = {}): Promise<Slapd> {
  for (const binary of [SLAPD, SLAPADD]) {
    if (!existsSync(binary)) {
      throw new Error(`${binary} is missing: install OpenLDAP with \`apt-get install slapd ldap-utils\``);
    }
  }
  const workDir = await mkdtemp(join(tmpdir(), 'atrium-slapd-'));
  try {
    const configFile = await writeDatabase(workDir, options.tls);
    const port = options.port ?? (await findFreePort());
    const url = `ldap://127.0.0.1:${port}`;
    // The harness's own connections (readiness, group changes) must upgrade where slapd requires it.
    const upgrade = options.tls?.required ?? false;
    const server = spawn(SLAPD, ['-h', `${url}/`, '-f', configFile, '-d', '0'], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    const killOnExit = () => server.kill('SIGKILL');
    process.once('exit', killOnExit);
    const stop = async () => {
      process.off('exit', killOnExit);
      await stopProcess(server);
      await rm(workDir, { recursive: true, force: true });
    };
    try {
      await waitUntilAnswering(url, server, upgrade);
    } catch (error) {
      await stop();
      throw error;
    }
    const { baseDn, serviceDn, servicePassword } = seedDirectory;
    return {
      url,
      baseDn,
      bindDn: serviceDn,
      bindPassword: servicePassword,
      env: { LDAP_URL: url, LDAP_BASE_DN: baseDn, LDAP_BIND_DN: serviceDn, LDAP_BIND_PASSWORD: servicePassword },
      addUserToGroup: (uid, group) => changeMembership(url, upgrade, 'add', uid, group),
      removeUserFromGroup: (uid, group) => changeMembership(url, upgrade, 'delete', uid, group),
      stop,
    };
  } catch (error) {
    await rm(workDir, { recursive: true, force: true });
    throw error;
  }
}

async function writeDatabase(workDir: string, tls?: SlapdTls): Promise<string> {
  const [template, base, seed] = await Promise.all(
    ['slapd.conf.template', 'base.ldif', 'seed.ldif'].map((name) => readFile(join(LDAP_FILES, name), 'utf8')),
  );
  const configFile = join(workDir, 'slapd.conf');
  const ldifFile = join(workDir, 'directory.ldif');
  await mkdir(join(workDir, 'data'));
  let config = template!.replaceAll('{{DIRECTORY}}', workDir);
  if (tls) {
    // Global settings: they must come before the first database section.
    const tlsLines = [
      `TLSCertificateFile ${JSON.stringify(tls.certFile)}`,
      `TLSCertificateKeyFile ${JSON.stringify(tls.keyFile)}`,
      ...(tls.required ? ['security tls=1'] : []),
      '',
      '',
    ].join('\n');
    config = config.replace(/^database\s/m, (match) => `${tlsLines}${match}`);
  }
  await writeFile(configFile, config);
  await writeFile(ldifFile, `${base}\n${seed}`);
  await promisify(execFile)(SLAPADD, ['-q', '-f', configFile, '-l', ldifFile]);
  return configFile;
}

function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

async function waitUntilAnswering(url: string, server: ChildProcess, upgrade: boolean): Promise<void> {
  let stderr = '';
  server.stderr?.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
  const deadline = Date.now() + STARTUP_TIMEOUT_MS;
  for (;;) {
    if (server.exitCode !== null || server.signalCode !== null) {
      throw new Error(`slapd exited during start-up (${server.exitCode ?? server.signalCode}):\n${stderr}`);
    }
    const client = new Client({ url, connectTimeout: 500 });
    try {
      if (upgrade) await client.startTLS({ rejectUnauthorized: false });
      await client.bind(seedDirectory.serviceDn, seedDirectory.servicePassword);
      return;
    } catch (error) {
      if (Date.now() > deadline)
        throw new Error(`slapd did not answer on ${url} within ${STARTUP_TIMEOUT_MS} ms`, { cause: error });
      await new Promise((resolve) => setTimeout(resolve, 50));
    } finally {
      await client.unbind().catch(() => {});
    }
  }
}

async function stopProcess(server: ChildProcess): Promise<void> {
  if (server.exitCode !== null || server.signalCode !== null) return;
  const exited = new Promise((resolve) => server.once('exit', resolve));
  server.kill('SIGTERM');
  const forceKill = setTimeout(() => server.kill('SIGKILL'), 5_000);
  await exited;
  clearTimeout(forceKill);
}

async function changeMembership(url: string, upgrade: boolean, operation: 'add' | 'delete', uid: string, group: string): Promise<void> {
  const client = new Client({ url });
  try {
    // The harness trusts its own test certificate; the code under test is what must verify it.
    if (upgrade) await client.startTLS({ rejectUnauthorized: false });
    await client.bind(seedDirectory.adminDn, seedDirectory.adminPassword);
    const modification = new Attribute({ type: 'member', values: [userDn(uid)] });
    await client.modify(groupDn(group), new Change({ operation, modification }));
  } finally {
    await client.unbind();
  }
}
