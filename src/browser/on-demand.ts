// A module the adapters load with import() only on the devices that need it (the ESM
// build emits it as a chunk of its own), with a synchronous view of it once loaded:
// player callbacks that must answer synchronously use it after an earlier, awaited load.

import { ClientCode } from '../core/catalog.js';
import { ExpressPlayError, type Drm } from '../core/errors.js';

/** One on-demand module: `load()` fetches it once per page, `get()` returns it once loaded. */
export interface OnDemandModule<T> {
  /**
   * @throws {@link ExpressPlayError} -9010 when its chunk cannot be fetched (a later call tries again).
   */
  load(): Promise<T>;
  /** @throws Error when called before `load()` resolved: a bug in the caller's order, not a runtime condition. */
  get(): T;
}

/**
 * @param name - what the module is, for the load error's details.
 * @param drm - the DRM the module serves, if one, carried into the load error.
 */
export function onDemand<T>(name: string, importModule: () => Promise<T>, drm?: Drm): OnDemandModule<T> {
  let loaded: T | undefined;
  let loading: Promise<T> | undefined;
  return {
    load() {
      loading ??= importModule().then(
        (module) => (loaded = module),
        (cause: unknown) => {
          loading = undefined;
          throw new ExpressPlayError(ClientCode.NETWORK, {
            details: `the ${name} code could not be loaded`,
            drm,
            cause,
          });
        },
      );
      return loading;
    },
    get() {
      if (loaded === undefined) throw new Error(`the ${name} code is used before it was loaded`);
      return loaded;
    },
  };
}
