// The register/unregister list of an object with a `destroy()`: every listener it
// adds goes through one list, and one call removes them all.

/** Event listeners added through it, removed together by {@link ListenerList.removeAll}. */
export class ListenerList {
  readonly #removals: Array<() => void> = [];

  /** Adds `handler` for `type` on `target` until {@link ListenerList.removeAll}. */
  add(target: EventTarget, type: string, handler: (event: Event) => void, options?: AddEventListenerOptions): void {
    target.addEventListener(type, handler, options);
    this.#removals.push(() => target.removeEventListener(type, handler));
  }

  /** Removes every listener added so far. */
  removeAll(): void {
    for (const remove of this.#removals.splice(0)) remove();
  }
}
