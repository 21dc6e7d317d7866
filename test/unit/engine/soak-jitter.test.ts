/** The jitter ws.soak records (heartbeatJitterMs): nearest-rank percentiles of |gap − period|. */
import { test, expect } from '@playwright/test';
import { jitter } from '../../../runner/engine/steps/soak-step.js';

test('jitter: |gap − period| as p50 / p95 / max, early and late heartbeats alike', () => {
  expect(jitter([5_000, 5_200, 4_900, 6_000], 5_000)).toEqual({ p50: 100, p95: 1_000, max: 1_000, samples: 4 });
  expect(jitter([5_000], 5_000)).toEqual({ p50: 0, p95: 0, max: 0, samples: 1 });
});
