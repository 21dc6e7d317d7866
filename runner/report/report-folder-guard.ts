/**
 * The closing secret scan over the folders Playwright writes into the report directory
 * (playwright/ — its HTML report, with the report data as a zip embedded in index.html — and
 * test-output/). They are written after our reports, so the scan runs when Playwright exits
 * (ConformanceReporter.onExit). A secret in plain text is masked in place; one inside a zip or a
 * base64 body cannot be, so that file is removed (Playwright's index.html is replaced by a notice).
 */
import { appendFileSync, existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { mask } from '../evidence/redact.js';
import { describeLeaks, redactorFor, type SecretLeak } from './secret-guard.js';
import { LEAK_NOTICE_FILE } from './write-reports.js';
import { embeddedZips, looksLikeZip, readZip } from './zip-entries.js';

export const SCANNED_FOLDERS = ['playwright', 'test-output'] as const;
/** Larger files are not read (memory stays bounded): they are removed, since they cannot be vouched for. */
export const MAX_SCANNED_FILE_BYTES = 256 * 1024 * 1024;
/** Pictures and videos hold no text to search. */
const MEDIA = /\.(png|jpe?g|gif|webp|webm|mp4|ico|woff2?|ttf)$/i;
const BASE64_STRING = /"([A-Za-z0-9+/]{16,}={0,2})"/g;

export interface FolderGuardResult {
  leaks: SecretLeak[];
  /** Files removed because a secret sat where it could not be masked, or they were too large to scan. */
  removed: string[];
  /** Files whose inside could not be read (a zip this reader does not handle): their plain text was still scanned. */
  unscanned: string[];
}

export function guardReportFolders(reportDir: string, secrets: readonly string[]): FolderGuardResult {
  const result: FolderGuardResult = { leaks: [], removed: [], unscanned: [] };
  const known = [...new Set(secrets.filter((s) => typeof s === 'string' && s.length > 0))];
  if (known.length === 0) return result;
  const redactors = known.map((secret) => ({ secret, redactor: redactorFor(secret) }));
  for (const folder of SCANNED_FOLDERS) {
    const dir = path.join(reportDir, folder);
    if (!existsSync(dir)) continue;
    for (const file of filesUnder(dir)) guardFile(file, path.relative(reportDir, file), redactors, result);
  }
  return result;
}

type Redactors = Array<{ secret: string; redactor: ReturnType<typeof redactorFor> }>;

function guardFile(file: string, shown: string, redactors: Redactors, result: FolderGuardResult): void {
  if (MEDIA.test(file)) return;
  if (statSync(file).size > MAX_SCANNED_FILE_BYTES) return remove(file, shown, result, 'too large to scan for secrets');
  const bytes = readFileSync(file);
  const plain = bytes.toString('utf8');
  const nested = nestedTexts(bytes, plain);
  if (!nested.ok) result.unscanned.push(`${shown} (${nested.reason})`);
  const hiddenTexts = nested.ok ? nested.texts : [];
  let masked = plain;
  let maskable = !looksLikeZip(bytes);
  let leaked = false;
  for (const { secret, redactor } of redactors) {
    const afterMasking = redactor.redactText(masked);
    const hidden = hiddenTexts.some((text) => redactor.redactText(text) !== text);
    if (afterMasking === masked && !hidden) continue;
    result.leaks.push({ file: shown, secret: mask(secret) });
    leaked = true;
    masked = afterMasking;
    if (hidden) maskable = false;
  }
  if (!leaked) return;
  if (maskable) writeFileSync(file, masked, 'utf8');
  else remove(file, shown, result, 'a secret inside a zip or a base64 body, where it cannot be masked');
}

/** Texts inside the file: zip entries (a .zip, or zips embedded in HTML) and the base64 strings in them. */
function nestedTexts(bytes: Buffer, plain: string): { ok: true; texts: string[] } | { ok: false; reason: string } {
  const zips = looksLikeZip(bytes) ? [bytes] : embeddedZips(plain);
  const texts: string[] = [];
  for (const zip of zips) {
    const read = readZip(zip);
    if (!read.ok) return { ok: false, reason: `unreadable zip: ${read.reason}` };
    for (const entry of read.entries) {
      const text = entry.bytes.toString('utf8');
      texts.push(text, ...base64Bodies(text));
    }
  }
  return { ok: true, texts };
}

function base64Bodies(text: string): string[] {
  return [...text.matchAll(BASE64_STRING)].filter((m) => m[1]!.length % 4 === 0).map((m) => Buffer.from(m[1]!, 'base64').toString('utf8'));
}

function remove(file: string, shown: string, result: FolderGuardResult, why: string): void {
  if (file.endsWith('.html')) {
    writeFileSync(file, `<!DOCTYPE html><meta charset="utf-8"><title>Removed</title><p>This report was removed: ${why}. See SECRET-LEAK-DETECTED.txt and the fhir-ws-conformance reports (index.html, results.json).</p>\n`);
  } else {
    rmSync(file, { force: true });
  }
  result.removed.push(`${shown} (${why})`);
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.join(entry.parentPath, entry.name));
}

/** Says what the scan found: on standard error and, for leaks, in the notice file next to the reports. */
export function announceFolderGuard(reportDir: string, result: FolderGuardResult, warn: (message: string) => void = (m) => process.stderr.write(`${m}\n`)): void {
  if (result.leaks.length > 0) {
    const removed = result.removed.map((file) => `  removed: ${file}`);
    const notice = [describeLeaks(result.leaks), ...removed].join('\n');
    warn(notice);
    appendFileSync(path.join(reportDir, LEAK_NOTICE_FILE), `${notice}\n`);
  }
  for (const file of result.unscanned) warn(`fhir-ws-conformance: note: the secret scan could not look inside ${file}`);
}
