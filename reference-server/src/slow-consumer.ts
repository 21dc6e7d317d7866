/**
 * Backpressure toward sockets that stop reading (issue 11 item 17). `ws` queues whatever it is given
 * in memory once the kernel's buffers are full, so a client that never reads would make the server
 * hold every notification for it: 30 such sockets and 40 Patients of 0.9 MB with full-resource
 * content took 1.19 GB. Before each send the socket's unsent bytes are checked; a send that would
 * take them past MAX_BUFFERED_BYTES drops the consumer instead: close code 1008 (policy violation)
 * with reason "consumer too slow", then — since a client that does not read will not read the close
 * frame either, and the queue is only freed with the socket — the socket is destroyed after
 * SLOW_CONSUMER_GRACE_MS. Nothing more is queued for it meanwhile (it is no longer OPEN).
 * Memory per socket is thus bounded by MAX_BUFFERED_BYTES plus one frame.
 */
import { WebSocket } from 'ws';

/** Unsent bytes a socket may hold; past this it is dropped. Several notifications of ~1 MB fit. */
export const MAX_BUFFERED_BYTES = 4 * 1024 * 1024;
export const SLOW_CONSUMER_CLOSE_CODE = 1008;
export const SLOW_CONSUMER_REASON = 'consumer too slow';
export const SLOW_CONSUMER_GRACE_MS = 1_000;

/** Sends `frame` as a text frame, or drops the socket when it would buffer too much. */
export function sendWithBackpressure(socket: WebSocket, frame: Buffer): 'sent' | 'dropped' | 'not-open' {
  if (socket.readyState !== WebSocket.OPEN) return 'not-open';
  // A socket with nothing pending is not slow, whatever the frame's size (memory: the bound + one frame).
  if (socket.bufferedAmount > 0 && socket.bufferedAmount + frame.length > MAX_BUFFERED_BYTES) {
    dropSlowConsumer(socket);
    return 'dropped';
  }
  socket.send(frame, { binary: false });
  return 'sent';
}

function dropSlowConsumer(socket: WebSocket): void {
  socket.close(SLOW_CONSUMER_CLOSE_CODE, SLOW_CONSUMER_REASON);
  const timer = setTimeout(() => socket.terminate(), SLOW_CONSUMER_GRACE_MS);
  timer.unref();
  socket.once('close', () => clearTimeout(timer));
}
