/**
 * Token bytes from the CSPRNG, fetched 8 KiB at a time: one randomFillSync per 256 tokens instead
 * of one per token (it was the largest single cost of issuing a token under load). The bytes are the
 * same kind crypto.randomBytes returns; each is handed out once.
 */
import { randomFillSync } from 'node:crypto';

const POOL_BYTES = 8192;
const pool = Buffer.allocUnsafe(POOL_BYTES);
let offset = POOL_BYTES;

export function randomTokenBytes(length: number): Buffer {
  if (length > POOL_BYTES) throw new RangeError(`at most ${POOL_BYTES} random bytes at a time`);
  if (offset + length > POOL_BYTES) {
    randomFillSync(pool);
    offset = 0;
  }
  const bytes = Buffer.from(pool.subarray(offset, offset + length)); // a copy: the pool is refilled later
  pool.fill(0, offset, offset + length); // nothing handed out stays behind in the pool
  offset += length;
  return bytes;
}
