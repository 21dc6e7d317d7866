/**
 * The last line of defence against leaked credentials: every report is redacted when its evidence is
 * recorded (runner/evidence/redact.ts), so a secret found here is a bug somewhere upstream. The guard
 * masks it anyway and says so, rather than publish a live token in a CI artifact.
 */
import { mask, Redactor } from '../evidence/redact.js';
import { escapeHtml } from './html-escape.js';
import { escapeXmlAttribute, escapeXmlText } from './xml-escape.js';

export interface SecretLeak {
  /** Report file name the secret was found in. */
  file: string;
  /** The secret, masked (prefix…hash), so the message itself leaks nothing. */
  secret: string;
}

export interface GuardedOutputs {
  outputs: Record<string, string>;
  leaks: SecretLeak[];
}

/** Searches every output for every secret, in raw, JSON, URL, HTML and XML forms; masks what it finds. */
export function guardSecrets(outputs: Record<string, string>, secrets: readonly string[]): GuardedOutputs {
  const guarded = { ...outputs };
  const leaks: SecretLeak[] = [];
  for (const secret of new Set(secrets.filter((s) => typeof s === 'string' && s.length > 0))) {
    const redactor = redactorFor(secret);
    for (const [file, text] of Object.entries(guarded)) {
      const redacted = redactor.redactText(text);
      if (redacted !== text) {
        guarded[file] = redacted;
        leaks.push({ file, secret: mask(secret) });
      }
    }
  }
  return { outputs: guarded, leaks };
}

/** The Redactor knows the raw, JSON and URL forms; the reports add HTML and XML escaping on top. */
export function redactorFor(secret: string): Redactor {
  const redactor = new Redactor();
  const jsonEscaped = JSON.stringify(secret).slice(1, -1);
  for (const form of [secret, jsonEscaped]) {
    redactor.add(form);
    redactor.add(escapeHtml(form));
    redactor.add(escapeXmlText(form));
    redactor.add(escapeXmlAttribute(form));
  }
  return redactor;
}

export function describeLeaks(leaks: readonly SecretLeak[]): string {
  return [
    'SECRET LEAK: a secret reached a report although evidence is redacted when recorded. It has been masked',
    'in the files below, but this is a bug in fhir-ws-conformance: please report it (without the secret).',
    ...leaks.map((leak) => `  ${leak.file}: ${leak.secret}`),
  ].join('\n');
}
