import type { Messages } from '@atrium/ui';
import { tr as styles } from '../styles.tr';
import type { en } from './styles.en';

/** The Turkish side of `./styles.en.ts`. */
export const tr: Messages<typeof en> = { web: { ...styles } };
