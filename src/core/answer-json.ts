// What both answer parsers read the same way: the media type of a Content-Type, a
// body that may be JSON, and the seed code and message of a JSON error object.

export function mediaType(contentType: string | null | undefined): string {
  return (contentType ?? '').split(';')[0]!.trim().toLowerCase();
}

export function tryJson(body: string): unknown {
  const t = body.trim();
  if (!t.startsWith('{') && !t.startsWith('[')) return undefined;
  try {
    return JSON.parse(t);
  } catch {
    return undefined;
  }
}

export function field(obj: Record<string, unknown>, names: readonly string[]): unknown {
  for (const n of names) if (obj[n] !== undefined && obj[n] !== null) return obj[n];
  return undefined;
}

function asCode(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isInteger(value)) return value;
  if (typeof value === 'string' && /^\s*-?\d+\s*$/.test(value)) return Number(value);
  return undefined;
}

export function jsonErrorCode(root: Record<string, unknown>): { code?: number; message?: string } {
  // A loop with a bound, not recursion: a hostile body of 20,000 nested "error" objects
  // parses fine but overflowed the stack (RangeError) when recursed into.
  let obj = root;
  for (let depth = 0; depth < 8; depth++) {
    const nested = obj['error'];
    if (typeof nested !== 'object' || nested === null || Array.isArray(nested)) break;
    obj = nested as Record<string, unknown>;
  }
  const code = asCode(field(obj, ['errorCode', 'code', 'error_code', 'ErrorCode', 'Code']));
  const msg = field(obj, [
    'errorMessage',
    'message',
    'error',
    'description',
    'error_description',
    'ErrorMessage',
    'Message',
  ]);
  return { code, message: typeof msg === 'string' ? msg : undefined };
}
