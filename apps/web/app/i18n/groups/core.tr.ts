import type { Messages } from '@atrium/ui';
import { commonTr } from '@atrium/ui/strings/tr';
import { tr as attachments } from '../attachments.tr';
import { tr as chat } from '../chat.tr';
import { tr as share } from '../share.tr';
import type { en } from './core.en';

/** The Turkish side of `./core.en.ts`. */
export const tr: Messages<typeof en> = {
  ...commonTr,
  web: {
    ...chat,
    ...attachments,
    ...share,
    nav: { home: 'Ana sayfa' },
  },
};
