/**
 * A minimal, bounded zip reader (central directory; stored or deflated entries): enough to look
 * inside Playwright's report data (a zip embedded in playwright/index.html) and trace files for the
 * closing secret scan. Anything it cannot read is reported as unreadable, never thrown.
 */
import { inflateRawSync } from 'node:zlib';

/** Per entry, after inflating: a report's data is far smaller; a bomb stops here. */
export const MAX_ENTRY_BYTES = 64 * 1024 * 1024;
const MAX_ENTRIES = 10_000;
const END_OF_CENTRAL_DIRECTORY = Buffer.from([0x50, 0x4b, 0x05, 0x06]);
const ZIP_START = Buffer.from([0x50, 0x4b, 0x03, 0x04]);

export interface ZipEntry {
  name: string;
  bytes: Buffer;
}

export type ZipRead = { ok: true; entries: ZipEntry[] } | { ok: false; reason: string };

export function looksLikeZip(bytes: Buffer): boolean {
  return bytes.subarray(0, 4).equals(ZIP_START);
}

export function readZip(zip: Buffer): ZipRead {
  try {
    return { ok: true, entries: entriesOf(zip) };
  } catch (error) {
    return { ok: false, reason: (error as Error).message };
  }
}

function entriesOf(zip: Buffer): ZipEntry[] {
  const end = zip.lastIndexOf(END_OF_CENTRAL_DIRECTORY);
  if (end < 0 || end + 22 > zip.length) throw new Error('no end-of-central-directory record');
  const count = zip.readUInt16LE(end + 10);
  if (count > MAX_ENTRIES) throw new Error(`${count} entries`);
  const entries: ZipEntry[] = [];
  let at = zip.readUInt32LE(end + 16);
  for (let i = 0; i < count; i++) {
    const method = zip.readUInt16LE(at + 10);
    const compressedSize = zip.readUInt32LE(at + 20);
    const nameLength = zip.readUInt16LE(at + 28);
    const localHeader = zip.readUInt32LE(at + 42);
    const name = zip.toString('utf8', at + 46, at + 46 + nameLength);
    at += 46 + nameLength + zip.readUInt16LE(at + 30) + zip.readUInt16LE(at + 32);
    const start = localHeader + 30 + zip.readUInt16LE(localHeader + 26) + zip.readUInt16LE(localHeader + 28);
    const data = zip.subarray(start, start + compressedSize);
    if (method === 0) entries.push({ name, bytes: data });
    else if (method === 8) entries.push({ name, bytes: inflateRawSync(data, { maxOutputLength: MAX_ENTRY_BYTES }) });
    else throw new Error(`entry ${name}: compression method ${method}`);
  }
  return entries;
}

/** Zips embedded as data: URLs (Playwright's HTML report carries its data this way). */
export function embeddedZips(text: string): Buffer[] {
  return [...text.matchAll(/data:application\/zip;base64,([A-Za-z0-9+/=]+)/g)].map((match) => Buffer.from(match[1]!, 'base64'));
}
