/** The backpressure rule of slow-consumer.ts, on a stand-in socket (the real-socket test is test/hardening/slow-consumers.test.ts). */
import { expect, test } from '@playwright/test';
import { WebSocket } from 'ws';
import { MAX_BUFFERED_BYTES, sendWithBackpressure, SLOW_CONSUMER_CLOSE_CODE } from '../../reference-server/src/slow-consumer.js';

function fakeSocket(bufferedAmount: number, readyState: number = WebSocket.OPEN) {
  const calls: string[] = [];
  const socket = {
    readyState,
    bufferedAmount,
    send: (_frame: Buffer, options: { binary: boolean }) => calls.push(`send binary=${options.binary}`),
    close: (code: number, reason: string) => calls.push(`close ${code} ${reason}`),
    terminate: () => calls.push('terminate'),
    once: () => undefined,
  };
  return { socket: socket as unknown as WebSocket, calls };
}

test('a frame goes out as text while the unsent bytes stay within the bound', () => {
  const { socket, calls } = fakeSocket(MAX_BUFFERED_BYTES - 10);
  expect(sendWithBackpressure(socket, Buffer.alloc(10))).toBe('sent');
  expect(calls).toEqual(['send binary=false']);
});

test('a frame that would take the unsent bytes past the bound drops the consumer with 1008', () => {
  const { socket, calls } = fakeSocket(MAX_BUFFERED_BYTES - 10);
  expect(sendWithBackpressure(socket, Buffer.alloc(11))).toBe('dropped');
  expect(calls).toEqual([`close ${SLOW_CONSUMER_CLOSE_CODE} consumer too slow`]);
});

test('a socket with nothing pending takes any frame; a socket not open takes none', () => {
  const idle = fakeSocket(0);
  expect(sendWithBackpressure(idle.socket, Buffer.alloc(MAX_BUFFERED_BYTES + 1))).toBe('sent');
  const closing = fakeSocket(0, WebSocket.CLOSING);
  expect(sendWithBackpressure(closing.socket, Buffer.alloc(1))).toBe('not-open');
  expect(closing.calls).toEqual([]);
});
