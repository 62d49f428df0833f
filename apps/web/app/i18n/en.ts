import { en as account } from './groups/account.en';
import { en as core } from './groups/core.en';
import { en as home } from './groups/home.en';
import { en as styles } from './groups/styles.en';

/**
 * The web app's English strings: the source every other language is typed against. The server
 * holds them all; the browser loads them a group at a time (`./groups`, see `pageStringGroups`).
 */
export const en = { web: { ...core.web, ...account.web, ...home.web, ...styles.web } };
