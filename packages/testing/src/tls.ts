import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** PEM files of a test CA and a server certificate it signed, valid for 127.0.0.1 and localhost. */
export interface TestCertificates {
  caFile: string;
  certFile: string;
  keyFile: string;
  /** A second CA that signed nothing here: trusting it instead must fail. */
  otherCaFile: string;
  ca: Buffer;
  otherCa: Buffer;
  remove(): Promise<void>;
}

/**
 * Makes a throw-away CA and a loopback server certificate with the openssl command line (EC keys:
 * quick to make on a busy machine). Nothing is cached: every test run has fresh keys.
 */
export async function makeTestCertificates(): Promise<TestCertificates> {
  const dir = await mkdtemp(join(tmpdir(), 'atrium-tls-'));
  const path = (name: string) => join(dir, name);
  const ecKey = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  try {
    const makeCa = (name: string) =>
      run('openssl', ['req', '-x509', ...ecKey, '-keyout', path(`${name}.key`), '-out', path(`${name}.pem`), '-days', '2', '-subj', `/CN=Atrium ${name}`]);
    await Promise.all([makeCa('test-ca'), makeCa('other-ca')]);
    await run('openssl', ['req', ...ecKey, '-keyout', path('server.key'), '-out', path('server.csr'), '-subj', '/CN=127.0.0.1']);
    await writeFile(path('server.ext'), 'subjectAltName = IP:127.0.0.1, DNS:localhost\nextendedKeyUsage = serverAuth\n');
    await run('openssl', [
      'x509', '-req', '-in', path('server.csr'), '-CA', path('test-ca.pem'), '-CAkey', path('test-ca.key'), '-CAcreateserial',
      '-out', path('server.pem'), '-days', '2', '-extfile', path('server.ext'),
    ]);
    const [ca, otherCa] = await Promise.all([readFile(path('test-ca.pem')), readFile(path('other-ca.pem'))]);
    return {
      caFile: path('test-ca.pem'),
      certFile: path('server.pem'),
      keyFile: path('server.key'),
      otherCaFile: path('other-ca.pem'),
      ca,
      otherCa,
      remove: () => rm(dir, { recursive: true, force: true }),
    };
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
}
