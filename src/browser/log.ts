// A logger wrapper that redacts ExpressPlay tokens (and authenticators) from
// every message and every string in the data, so an app's logger never receives
// a redeemable rights URL.

import { redactTokens } from '../core/redact.js';
import type { Logger } from './types/logger.js';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

/** What {@link createLogger} returns: every level present, never throws, tokens redacted. */
export interface RedactingLogger {
  /** Logs at debug level. */
  debug(message: string, data?: Record<string, unknown>): void;
  /** Logs at info level. */
  info(message: string, data?: Record<string, unknown>): void;
  /** Logs at warn level. */
  warn(message: string, data?: Record<string, unknown>): void;
  /** Logs at error level. */
  error(message: string, data?: Record<string, unknown>): void;
}

const MAX_DEPTH = 4;

/** Deep copy with every string redacted; errors become their (redacted) message. */
export function redactValue(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return redactTokens(value);
  if (value instanceof Error)
    return {
      name: value.name,
      message: redactTokens(value.message),
      ...('code' in value ? { code: (value as { code: unknown }).code } : {}),
    };
  if (depth >= MAX_DEPTH || value === null || typeof value !== 'object') return value;
  if (value instanceof Uint8Array || value instanceof ArrayBuffer) return `[${value.byteLength} bytes]`;
  if (Array.isArray(value)) return value.map((v) => redactValue(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = redactValue(v, depth + 1);
  return out;
}

/**
 * Wraps an app logger (or nothing: then logging is silent). Messages get `prefix`;
 * messages and every string in `data` (4 levels deep) are token-redacted; errors
 * become `{ name, message, code }`; a throwing app logger is ignored.
 */
export function createLogger(logger: Logger | undefined, prefix = '[expressplay]'): RedactingLogger {
  const emit = (level: LogLevel, message: string, data?: Record<string, unknown>) => {
    const fn = logger?.[level];
    if (!fn) return;
    const text = redactTokens(`${prefix} ${message}`);
    try {
      if (data === undefined) fn.call(logger, text);
      else fn.call(logger, text, redactValue(data) as Record<string, unknown>);
    } catch {
      // A throwing app logger must never break playback.
    }
  };
  return {
    debug: (m, d) => emit('debug', m, d),
    info: (m, d) => emit('info', m, d),
    warn: (m, d) => emit('warn', m, d),
    error: (m, d) => emit('error', m, d),
  };
}
