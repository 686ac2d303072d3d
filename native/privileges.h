/* gantry-shim: the privilege steps: loopback up, pivot_root with the old root detached, the
 * capability bounding set, uid/gid/groups, the remaining caps, and PID-1 init duties.
 * Included once by gantry-shim.c (uses its fail() and plan tokens). */

static void loopback_up(void) {
  int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0); struct ifreq ifr = {0};
  strcpy(ifr.ifr_name, "lo");
  if (s < 0 || ioctl(s, SIOCGIFFLAGS, &ifr) < 0) fail("loopback", "lo");
  ifr.ifr_flags |= IFF_UP;
  if (ioctl(s, SIOCSIFFLAGS, &ifr) < 0) fail("loopback", "lo");
  close(s);
}


static void set_caps(unsigned long long mask) {
  struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
  struct __user_cap_data_struct d[2] = {{0}};
  d[0].effective = d[0].permitted = (unsigned)mask; d[1].effective = d[1].permitted = (unsigned)(mask >> 32);
  if (getuid() != 0) memset(d, 0, sizeof d);  /* Docker: a non-root user starts with no caps */
  if (syscall(SYS_capset, &h, d) < 0) fail("capset", "");
  if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) < 0 && errno != EINVAL) fail("ambient", "");
}

static void drop_bounding(unsigned long long keep) {
  for (int c = 0; c < 64; c++)
    if (!(keep & (1ULL << c)) && prctl(PR_CAPBSET_DROP, c, 0, 0, 0) < 0 && errno != EINVAL) fail("bounding", "");
}

/* ids are 0..4294967294: (uid_t)-1 means "unchanged" to setresuid, and a wrapped number is root */
#define ID_MAX 4294967294ULL
static void set_user(int i, int n) {  /* tok[i]=uid tok[i+1]=gid then n-2 groups (count checked) */
  gid_t g[256]; int ng = 0;
  if (n < 2 || n - 2 > 256) { errno = EINVAL; fail("user", "needs uid, gid and at most 256 groups"); }
  for (int k = 2; k < n; k++) g[ng++] = (gid_t)num(tok[i + k], 10, ID_MAX);
  uid_t uid = (uid_t)num(tok[i], 10, ID_MAX); gid_t gid = (gid_t)num(tok[i + 1], 10, ID_MAX);
  if (setgroups(ng, g) < 0) fail("setgroups", "");
  if (setresgid(gid, gid, gid) < 0) fail("setgid", tok[i + 1]);
  if (setresuid(uid, uid, uid) < 0) fail("setuid", tok[i]);
}

static void pivot(const char *root) {
  if (chdir(root) < 0) fail("chdir", root);
  if (syscall(SYS_pivot_root, ".", ".") < 0) fail("pivot_root", root);
  if (umount2(".", MNT_DETACH) < 0) fail("umount old root", root);  /* old root is gone for good */
  if (chdir("/") < 0) fail("chdir", "/");
}

static void run_init(pid_t child) {  /* PID 1 duties: forward signals, reap zombies */
  sigset_t all; sigfillset(&all);
  syscall(SYS_close_range, 3, ~0U, 0);  /* hold no pipe of the caller's */
  for (;;) {
    siginfo_t si; int sig = sigwaitinfo(&all, &si);
    if (sig == SIGCHLD) {
      int st; pid_t p;
      while ((p = waitpid(-1, &st, WNOHANG)) > 0)
        if (p == child) _exit(WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st));
    } else if (sig > 0 && sig != SIGTTIN && sig != SIGTTOU) kill(child, sig);
  }
}

