// A @web/test-runner plugin that starts the real ExpressPlay emulator and the
// reference token endpoint on loopback for the browser tests, and tells the page
// where they are at GET /__expressplay/config.json. Runs under `node --import tsx`.

export function testServersPlugin() {
  let servers = null;
  return {
    name: 'expressplay-test-servers',
    async serverStart({ config }) {
      const mod = await import('./servers.ts');
      // The pages' own origin, for the token endpoint in workerd (a cross-origin endpoint there).
      const port = config.port ?? 8000;
      const pageOrigins = [...new Set([config.hostname ?? 'localhost', 'localhost', '127.0.0.1'])].map(
        (h) => `http://${h}:${port}`,
      );
      servers = await mod.startTestServers({ pageOrigins });
    },
    async serverStop() {
      await servers?.close();
    },
    serve(context) {
      if (context.path === '/__expressplay/config.json') {
        return { body: JSON.stringify(servers?.config ?? {}), type: 'application/json' };
      }
      return undefined;
    },
  };
}
