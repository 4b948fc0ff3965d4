// The one place an `expressplay:*` event is stamped and redacted before an app's
// `onEvent` sees it: a rights URL in an event must never carry its token.

import { redactTokens } from '../core/redact.js';
import type { RedactingLogger } from './log.js';
import type { ExpressPlayEvent } from './types/events.js';

/**
 * An emitter for `onEvent`: adds the time (and `defaults`), redacts the rights URL, contains a throwing handler.
 * An event passed on from another emitter (a token client's, to a player) keeps the time it already has.
 */
export function createEmitter(
  onEvent: ((event: ExpressPlayEvent) => void) | undefined,
  log: RedactingLogger,
  defaults: Partial<ExpressPlayEvent> = {},
): (event: Omit<ExpressPlayEvent, 'time'> & { time?: number }) => void {
  return (event) => {
    if (!onEvent) return;
    const full: ExpressPlayEvent = { ...defaults, ...event, time: event.time ?? performance.now() };
    if (full.rightsUrl !== undefined) full.rightsUrl = redactTokens(full.rightsUrl);
    try {
      onEvent(full);
    } catch (err) {
      // An app's handler must not break the license flow.
      log.warn('onEvent handler threw', { error: err });
    }
  };
}
