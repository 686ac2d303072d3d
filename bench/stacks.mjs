// The compose stacks every up/down benchmark runs (gantry's own and the peers'): n services of
// the busybox test image serving httpd on a shared named volume, a depends_on chain of depth 3
// (s1 <- s2 <- s3, the rest on s1), one bridge network, the last service published on 127.0.0.1.
export function stack(name, n, { image = 'gantry-test/busybox:latest', port }) {
  const lines = [`name: ${name}`, 'services:'];
  for (let i = 1; i <= n; i++) {
    const dep = n === 1 ? '' : i === 1 ? '' : i <= 3 ? `s${i - 1}` : 's1';
    lines.push(
      `  s${i}:`,
      `    image: ${image}`,
      '    init: true',
      '    command: ["httpd", "-f", "-p", "80", "-h", "/data"]',
      '    volumes: [data:/data]',
    );
    if (dep) lines.push(`    depends_on: [${dep}]`);
    if (i === n) lines.push(`    ports: ["127.0.0.1:${port}:80"]`);
  }
  lines.push('volumes: {data: {}}', '');
  return lines.join('\n');
}
