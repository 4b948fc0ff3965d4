// Starts the servers the browser tests talk to. Filled in by the server issue (#3):
// the emulator and the reference token endpoint, on ephemeral loopback ports.
export interface TestServers {
  config: Record<string, unknown>;
  close(): Promise<void>;
}

export async function startTestServers(): Promise<TestServers> {
  return { config: {}, close: async () => {} };
}
