// The fuzzers' decisions, drawn up front by fast-check and read one at a time, so a shrunk
// counterexample shrinks the decisions themselves.

/** Reads decisions one at a time; past the end it wraps around. */
export class Choices {
  private next = 0;
  constructor(private readonly values: readonly number[]) {}

  pick(count: number): number {
    if (count <= 1 || this.values.length === 0) return 0;
    const v = this.values[this.next % this.values.length];
    this.next++;
    return v % count;
  }

  flag(): boolean {
    return this.pick(2) === 1;
  }

  of<T>(options: readonly T[]): T {
    return options[this.pick(options.length)];
  }
}
