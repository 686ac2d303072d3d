// Whether a process id names a live process (EPERM: alive, owned by another user); used to tell
// the leftovers of killed gantry processes (temp dirs, namespaces named after their pid).
export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
