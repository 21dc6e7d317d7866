/**
 * Read a fetch Response body up to a byte cap. A 5 GB body or an endless stream must not exhaust
 * memory: past the cap the stream is cancelled and the first part kept. A stream that breaks midway
 * (reset, timeout) keeps what arrived and says why it stopped.
 */
import { describeNetworkError } from './network-errors.js';

export interface CappedBody {
  text: string;
  /** Bytes kept (after decompression). */
  bytes: number;
  truncated: boolean;
  /** Why reading stopped early, in words; absent when the body was read to its end or the cap. */
  error?: string;
}

export async function readCappedBody(response: Response, maxBytes: number): Promise<CappedBody> {
  if (!response.body) return { text: '', bytes: 0, truncated: false };
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let bytes = 0;
  let truncated = false;
  let error: string | undefined;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (bytes + value.byteLength > maxBytes) {
        chunks.push(value.subarray(0, maxBytes - bytes));
        bytes = maxBytes;
        truncated = true;
        await reader.cancel().catch(() => undefined);
        break;
      }
      chunks.push(value);
      bytes += value.byteLength;
    }
  } catch (caught) {
    error = describeNetworkError(caught);
  } finally {
    try {
      reader.releaseLock();
    } catch {
      // a lock that cannot be released belongs to a stream that is already gone
    }
  }
  return { text: decodeUtf8(Buffer.concat(chunks), truncated || error !== undefined), bytes, truncated, ...(error ? { error } : {}) };
}

/** A cut body may end inside a multi-byte character: drop that partial character, not a U+FFFD. */
function decodeUtf8(buffer: Buffer, mayEndMidCharacter: boolean): string {
  let end = buffer.length;
  if (mayEndMidCharacter) {
    let start = end;
    while (start > 0 && end - start < 4 && (buffer[start - 1] & 0xc0) === 0x80) start--;
    const lead = start > 0 ? buffer[start - 1] : 0;
    const expected = lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc0 ? 2 : 1;
    if (start > 0 && end - (start - 1) < expected) end = start - 1;
  }
  return new TextDecoder('utf-8').decode(buffer.subarray(0, end));
}
