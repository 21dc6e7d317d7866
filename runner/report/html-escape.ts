/**
 * Escape-by-default HTML building. Reports render server-controlled data (bodies, headers, frames,
 * close reasons), so every interpolated value is escaped unless it is already SafeHtml built by this
 * module. `trustedHtml` exists for the report's own constant assets only.
 */

export class SafeHtml {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/**
 * Text and attribute values alike. Control characters other than tab/newline are shown as \uXXXX
 * rather than dropped: they are evidence (a token with a control character is itself a finding).
 */
export function escapeHtml(value: string): string {
  return value
    .replace(/[&<>"']/g, (ch) => ESCAPES[ch]!)
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

type Interpolation = SafeHtml | string | number | boolean | null | undefined | readonly Interpolation[];

function render(value: Interpolation): string {
  if (value === null || value === undefined || value === false) return '';
  if (value instanceof SafeHtml) return value.value;
  if (Array.isArray(value)) return value.map(render).join('');
  return escapeHtml(String(value));
}

/** Template tag: html`<p>${untrusted}</p>` escapes `untrusted`; nested html`` fragments pass through. */
export function html(strings: TemplateStringsArray, ...values: Interpolation[]): SafeHtml {
  let out = strings[0]!;
  values.forEach((value, i) => {
    out += render(value) + strings[i + 1]!;
  });
  return new SafeHtml(out);
}

/** Only for the report's own constant CSS and script, never for data. */
export function trustedHtml(constant: string): SafeHtml {
  return new SafeHtml(constant);
}

/** An href only when the URL is plain http(s); anything else (javascript:, data:) is not a link. */
export function safeHref(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? parsed.href : undefined;
  } catch {
    return undefined;
  }
}

/** An element id from arbitrary text: stable, unique for distinct inputs, safe in a URL fragment. */
export function anchorId(prefix: string, text: string): string {
  return `${prefix}-${text.replace(/[^A-Za-z0-9.-]/g, (ch) => `_${ch.codePointAt(0)!.toString(16)}_`)}`;
}

