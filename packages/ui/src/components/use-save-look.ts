import { trpc } from '../trpc';
import type { AppShellProps } from './AppShell';

/** For a signed-in visitor, the header's switchers also save language and theme on the account. */
export function useSaveLook(signedIn: boolean): AppShellProps['onChoose'] {
  const utils = trpc.useUtils();
  if (!signedIn) return undefined;
  return {
    language: async (language) => void (await utils.client.account.saveLook.mutate({ language })),
    theme: async (theme) => void (await utils.client.account.saveLook.mutate({ theme })),
  };
}
