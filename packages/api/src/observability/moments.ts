/**
 * Named moments of a chat turn before its upstream call, published on a diagnostics channel
 * (`atrium:turn`) for whoever subscribes: `npm run bench:first-token` prints when each happened,
 * beside Node's own `http.server.request.start` and undici's upstream request. Without a
 * subscriber a moment costs one property read.
 */
import { channel } from 'node:diagnostics_channel';

export const TURN_MOMENTS = 'atrium:turn';

const moments = channel(TURN_MOMENTS);

export type TurnMoment = 'context ready' | 'procedure started' | 'turn read' | 'admitted';

export function turnMoment(name: TurnMoment) {
  if (moments.hasSubscribers) moments.publish(name);
}
