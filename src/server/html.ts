// The emulator's HTML error page. Every piece of text in it can carry
// request-derived details (a bad parameter echoed back), so all of it is escaped.

const ESCAPES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Escapes `& < > " '` for HTML text and attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);
}

/** A small page naming the code, the way ExpressPlay's html errorFormat does. */
export function errorPage(status: number, code: number, message: string): string {
  const c = escapeHtml(String(code));
  const m = escapeHtml(message);
  return `<!doctype html>\n<html><head><meta charset="utf-8"><title>ExpressPlay error ${c}</title></head>\n<body><h1>Error ${c}</h1><p>${m}</p><p>HTTP ${escapeHtml(String(status))}</p></body></html>\n`;
}
