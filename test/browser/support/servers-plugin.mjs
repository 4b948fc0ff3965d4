// A @web/test-runner plugin that starts the real ExpressPlay emulator and the
// reference token endpoint on loopback for the browser tests, and tells the page
// where they are at GET /__expressplay/config.json. Runs under `node --import tsx`.

export function testServersPlugin() {
  let servers = null;
  return {
    name: 'expressplay-test-servers',
    async serverStart() {
      const mod = await import('./servers.ts');
      servers = await mod.startTestServers();
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
