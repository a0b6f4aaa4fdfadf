/**
 * One build at a time, for the report service (kept free of `vscode` so unit tests can drive it). A
 * caller that wants *a* result joins the build in progress; a caller that wants a *fresh* one (something
 * changed during the build) gets one more build after it, however many ask.
 */
export class BuildQueue<T> {
  private running: Promise<T> | undefined;
  private again = false;

  constructor(private readonly build: () => Promise<T>) {}

  /** Whether a build is in progress. */
  get busy(): boolean {
    return this.running !== undefined;
  }

  /** The build in progress, or a new one. */
  join(): Promise<T> {
    return this.running ?? this.rebuild();
  }

  /**
   * A build that starts after this call. During a build, returns that build's promise and queues one
   * more behind it; nobody waits on the queued one, so its failure is left to the build to log.
   */
  rebuild(): Promise<T> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    const run = this.build().finally(() => {
      this.running = undefined;
      if (this.again) {
        this.again = false;
        void this.rebuild().catch(() => undefined);
      }
    });
    this.running = run;
    return run;
  }
}
