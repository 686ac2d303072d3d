/* gantry-shim: the runtime's only native code. It executes a plan that TypeScript wrote (a list
 * of length-prefixed tokens, see plan.h: mounts, mknods, pivot, caps, uid switch, exec) inside fresh or joined
 * namespaces, then stays behind as the container's shim: it owns the stdio pipes, writes
 * timestamped log lines, waits for PID 1 and records its exit status. Every decision (which
 * mounts, which caps, which uid) is made in TypeScript; this file only performs syscalls that
 * no util-linux tool can chain safely after pivot_root. Build: gcc -O2 -static. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <linux/capability.h>
#include <net/if.h>
#include <poll.h>
#include <pty.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

extern char **environ;
static char **tok; static int ntok;          /* the plan's tokens (plan.h) */
static int errfd = -1;                        /* child → shim: setup failure text */
static char *logpath, *statuspath, *oomsrc, *oomdst, *ptmxpath, *xattrsdir, *xattrsfile;
static long long logmax; static int logkeep;  /* log rotation (shim-io.h): bytes per file, files kept */
static int attach, keepstdin, usetty, cloneflags, initmode;
static int ctrpty, ptysock = -1;             /* the terminal comes from the container's devpts (op "pts") */
static char *nsjoin[8]; static int nnsjoin; static int nsfds[8];
static int pidjoin = -1, reportfd = -1;
static char **onexit; static int nonexit;  /* run after the status is written (run --rm) */
static char *journalpath, *journalfrag;    /* the state root's events.jsonl and the die line's "id":…,"attributes":{… */

static void fail(const char *step, const char *arg) {
  char buf[1024]; int e = errno;
  int n = snprintf(buf, sizeof buf, "%s %s: %s", step, arg ? arg : "", strerror(e));
  if (errfd >= 0 && write(errfd, buf, n) < 0) {}
  _exit(e == ENOENT && !strcmp(step, "exec") ? 127 : e == EACCES && !strcmp(step, "exec") ? 126 : 125);
}

#include "plan.h"
#include "dns-relay.h"

static int root_open(const char *rel, int flags);
static void write_str(const char *path, const char *s) {
  int fd = path[0] == '@' ? root_open(path + 1, O_WRONLY) : open(path, O_WRONLY | O_CLOEXEC);
  if (fd < 0) fail("open", path);
  if (write(fd, s, strlen(s)) < 0) fail("write", path);
  close(fd);
}

#include "in-root.h"
#include "inroot-fs.h"
#include "privileges.h"
#include "seccomp.h"
#include "xattrs.h"
#include "xattrs-list.h"
#include "mount-attr.h"

static void do_exec(int argc, char **argv, int envc, char **envp) {
  char **a = calloc(argc + 1, sizeof *a), **e = calloc(envc + 1, sizeof *e);
  memcpy(a, argv, argc * sizeof *a); memcpy(e, envp, envc * sizeof *e);
  syscall(SYS_close_range, 3, ~0U, 4 /* CLOSE_RANGE_CLOEXEC */);
  if (initmode) {
    sigset_t all; sigfillset(&all); sigprocmask(SIG_BLOCK, &all, 0);
    pid_t c = fork();
    if (c < 0) fail("fork", "init");
    if (c > 0) { close(errfd); run_init(c); }
    sigprocmask(SIG_UNBLOCK, &all, 0);
    setpgid(0, 0);
  }
  environ = e;  /* execvp searches the container's PATH, not ours */
  execvp(a[0], a);
  fail("exec", a[0]);
}

/* The pty master goes to the shim (our parent) over the socketpair made before the clone. */
static void send_master(int m) {
  char data = 'm', ctl[CMSG_SPACE(sizeof(int))] = {0};
  struct iovec v = { &data, 1 };
  struct msghdr h = { .msg_iov = &v, .msg_iovlen = 1, .msg_control = ctl, .msg_controllen = sizeof ctl };
  struct cmsghdr *c = CMSG_FIRSTHDR(&h);
  c->cmsg_level = SOL_SOCKET; c->cmsg_type = SCM_RIGHTS; c->cmsg_len = CMSG_LEN(sizeof(int));
  memcpy(CMSG_DATA(c), &m, sizeof m);
  if (ptysock < 0 || sendmsg(ptysock, &h, 0) < 0) fail("pty", "send");
  close(m); close(ptysock); ptysock = -1;
}

#define ARG(k) T(i + (k))
/* Filesystem ops (paths "@/..." resolve inside the rootfs). Returns the args consumed, or -1. */
static int fs_op(const char *op, int i) {
  if (!strcmp(op, "mount") || !strcmp(op, "omount")) {
    char sb[64], tb[64]; const char *src = *ARG(0) ? rp(ARG(0), sb, sizeof sb) : "", *dst = rp(ARG(1), tb, sizeof tb);
    if (op[0] == 'o' && (!src || !dst)) { close_opened(); return 5; }  /* optional: skip if absent */
    if (!src || !dst) fail("mount (missing path)", !src ? ARG(0) : ARG(1));
    if (mount(src, dst, ARG(2), num(ARG(3), 10, 0xffffffffu), *ARG(4) ? ARG(4) : 0) < 0) fail("mount", ARG(1));
    close_opened(); return 5;
  }
  if (!strcmp(op, "pts")) {  /* PTMX CONSOLE: a terminal of the container's devpts, as runc's: `tty` says /dev/pts/0 */
    char pb[64], cb[64], pts[256]; struct stat st; int unlock = 0;
    const char *ptmx = rp(ARG(0), pb, sizeof pb);
    int m = ptmx ? open(ptmx, O_RDWR | O_NOCTTY | O_CLOEXEC) : -1;
    if (m < 0 || fstat(m, &st) < 0 || !S_ISCHR(st.st_mode) || major(st.st_rdev) != 5 || minor(st.st_rdev) != 2) fail("open", ARG(0));
    int t = ioctl(m, TIOCSPTLCK, &unlock) < 0 ? -1 : ioctl(m, TIOCGPTPEER, O_RDWR);
    if (t < 0) fail("pty", ARG(0));
    send_master(m);
    dup2(t, 0); dup2(t, 1); dup2(t, 2); if (t > 2) close(t);
    ioctl(0, TIOCSCTTY, 0);
    ssize_t n = readlink("/proc/self/fd/0", pts, sizeof pts - 1);  /* <rootfs>/dev/pts/N: we have not pivoted yet */
    if (n < 0) fail("console", "/proc/self/fd/0");
    pts[n] = 0; close_opened(); touch_in(ARG(1));
    const char *dst = rp(ARG(1), cb, sizeof cb);
    if (!dst || mount(pts, dst, 0, MS_BIND, 0) < 0) fail("mount console", ARG(1));
    close_opened(); return 2;
  }
  if (!strcmp(op, "mountattr")) {  /* PATH SET CLEAR RECURSIVE: MOUNT_ATTR_* bits */
    mount_attr(ARG(0), num(ARG(1), 10, 0xffffffffu), num(ARG(2), 10, 0xffffffffu), (int)num(ARG(3), 10, 1)); return 4;
  }
  if (!strcmp(op, "root")) { if ((rootfd = open(ARG(0), O_PATH | O_DIRECTORY | O_CLOEXEC)) < 0) fail("open rootfs", ARG(0)); return 1; }
  if (!strcmp(op, "mkdir")) { mkdir_in(ARG(0), num(ARG(1), 8, 07777)); return 2; }
  if (!strcmp(op, "touch")) { touch_in(ARG(0)); return 1; }
  if (!strcmp(op, "write")) { write_str(ARG(0), ARG(1)); return 2; }
  if (!strcmp(op, "chdir")) { if (chdir(ARG(0)) < 0) fail("chdir", ARG(0)); return 1; }
  if (!strcmp(op, "pivot")) { pivot(ARG(0)); return 1; }
  if (!strcmp(op, "mknod") || !strcmp(op, "bmknod")) {  /* PATH MODE MAJOR MINOR: a char (mknod) or block node */
    const char *base; int pfd = parent_of(ARG(0), &base);
    mode_t kind = op[0] == 'b' ? S_IFBLK : S_IFCHR;
    if (pfd < 0 || mknodat(pfd, base, kind | num(ARG(1), 8, 07777), makedev(num(ARG(2), 10, 4095), num(ARG(3), 10, 0xfffff))) < 0) fail("mknod", ARG(0));
    fchmodat(pfd, base, num(ARG(1), 8, 07777), 0); close(pfd); return 4;
  }
  if (!strcmp(op, "mkpoint")) {  /* a mount point of the source's kind: dir or file */
    struct stat st; char sb[64]; const char *src = rp(ARG(0), sb, sizeof sb);
    if (!src || stat(src, &st) < 0) fail("stat", ARG(0));
    close_opened();
    if (S_ISDIR(st.st_mode)) mkdir_in(ARG(1), 0755); else touch_in(ARG(1));
    return 2;
  }
  if (!strcmp(op, "symlink")) {
    const char *base; int pfd = parent_of(ARG(1), &base);
    if (pfd < 0 || symlinkat(ARG(0), pfd, base) < 0) fail("symlink", ARG(1));
    close(pfd); return 2;
  }
  return -1;
}

/* Namespace and privilege ops. Returns the args consumed, or -1. */
static int proc_op(const char *op, int i) {
  if (!strcmp(op, "cgroup")) { write_str(ARG(0), "0"); return 1; }
  if (!strcmp(op, "setns")) { for (int k = 0; k < nnsjoin; k++) if (setns(nsfds[k], 0) < 0) fail("setns", nsjoin[k]); return 0; }
  if (!strcmp(op, "lo")) { loopback_up(); return 0; }
  if (!strcmp(op, "hostname")) { if (sethostname(ARG(0), strlen(ARG(0))) < 0) fail("sethostname", ARG(0)); return 1; }
  if (!strcmp(op, "rlimit")) {
    struct rlimit r = { num(ARG(1), 10, RLIM_INFINITY), num(ARG(2), 10, RLIM_INFINITY) };
    if (setrlimit(num(ARG(0), 10, 63), &r) < 0) fail("setrlimit", ARG(0));
    return 3;
  }
  if (!strcmp(op, "bounding")) { drop_bounding(num(ARG(0), 16, ~0ULL)); return 1; }
  if (!strcmp(op, "user")) { int n = count_at(i, 1); set_user(i + 1, n); return 1 + n; }
  if (!strcmp(op, "seccomp")) { install_seccomp(ARG(0), ARG(1)); return 2; }
  if (!strcmp(op, "caps")) { set_caps(num(ARG(0), 16, ~0ULL)); return 1; }
  if (!strcmp(op, "nnp")) { if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0) fail("no_new_privs", ""); return 0; }
  return -1;
}

static int child_main(void *arg) {
  int *sp = arg;  /* stdio: in, out, err */
  dns_close();
  dup2(sp[0], 0); dup2(sp[1], 1); dup2(sp[2], 2);
  umask(022);
  signal(SIGPIPE, SIG_DFL);  /* ignored signals stay ignored across exec: give the program the defaults */
  sigset_t none; sigemptyset(&none); sigprocmask(SIG_SETMASK, &none, 0);
  if (usetty) { setsid(); if (!ctrpty) ioctl(0, TIOCSCTTY, 0); }
  char **args = 0, **envs = 0; int nargs = 0, nenvs = 0;
  for (int i = 0; i < ntok;) {
    const char *op = tok[i++];
    int n = fs_op(op, i);
    if (n < 0) n = proc_op(op, i);
    if (n >= 0) { i += n; continue; }
    if (!strcmp(op, "args")) { nargs = count_at(i, 1); args = &tok[i + 1]; i += 1 + nargs; }
    else if (!strcmp(op, "env")) { nenvs = count_at(i, 1); envs = &tok[i + 1]; i += 1 + nenvs; }
    else if (!strcmp(op, "exec")) { if (nargs < 1) plan_error("exec without args", ""); do_exec(nargs, args, nenvs, envs); }
    else { errno = EINVAL; fail("plan op", op); }
  }
  errno = EINVAL; fail("plan", "has no exec");
  return 125;
}

/* Shim-level options come first in the plan and end at "begin". */
static int parse_shim_opts(void) {
  int i = 0;
  while (i < ntok) {
    const char *op = tok[i++];
    if (!strcmp(op, "begin")) return i;
    if (!strcmp(op, "log")) logpath = (char *)T(i++);
    else if (!strcmp(op, "logrotate")) { logmax = (long long)num(T(i), 10, 1ULL << 62); logkeep = (int)num(T(i + 1), 10, 1000); i += 2; }
    else if (!strcmp(op, "status")) statuspath = (char *)T(i++);
    else if (!strcmp(op, "xattrs")) { xattrsdir = (char *)T(i); xattrsfile = (char *)T(i + 1); i += 2; }
    else if (!strcmp(op, "oom")) { oomsrc = (char *)T(i++); oomdst = (char *)T(i++); }
    else if (!strcmp(op, "attach")) attach = 1;
    else if (!strcmp(op, "stdin")) keepstdin = 1;
    else if (!strcmp(op, "tty")) usetty = 1;
    else if (!strcmp(op, "ctrpty")) usetty = ctrpty = 1;
    else if (!strcmp(op, "ptmx")) ptmxpath = (char *)T(i++);  /* exec: the container's own devpts */
    else if (!strcmp(op, "init")) initmode = 1;
    else if (!strcmp(op, "dns")) { dnsns = T(i); dnsto = T(i + 1); i += 2; }  /* dns-relay.h */
    else if (!strcmp(op, "journal")) { journalpath = (char *)T(i++); journalfrag = (char *)T(i++); }
    else if (!strcmp(op, "onexit")) { nonexit = count_at(i, 1); onexit = &tok[i + 1]; i += 1 + nonexit; }
    else if (!strcmp(op, "clone")) cloneflags = (int)num(T(i++), 10, 0x7fffffff);
    else if (!strcmp(op, "joinpid")) pidjoin = open(T(i++), O_RDONLY | O_CLOEXEC);
    else if (!strcmp(op, "joinns") && nnsjoin < 8) {
      nsjoin[nnsjoin] = (char *)T(i++);
      if ((nsfds[nnsjoin] = open(nsjoin[nnsjoin], O_RDONLY | O_CLOEXEC)) < 0) { perror(nsjoin[nnsjoin]); exit(125); }
      nnsjoin++;
    }
    else { fprintf(stderr, "gantry-shim: bad option %s\n", op); exit(125); }
  }
  return i;
}

#include "shim-io.h"
#include "netlink.h"

int main(int argc, char **argv) {
  if (argc >= 2 && !strcmp(argv[1], "xattrs")) return xattrs_main(argc, argv);
  if (argc >= 2 && !strcmp(argv[1], "xattrs-list")) return xattrs_list_main(argc, argv);  /* a layer's, by fd */
  if (argc > 1 && !strcmp(argv[1], "netlink")) return netlink_main(argc, argv);  /* links, addresses, routes: netlink.h */
  if (argc > 1 && !strcmp(argv[1], "fs")) return fs_main(argc - 2, argv + 2);  /* file ops in a root: inroot-fs.h */
  if (argc < 2 || argc > 3) { fprintf(stderr, "usage: gantry-shim PLAN [REPORT-FD]\n"); return 125; }
  reportfd = argc == 3 ? atoi(argv[2]) : -1;
  /* hold no descriptor of our caller's but stdio and the report pipe (pitfall 20) */
  if (reportfd > 3) syscall(SYS_close_range, 3, reportfd - 1, 0);
  syscall(SYS_close_range, reportfd >= 3 ? reportfd + 1 : 3, ~0U, 0);
  load_plan(argv[1]);
  int start = parse_shim_opts();
  tok += start; ntok -= start;
  prctl(PR_SET_NAME, "gantry-shim");
  if (pidjoin >= 0 && setns(pidjoin, CLONE_NEWPID) < 0) { perror("setns pid"); return 125; }
  return shim_run();
}
