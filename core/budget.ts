// Every run is bounded (invariant 6). A Budget counts what a planner spends and explains a refusal
// with the limit that caused it, so a deferral reads "budget of 20 evictions per run used".

export class Budget {
  private used = 0;

  constructor(
    readonly what: string,
    readonly limit: number,
  ) {}

  /** Spends one unit if any is left. */
  take(): boolean {
    if (this.used >= this.limit) return false;
    this.used++;
    return true;
  }

  get spent(): number {
    return this.used;
  }

  get left(): number {
    return this.limit - this.used;
  }

  explain(): string {
    return `budget of ${this.limit} ${this.what} per run used; deferred to the next tick`;
  }
}
