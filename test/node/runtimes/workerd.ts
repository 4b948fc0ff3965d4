// The README's Cloudflare Workers recipe as a Worker module in workerd
// (Cloudflare's runtime, run locally by miniflare): bundled with esbuild (as
// wrangler does), the authenticator given as the Worker's secret binding.

import { build } from 'esbuild';
import { Miniflare } from 'miniflare';
import { PACKAGE_SOURCES, appFunctionsSource, recipe } from './recipe.js';

/** The recipe bundled into one ES module, with the app's functions installed first. */
export async function bundleWorkerRecipe(): Promise<string> {
  const out = await build({
    stdin: {
      contents: recipe('Cloudflare Workers'),
      loader: 'ts',
      resolveDir: PACKAGE_SOURCES['expressplay-eme/fetch']!.replace(/\/[^/]+$/, ''),
    },
    bundle: true,
    format: 'esm',
    platform: 'neutral',
    target: 'es2022',
    write: false,
    alias: { 'expressplay-eme/fetch': PACKAGE_SOURCES['expressplay-eme/fetch']! },
    banner: { js: appFunctionsSource() },
    logLevel: 'silent',
  });
  return out.outputFiles[0]!.text;
}

/** The Worker running in workerd; `port` 0 picks one (the Worker is then reachable on loopback too). */
export async function startWorkerd(
  env: { authenticator: string; service: string; allowedOrigins?: readonly string[] },
  port?: number,
): Promise<{ mf: Miniflare; url: URL; script: string }> {
  const script = await bundleWorkerRecipe();
  const mf = new Miniflare({
    modules: true,
    script,
    compatibilityDate: '2025-01-01',
    // Secrets reach a Worker as text bindings, like [vars]: the same `env` shape.
    bindings: {
      EXPRESSPLAY_AUTHENTICATOR: env.authenticator,
      EXPRESSPLAY_SERVICE: env.service,
      ...(env.allowedOrigins ? { ALLOWED_ORIGINS: env.allowedOrigins.join(',') } : {}),
    },
    ...(port === undefined ? {} : { port, host: '127.0.0.1' }),
  });
  const url = await mf.ready;
  return { mf, url, script };
}
