/* netlink-rules.h: a network's rules beside its links, at its make and its teardown
 * (`gantry-shim netlink --rules JOB...`). The child is iptables-restore -w --noflush reading the
 * caller's stdin (the rules), its stderr the caller's, its stdout /dev/null; this process does the
 * links meanwhile, then reaps it and prints
 * `rules =STATUS` last. Why: the CLI forks once for both (each spawn forks the whole ~50 MB CLI), and
 * nothing of the teardown outlives this process (bench/RESULTS.md, down12). */

static pid_t nl_rules_start(void) {
  pid_t pid = fork();
  if (pid == 0) {
    int null = open("/dev/null", O_WRONLY | O_CLOEXEC);
    if (null >= 0) dup2(null, 1);
    char *argv[] = { "iptables-restore", "-w", "--noflush", 0 };
    execvp(argv[0], argv);
    fprintf(stderr, "iptables-restore: %s\n", strerror(errno));
    _exit(127);
  }
  int null = open("/dev/null", O_RDONLY | O_CLOEXEC);  /* the rules' pipe is the child's alone */
  if (null >= 0) { dup2(null, 0); close(null); }
  return pid;
}

/* STATUS: the child's exit code, 128+N for signal N, -1 when it could not be forked. */
static void nl_rules_report(pid_t pid) {
  int st = 0;
  if (pid < 0) { printf("rules =-1\n"); return; }
  while (waitpid(pid, &st, 0) < 0 && errno == EINTR) {}
  printf("rules =%d\n", WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st));
}
