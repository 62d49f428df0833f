import type { Messages } from '@atrium/ui';
import type { en as English } from './en';
import { tr as account } from './groups/account.tr';
import { tr as core } from './groups/core.tr';
import { tr as home } from './groups/home.tr';
import { tr as styles } from './groups/styles.tr';

/** The web app's Turkish strings (the browser loads them a group at a time, as the English ones). */
export const tr: Messages<typeof English> = { web: { ...core.web, ...account.web, ...home.web, ...styles.web } };
