/**
 * The variables a running scenario has defined: fixtures, getToken results, captures, `set`.
 * A child scope sees its parent's variables and may shadow them without changing the parent
 * (e.g. run-wide built-ins in the parent, one scenario's variables in the child).
 */
export class VariableScope {
  private readonly values = new Map<string, unknown>();

  constructor(
    initial: Record<string, unknown> = {},
    private readonly parent?: VariableScope,
  ) {
    for (const [name, value] of Object.entries(initial)) this.values.set(name, value);
  }

  set(name: string, value: unknown): this {
    this.values.set(name, value);
    return this;
  }

  /** The value, or undefined when no scope in the chain defines the name. */
  get(name: string): unknown {
    if (this.values.has(name)) return this.values.get(name);
    return this.parent?.get(name);
  }

  has(name: string): boolean {
    return this.values.has(name) || (this.parent?.has(name) ?? false);
  }

  child(initial: Record<string, unknown> = {}): VariableScope {
    return new VariableScope(initial, this);
  }

  /** Every name visible from this scope. */
  names(): string[] {
    return [...new Set([...(this.parent?.names() ?? []), ...this.values.keys()])];
  }
}
