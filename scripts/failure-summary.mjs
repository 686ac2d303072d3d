// A test reporter that collects failed tests and writes one line each (file, name, the error's first
// lines) when the run ends. run-tests.mjs prints it after the TAP stream, because CI keeps only the
// tail of a long log and a failure buried in 1,800 TAP entries is otherwise lost.
export default async function* failureSummary(source) {
  const failed = [];
  for await (const event of source) {
    if (event.type !== 'test:fail') continue;
    const { name, file, details } = event.data;
    const error = details?.error;
    // A file's own entry and a suite fail with their subtests: keep only the leaves.
    if (error?.failureType === 'subtestsFailed') continue;
    const cause = error?.cause ?? error;
    const lines = String(cause?.message ?? cause ?? 'failed')
      .split('\n')
      .filter((l) => l.trim());
    const message = lines.slice(0, 4).join(' | ').slice(0, 400);
    failed.push(`not ok: ${file ?? '?'} :: ${name} :: ${message}`);
  }
  yield failed.length ? `${failed.join('\n')}\n` : '';
}
