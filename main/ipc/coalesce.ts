/**
 * A burst of changes announced as at most one event per window: the first change after a quiet
 * spell goes out at once, later ones in the window are merged into one trailing event, so a
 * campaign's thousand writes do not make every window refetch a thousand times.
 */
export class Coalesced<T> {
  private timer: NodeJS.Timeout | null = null;
  private pending: T | null = null;

  constructor(
    private readonly everyMs: number,
    private readonly merge: (earlier: T, later: T) => T,
    private readonly emit: (value: T) => void,
  ) {}

  push(value: T): void {
    if (this.timer) {
      this.pending = this.pending === null ? value : this.merge(this.pending, value);
      return;
    }
    this.emit(value);
    this.arm();
  }

  private arm(): void {
    this.timer = setTimeout(() => {
      this.timer = null;
      if (this.pending === null) return;
      const value = this.pending;
      this.pending = null;
      this.emit(value);
      this.arm();
    }, this.everyMs);
    this.timer.unref();
  }

  close(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.pending = null;
  }
}
