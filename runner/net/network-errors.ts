/**
 * Network failures in words a report reader understands, with the system code kept for searching:
 * "connection refused (ECONNREFUSED)". fetch hides the real cause under `cause`, so the chain is walked.
 */

const DESCRIPTIONS: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset by the server',
  EPIPE: 'connection closed by the server while sending',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'host name lookup failed (temporary)',
  ETIMEDOUT: 'connection attempt timed out',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  UND_ERR_SOCKET: 'the server closed the connection',
  UND_ERR_CONNECT_TIMEOUT: 'connection attempt timed out',
  UND_ERR_HEADERS_TIMEOUT: 'no response headers in time',
  UND_ERR_BODY_TIMEOUT: 'the body stopped arriving',
  UND_ERR_RES_CONTENT_LENGTH_MISMATCH: 'the body length does not match Content-Length',
  HPE_INVALID_CONSTANT: 'the response is not valid HTTP',
  HPE_INVALID_HEADER_TOKEN: 'the response has an invalid header',
  HPE_INVALID_STATUS: 'the response has an invalid status line',
  HPE_UNEXPECTED_CONTENT_LENGTH: 'the response has conflicting lengths',
  ERR_INVALID_URL: 'invalid URL',
};

interface ErrorLike {
  code?: unknown;
  message?: unknown;
  cause?: unknown;
}

export function describeNetworkError(error: unknown): string {
  const chain = causeChain(error);
  if (chain.some((link) => link.message === 'bad port')) {
    return 'fetch refuses to connect to this port (it is on the fetch standard\'s blocked-port list): "bad port"';
  }
  for (const link of chain) {
    const code = typeof link.code === 'string' ? link.code : undefined;
    if (code && DESCRIPTIONS[code]) {
      const detail = typeof link.message === 'string' && code === 'UND_ERR_SOCKET' ? `: ${link.message}` : '';
      return `${DESCRIPTIONS[code]}${detail} (${code})`;
    }
  }
  const messages = chain.map((link) => (typeof link.message === 'string' ? link.message : '')).filter((m) => m && m !== 'fetch failed');
  const code = chain.map((link) => link.code).find((c): c is string => typeof c === 'string');
  const text = messages.length > 0 ? [...new Set(messages)].join(': ') : String(error);
  return code && !text.includes(code) ? `${text} (${code})` : text;
}

function causeChain(error: unknown): ErrorLike[] {
  const chain: ErrorLike[] = [];
  let current: unknown = error;
  while (current !== null && typeof current === 'object' && chain.length < 8) {
    chain.push(current as ErrorLike);
    current = (current as ErrorLike).cause;
  }
  if (chain.length === 0) chain.push({ message: String(error) });
  return chain;
}
