/**
 * What every self-contained report page shares: the stylesheet and script (read once), and a head
 * whose Content-Security-Policy admits only the page's own inline style and script, by hash — no
 * fetches, images, forms or other scripts — so even a rendering bug could not run a server's
 * <script> or call out. index.html and matrix.html both start with it.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { html, trustedHtml, type SafeHtml } from './html-escape.js';

const ASSETS = new URL('./html-assets/', import.meta.url);
let cachedAssets: { css: string; script: string } | undefined;

/** report.css and report.js, read once per process. */
export function reportAssets(): { css: string; script: string } {
  cachedAssets ??= {
    css: readFileSync(new URL('report.css', ASSETS), 'utf8'),
    script: readFileSync(new URL('report.js', ASSETS), 'utf8'),
  };
  return cachedAssets;
}

/** <head> with the CSP for exactly this CSS and (optionally) this script; no script → script-src 'none'. */
export function pageHead(title: string, css: string, script?: string): SafeHtml {
  const csp = [
    "default-src 'none'",
    `style-src '${cspHash(css)}'`,
    `script-src ${script === undefined ? "'none'" : `'${cspHash(script)}'`}`,
    "img-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
  return html`<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${title}</title>
<style>${trustedHtml(css)}</style>
</head>`;
}

function cspHash(text: string): string {
  return `sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}`;
}
