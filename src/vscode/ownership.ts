/**
 * What the extension's context owns, kept apart from `vscode` so that unit tests can check it: disposables
 * released last first, and features created once, on first use, and never again after release.
 */

/** Anything with a `dispose()`, as VS Code's Disposable. */
export interface Releasable {
  dispose(): unknown;
}

/**
 * A feature the owner creates once, on first use, and keeps until it is released. `create` registers
 * everything it makes with the owner (`ctx.push`), so it is released with it; the value is what callers use.
 */
export interface Feature<T, Owner> {
  /** Names the feature in errors and logs. */
  readonly name: string;
  create(owner: Owner): T;
}

export class Ownership<Owner> {
  private readonly held: Releasable[] = [];
  private readonly features = new Map<Feature<unknown, Owner>, unknown>();
  private released = false;

  constructor(private readonly onError: (err: unknown) => void) {}

  get isReleased(): boolean {
    return this.released;
  }

  /** Holds disposables until release; after release, something that finished late is released at once. */
  push(...items: Releasable[]): void {
    if (!this.released) {
      this.held.push(...items);
      return;
    }
    for (const d of items) this.release(d);
  }

  /** The feature's one instance, created now when it does not exist yet. */
  feature<T>(key: Feature<T, Owner>, owner: Owner): T {
    if (this.features.has(key)) return this.features.get(key) as T;
    if (this.released) throw new Error(`GreenLens is shutting down: ${key.name} is no longer available.`);
    const value = key.create(owner);
    this.features.set(key, value);
    return value;
  }

  /** Releases everything held, last created first: a feature goes before what it was built on. */
  dispose(): void {
    if (this.released) return;
    this.released = true;
    this.features.clear();
    for (const d of this.held.splice(0).reverse()) this.release(d);
  }

  /** One failing dispose must not keep the others from running. */
  private release(d: Releasable): void {
    try {
      const done = d.dispose();
      if (done instanceof Promise) done.catch(this.onError);
    } catch (err) {
      this.onError(err);
    }
  }
}
