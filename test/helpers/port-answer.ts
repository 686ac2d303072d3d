// A published port's answer: the body of GET /hostname (busybox httpd serving /etc), retried until
// the port answers, for tests that publish a container's port and check it is reached.
export async function answer(port: number, timeoutMs = 15_000): Promise<string> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await (await fetch(`http://127.0.0.1:${port}/hostname`, { signal: AbortSignal.timeout(2000) })).text();
    } catch (e) {
      if (Date.now() > until) throw e;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}
