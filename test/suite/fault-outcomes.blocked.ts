/**
 * The scenarios each fault leaves blocked when the whole suite runs against it (fault-outcomes.test.ts),
 * by the scenario that judges what they needed. Faults not listed block nothing. Reviewed by hand:
 * each list is what depends on the defect, never a finding of its own. Written by
 * scripts/pin-fault-blocked.py from a run with FWC_PIN_DIR set.
 */

/** Every scenario that binds a genuine token and needs its handshake (on R5, where the full runs are). */
const NEED_A_HANDSHAKE = [
  'binding.events.empty', 'binding.events.full-resource', 'binding.events.id-only', 'binding.handshake.multiple',
  'binding.handshake.single', 'binding.heartbeat.period', 'binding.rebind.same-connection',
  'binding.reuse.same-token', 'binding.vanished-client', 'connections.after-expiry.recorded',
  'connections.idle.survives', 'connections.missed.event-numbers', 'connections.missed.events-operation',
  'connections.missed.status-counts', 'connections.renewal.same-socket', 'connections.unknown-frames.recorded',
  'connections.xml.notifications', 'expiry.binds-late-in-life', 'expiry.refused-after', 'forged.change-end',
  'forged.change-middle', 'forged.change-start', 'forged.empty', 'forged.extended', 'forged.flip-case',
  'forged.jwt.alg-none', 'forged.jwt.claims-changed', 'forged.jwt.exp-forward', 'forged.jwt.signature-removed',
  'forged.random', 'forged.truncated', 'invoke.instance.ignores-id', 'invoke.type.several-ids',
  'invoke.type.single-id', 'scope.revoked-on-delete', 'scope.token-a-not-b',
];

/** The outputs chapter: each needs only an issued token. */
const NEED_A_TOKEN_ONLY = [
  'outputs.expiration.future-with-timezone', 'outputs.parameters.conform', 'outputs.subscription.names-covered',
  'outputs.token.string-limits', 'outputs.websocket-url.absolute-ws', 'outputs.websocket-url.wss',
];

const without = (ids: readonly string[], ...left: string[]) => ids.filter((id) => !left.includes(id));

export const BLOCKED_BY_FAULT: Record<string, Record<string, string[]>> = {
  'entries-without-request': {
    'binding.handshake.single': ['binding.handshake.multiple'],
  },
  'expiration-in-past': {
    'outputs.expiration.future-with-timezone': ['expiry.refused-after'],
  },
  'get-only': {
    'invoke.instance.post-parameters': ['invoke.errors.malformed-body'],
    'invoke.type.several-ids': ['binding.handshake.multiple'],
    'invoke.type.single-id': [
      'invoke.errors.malformed-id', 'invoke.errors.unknown-id-type-level', 'invoke.type.no-ids',
      'scope.other-identity-refused',
    ],
  },
  'handshake-bundle-type': {
    'binding.handshake.single': ['binding.handshake.multiple'],
  },
  'handshake-wrong-subscription': {
    'binding.handshake.single': [
      ...without(NEED_A_HANDSHAKE, 'binding.handshake.single', 'connections.xml.notifications'),
    ],
  },
  'handshake-wrong-type': {
    'binding.forms.accepted': NEED_A_HANDSHAKE,
  },
  'ids-input-name': {
    'invoke.type.several-ids': ['binding.handshake.multiple'],
    'invoke.type.single-id': [
      'invoke.errors.malformed-id', 'invoke.errors.unknown-id-type-level', 'invoke.type.no-ids',
      'scope.other-identity-refused',
    ],
  },
  'missing-token': {
    'invoke.instance.post-parameters': [
      ...without(NEED_A_HANDSHAKE, 'binding.handshake.multiple', 'invoke.type.several-ids', 'invoke.type.single-id'),
      ...NEED_A_TOKEN_ONLY, 'binding.forms.accepted', 'binding.returned-url', 'invoke.type.no-ids',
      'scope.other-identity-refused',
    ],
    'invoke.type.several-ids': ['binding.handshake.multiple'],
  },
  'no-handshake': {
    'binding.forms.accepted': NEED_A_HANDSHAKE,
  },
  'no-instance-level': {
    'invoke.instance.post-parameters': [
      'invoke.errors.malformed-id', 'invoke.errors.rest-hook-subscription', 'invoke.errors.unknown-instance',
      'invoke.instance.ignores-id',
    ],
  },
  'no-type-level': {
    'invoke.type.several-ids': ['binding.handshake.multiple'],
    'invoke.type.single-id': [
      'invoke.errors.malformed-id', 'invoke.errors.unknown-id-type-level', 'invoke.type.no-ids',
      'scope.other-identity-refused',
    ],
  },
  'operation-absent': {
    'invoke.instance.post-parameters': [
      ...without(NEED_A_HANDSHAKE, 'binding.handshake.multiple', 'invoke.type.several-ids', 'invoke.type.single-id'),
      ...NEED_A_TOKEN_ONLY, 'binding.forms.accepted', 'binding.returned-url', 'invoke.errors.malformed-body',
      'invoke.errors.malformed-id', 'invoke.errors.rest-hook-subscription', 'invoke.errors.unknown-id-type-level',
      'invoke.errors.unknown-instance', 'invoke.type.no-ids', 'scope.other-identity-refused',
    ],
    'invoke.type.several-ids': ['binding.handshake.multiple'],
  },
  'post-refused': {
    'invoke.instance.post-parameters': ['invoke.errors.malformed-body'],
  },
  'second-bind-closes': {
    'binding.rebind.same-connection': ['connections.renewal.same-socket'],
  },
  'second-bind-ignored': {
    'binding.rebind.same-connection': ['connections.renewal.same-socket'],
  },
  'status-resource-in-r4': {
    'binding.handshake.single': ['binding.handshake.multiple'],
  },
  'subscription-deleted-on-close': {
    'binding.vanished-client': [
      'connections.missed.event-numbers', 'connections.missed.events-operation', 'connections.missed.status-counts',
    ],
  },
  'token-binds-all': {
    'scope.token-a-not-b': ['invoke.instance.ignores-id'],
  },
  'type-level-first-id-only': {
    'invoke.type.several-ids': ['binding.handshake.multiple'],
  },
  'websocket-url-relative': {
    'outputs.websocket-url.absolute-ws': [...NEED_A_HANDSHAKE, 'binding.forms.accepted', 'binding.returned-url'],
  },
  'websocket-url-wrong-path': {
    'binding.returned-url': [...NEED_A_HANDSHAKE, 'binding.forms.accepted'],
  },
};
