import { createServer } from 'node:net';
import { Client, EqualityFilter, InvalidCredentialsError } from 'ldapts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { groupDn, seedDirectory, seedUsers, startSlapd, userDn, type Slapd } from './slapd';

async function withClient<T>(url: string, run: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ url });
  try {
    return await run(client);
  } finally {
    await client.unbind();
  }
}

describe('startSlapd', () => {
  let slapd: Slapd;
  beforeAll(async () => {
    slapd = await startSlapd();
  });
  afterAll(() => slapd?.stop());

  const asService = <T>(run: (client: Client) => Promise<T>) =>
    withClient(slapd.url, async (client) => {
      await client.bind(slapd.bindDn, slapd.bindPassword);
      return run(client);
    });

  const findUser = (uid: string) =>
    asService(async (client) => {
      const filter = new EqualityFilter({ attribute: 'uid', value: uid });
      const { searchEntries } = await client.search(slapd.baseDn, {
        filter,
        attributes: ['displayName', 'mail', 'memberOf'],
      });
      return searchEntries;
    });

  const groupsWithMember = (uid: string) =>
    asService(async (client) => {
      const filter = new EqualityFilter({ attribute: 'member', value: userDn(uid) });
      const { searchEntries } = await client.search(seedDirectory.groupsDn, { filter, attributes: ['cn'] });
      return searchEntries.map((entry) => entry.cn).sort();
    });

  it('lets the service account find a user by uid', async () => {
    const [alice, ...others] = await findUser('alice');
    expect(others).toEqual([]);
    expect(alice).toMatchObject({ dn: userDn('alice'), displayName: 'Alice Student', mail: 'alice@atrium.test' });
  });

  it('finds a uid with filter metacharacters through an escaped filter', async () => {
    const entries = await findUser(seedUsers.paren.uid);
    expect(entries.map((entry) => entry.dn)).toEqual(['uid=paren(thesis),ou=people,dc=atrium,dc=test']);
  });

  it("accepts a user's own password and refuses a wrong one", async () => {
    const { uid, password } = seedUsers.alice;
    await withClient(slapd.url, (client) => client.bind(userDn(uid), password));
    await expect(
      withClient(slapd.url, (client) => client.bind(userDn(uid), 'not-her-password')),
    ).rejects.toBeInstanceOf(InvalidCredentialsError);
  });

  it('resolves group membership through memberOf and through a member search', async () => {
    for (const user of Object.values(seedUsers)) {
      const [entry] = await findUser(user.uid);
      const expectedDns = user.groups.map((group) => groupDn(group)).sort();
      expect([entry?.memberOf ?? []].flat().sort(), user.uid).toEqual(expectedDns);
      expect(await groupsWithMember(user.uid), user.uid).toEqual([...user.groups].sort());
    }
  });

  it('adds a user to a group and removes them again', async () => {
    await slapd.addUserToGroup('dave', 'atrium-users');
    expect(await groupsWithMember('dave')).toEqual(['atrium-users']);
    expect((await findUser('dave'))[0]?.memberOf).toBe(groupDn('atrium-users'));

    await slapd.removeUserFromGroup('dave', 'atrium-users');
    expect(await groupsWithMember('dave')).toEqual([]);
  });
});

describe('Slapd.stop', () => {
  it('frees the port', async () => {
    const slapd = await startSlapd();
    await slapd.stop();

    const port = Number(new URL(slapd.url).port);
    const probe = createServer();
    await new Promise<void>((resolve, reject) => probe.once('error', reject).listen(port, '127.0.0.1', resolve));
    await new Promise((resolve) => probe.close(resolve));
  });
});
