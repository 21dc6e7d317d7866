#!/usr/bin/env python3
"""Writes test/suite/fault-outcomes.blocked.ts from the JSON files FWC_PIN_DIR=<dir> left behind
(one per fault: {judge: [scenario ids]}). Review `git diff` before committing: each list must be
what depends on the defect, never a finding of its own.  Usage: scripts/pin-fault-blocked.py <dir>"""
import json, os, sys

HANDSHAKE_FAULT = 'no-handshake'  # its blocked set is the list of scenarios that need a handshake
OUTPUTS = ['outputs.expiration.future-with-timezone', 'outputs.parameters.conform', 'outputs.subscription.names-covered',
           'outputs.token.string-limits', 'outputs.websocket-url.absolute-ws', 'outputs.websocket-url.wss']


def wrap(items, indent, width=118):
    lines, line = [], indent
    for item in items:
        piece = item + ', '
        if len(line) + len(piece) > width and line.strip():
            lines.append(line.rstrip())
            line = indent
        line += piece
    lines.append(line.rstrip())
    return lines


def expression(ids, handshake):
    """The shortest honest way to write a blocked list: a group, a group minus one, or the ids."""
    s, b = set(ids), set(handshake)
    missing = sorted(b - s)
    if len(missing) > 3 or len(s & b) < len(b) // 2:
        return [f"'{i}'" for i in sorted(ids)]
    parts = [f"...without(NEED_A_HANDSHAKE, {', '.join(repr(m) for m in missing)})" if missing else '...NEED_A_HANDSHAKE']
    rest = s - b
    if set(OUTPUTS) <= rest:
        parts.append('...NEED_A_TOKEN_ONLY')
        rest -= set(OUTPUTS)
    return parts + [f"'{i}'" for i in sorted(rest)]


def main(folder):
    pins = {name[:-5]: json.load(open(os.path.join(folder, name))) for name in sorted(os.listdir(folder)) if name.endswith('.json')}
    handshake = sorted(pins[HANDSHAKE_FAULT]['binding.forms.accepted'])
    out = ['/**',
           ' * The scenarios each fault leaves blocked when the whole suite runs against it (fault-outcomes.test.ts),',
           ' * by the scenario that judges what they needed. Faults not listed block nothing. Reviewed by hand:',
           ' * each list is what depends on the defect, never a finding of its own. Written by',
           ' * scripts/pin-fault-blocked.py from a run with FWC_PIN_DIR set.',
           ' */', '',
           '/** Every scenario that binds a genuine token and needs its handshake (on R5, where the full runs are). */',
           'const NEED_A_HANDSHAKE = [', *wrap([f"'{i}'" for i in handshake], '  '), '];', '',
           '/** The outputs chapter: each needs only an issued token. */',
           'const NEED_A_TOKEN_ONLY = [', *wrap([f"'{i}'" for i in OUTPUTS], '  '), '];', '',
           'const without = (ids: readonly string[], ...left: string[]) => ids.filter((id) => !left.includes(id));', '',
           'export const BLOCKED_BY_FAULT: Record<string, Record<string, string[]>> = {']
    for fault, by_judge in pins.items():
        if not by_judge:
            continue
        out.append(f"  '{fault}': {{")
        for judge in sorted(by_judge):
            parts = expression(by_judge[judge], handshake)
            one_line = f"    '{judge}': [{', '.join(parts)}],"
            if len(parts) == 1 and parts[0].startswith('...NEED_A_HANDSHAKE'):
                one_line = f"    '{judge}': {parts[0][3:]},"
            if len(one_line) <= 120:
                out.append(one_line)
            else:
                out += [f"    '{judge}': [", *wrap(parts, '      '), '    ],']
        out.append('  },')
    out.append('};')
    target = os.path.join(os.path.dirname(__file__), '..', 'test', 'suite', 'fault-outcomes.blocked.ts')
    open(target, 'w').write('\n'.join(out) + '\n')
    print(f'wrote {os.path.normpath(target)} from {len(pins)} faults')


if __name__ == '__main__':
    main(sys.argv[1])
