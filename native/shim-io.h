/* gantry-shim, second half: start the container process, report the start to the caller on fd 3,
 * pump its output into the log (CRI format: "TIME STREAM F|P LINE") and, when attached, to our
 * own stdio, then wait for PID 1 and write the status file. Included once by gantry-shim.c. */

static pid_t pid1;
static volatile sig_atomic_t winch;
static int logfd = -1;
struct stream { int fd; const char *name; int out; char buf[16384]; size_t len; };

static void on_signal(int sig) { if (sig == SIGWINCH) winch = 1; else if (pid1 > 0) kill(pid1, sig); }

static long long logsize;  /* bytes in the current log file, for rotation at logmax */

/* container.log -> .1 -> ... -> .(logkeep-1), the oldest dropped; with one file kept, it starts
 * over. Readers notice by the inode (or the size) and finish the renamed file first. */
static void log_rotate(void) {
  if (logkeep <= 1) { if (ftruncate(logfd, 0) == 0) logsize = 0; return; }
  size_t n = strlen(logpath) + 16; char from[n], to[n];
  snprintf(to, n, "%s.%d", logpath, logkeep - 1); unlink(to);
  for (int k = logkeep - 2; k >= 1; k--) {
    snprintf(from, n, "%s.%d", logpath, k); snprintf(to, n, "%s.%d", logpath, k + 1); rename(from, to);
  }
  snprintf(to, n, "%s.1", logpath);
  if (rename(logpath, to) < 0) return;
  int fd = open(logpath, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0640);
  if (fd < 0) return;  /* keep writing to the renamed file rather than lose output */
  close(logfd); logfd = fd; logsize = 0;
}

static void log_line(struct stream *s, const char *p, size_t n, char tag) {
  if (logfd < 0) return;
  struct timespec ts; struct tm tm; char head[64];
  clock_gettime(CLOCK_REALTIME, &ts); gmtime_r(&ts.tv_sec, &tm);
  size_t h = strftime(head, sizeof head, "%Y-%m-%dT%H:%M:%S", &tm);
  h += snprintf(head + h, sizeof head - h, ".%09ldZ %s %c ", ts.tv_nsec, s->name, tag);
  struct iovec v[3] = {{head, h}, {(void *)p, n}, {"\n", 1}};
  if (logmax > 0 && logsize > 0 && logsize + (long long)(h + n + 1) > logmax) log_rotate();
  ssize_t w = writev(logfd, v, 3);
  if (w > 0) logsize += w;
}

static void log_chunk(struct stream *s, const char *p, size_t n) {
  for (size_t k = 0; k < n; k++) {
    if (p[k] == '\n') { log_line(s, s->buf, s->len, 'F'); s->len = 0; continue; }
    if (p[k] == '\r' && usetty) continue;
    s->buf[s->len++] = p[k];
    if (s->len == sizeof s->buf) { log_line(s, s->buf, s->len, 'P'); s->len = 0; }
  }
}

static void write_all(int fd, const char *p, size_t n) {
  while (n > 0) { ssize_t w = write(fd, p, n); if (w < 0 && errno == EINTR) continue; if (w <= 0) return; p += w; n -= w; }
}

/* Returns 0 at EOF. */
static int pump(struct stream *s) {
  char b[65536]; ssize_t n = read(s->fd, b, sizeof b);
  if (n < 0 && errno == EINTR) return 1;
  if (n <= 0) { if (s->len) log_line(s, s->buf, s->len, 'F'); s->len = 0; return 0; }
  log_chunk(s, b, n);
  if (attach) write_all(s->out, b, n);
  return 1;
}

static void sync_winsize(int master) {
  struct winsize ws;
  if (ioctl(0, TIOCGWINSZ, &ws) == 0) ioctl(master, TIOCSWINSZ, &ws);
}

static void write_status(int st) {
  if (!statuspath) return;
  char tmp[4096], body[8192] = "", oom[4096] = "";
  if (oomsrc) { int fd = open(oomsrc, O_RDONLY); if (fd >= 0) { ssize_t n = read(fd, oom, sizeof oom - 1); if (n > 0) oom[n] = 0; close(fd); } }
  /* Written only when the kernel counted an OOM kill: its absence reads as none (container.ts), and a
     file per exit was one inode more to create and remove on every run --rm (issue 20). */
  const char *kills = strstr(oom, "\noom_kill "); /* never the first line: v1 oom_control, v2 memory.events */
  if (oomdst && kills && strtol(kills + 10, 0, 10) > 0) {
    int fd = open(oomdst, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd >= 0) { write_all(fd, oom, strlen(oom)); close(fd); }
  }
  struct timespec ts; clock_gettime(CLOCK_REALTIME, &ts);
  int n = snprintf(body, sizeof body, "exit=%d\nsignal=%d\nfinished=%lld%03ld\n",
                   WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st), WIFSIGNALED(st) ? WTERMSIG(st) : 0,
                   (long long)ts.tv_sec, ts.tv_nsec / 1000000);
  snprintf(tmp, sizeof tmp, "%s.tmp", statuspath);
  int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (fd >= 0) {
    write_all(fd, body, n);
    struct stat st; int whole = fstat(fd, &st) == 0 && st.st_size == n && fsync(fd) == 0;
    close(fd);
    if (whole) { rename(tmp, statuspath); return; }
    unlink(tmp);
  }
  /* A full disk (a container filled the state root): the status goes in a symlink's target,
     which lives in the inode and needs no data block; readExit reads either form. */
  if (symlink(body, tmp) == 0) rename(tmp, statuspath);
}

struct io { int in[2], out[2], err[2], master, slave; };

/*
 * exec's pty comes from the container's devpts instance, so inside it the terminal has a name
 * (/dev/pts/N) as under Docker; the slave is taken from the master (TIOCGPTPEER), by no path.
 * The path runs through the container's root: only its ptmx node (5:2) is accepted.
 */
static int open_container_pty(struct io *io) {
  struct stat st;
  int unlock = 0;
  io->master = open(ptmxpath, O_RDWR | O_NOCTTY | O_NOFOLLOW | O_CLOEXEC);
  if (io->master < 0) return -1;
  if (fstat(io->master, &st) < 0 || !S_ISCHR(st.st_mode) || major(st.st_rdev) != 5 || minor(st.st_rdev) != 2) { errno = EPERM; return -1; }
  if (ioctl(io->master, TIOCSPTLCK, &unlock) < 0) return -1;
  io->slave = ioctl(io->master, TIOCGPTPEER, O_RDWR | O_NOCTTY);
  return io->slave;
}

/* Pipes (or a pty) for the container's stdio, then PID 1 itself; returns the setup error text length. */
/* The master the child sends from the container's devpts (op "pts"); -1 when it failed before. */
static int recv_master(int sock) {
  char data, ctl[CMSG_SPACE(sizeof(int))];
  struct iovec v = { &data, 1 };
  struct msghdr h = { .msg_iov = &v, .msg_iovlen = 1, .msg_control = ctl, .msg_controllen = sizeof ctl };
  ssize_t r;
  while ((r = recvmsg(sock, &h, MSG_CMSG_CLOEXEC)) < 0 && errno == EINTR) {}
  struct cmsghdr *c = r > 0 ? CMSG_FIRSTHDR(&h) : 0;
  int fd = -1;
  if (c && c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS) memcpy(&fd, CMSG_DATA(c), sizeof fd);
  return fd;
}

static ssize_t start_child(struct io *io, char *msg, size_t n) {
  int ep[2], sp[3], ps[2] = {-1, -1};
  if (pipe2(ep, O_CLOEXEC) < 0) { perror("pipe"); exit(125); }
  if (ctrpty) {
    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, ps) < 0) { perror("socketpair"); exit(125); }
    ptysock = ps[1];
    sp[0] = 0; sp[1] = 1; sp[2] = 2;  /* until the child has its terminal */
  } else if (usetty) {
    if (ptmxpath ? open_container_pty(io) < 0 : openpty(&io->master, &io->slave, 0, 0, 0) < 0) { perror(ptmxpath ? ptmxpath : "openpty"); exit(125); }
    fcntl(io->master, F_SETFD, FD_CLOEXEC);
    sp[0] = sp[1] = sp[2] = io->slave;
  } else {
    if (pipe2(io->in, O_CLOEXEC) < 0 || pipe2(io->out, O_CLOEXEC) < 0 || pipe2(io->err, O_CLOEXEC) < 0) { perror("pipe"); exit(125); }
    sp[0] = io->in[0]; sp[1] = io->out[1]; sp[2] = io->err[1];
  }
  if (logpath && (logfd = open(logpath, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0640)) < 0) { perror(logpath); exit(125); }
  struct stat lst;
  if (logfd >= 0 && fstat(logfd, &lst) == 0) logsize = lst.st_size;  /* a restart appends */
  errfd = ep[1];
  size_t stsz = 1 << 20;
  char *stack = mmap(0, stsz, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);
  pid1 = clone(child_main, stack + stsz, cloneflags | SIGCHLD, sp);
  if (pid1 < 0) { perror("clone"); exit(125); }
  close(ep[1]); errfd = -1;
  if (ctrpty) { close(ps[1]); ptysock = -1; io->master = recv_master(ps[0]); close(ps[0]); }
  else if (usetty) close(io->slave); else { close(io->in[0]); close(io->out[1]); close(io->err[1]); }
  ssize_t mn = read(ep[0], msg, n - 1);  /* EOF: the program was exec'd */
  close(ep[0]);
  if (mn > 0) msg[mn] = 0;
  return mn;
}

/* Tells the caller on the report fd: "pid N" or "error TEXT". */
static void report_start(const char *msg, ssize_t mn) {
  if (mn > 0) {
    if (reportfd >= 0) dprintf(reportfd, "error %s\n", msg); else fprintf(stderr, "gantry-shim: %s\n", msg);
  } else if (reportfd >= 0) dprintf(reportfd, "pid %d\n", pid1);
  if (reportfd >= 0) close(reportfd);
}

/* What is already written when the process exits still reaches the log, then we stop. */
static void drain(struct stream *so, struct stream *se) {
  for (;;) {
    struct pollfd p[2] = {{so->fd, POLLIN, 0}, {se->fd, POLLIN, 0}};
    if (poll(p, 2, 0) <= 0) break;
    if (p[0].revents && !pump(so)) so->fd = -1;
    if (p[1].revents && !pump(se)) se->fd = -1;
    if (so->fd < 0 && se->fd < 0) break;
  }
  if (so->len) log_line(so, so->buf, so->len, 'F');
  if (se->len) log_line(se, se->buf, se->len, 'F');
  so->len = se->len = 0;
}

/* Output → log (+ our stdio when attached), our stdin → the container, until its output ends. */
static void relay(struct io *io) {
  struct termios saved; int raw = 0;
  struct stream so = { usetty ? io->master : io->out[0], "stdout", 1, "", 0 }, se = { usetty ? -1 : io->err[0], "stderr", 2, "", 0 };
  int infd = -1, inw = usetty ? io->master : io->in[1];
  if (keepstdin && attach) infd = 0; else if (!usetty) { close(io->in[1]); inw = -1; }
  if (usetty && attach && isatty(0)) {
    sync_winsize(io->master);
    if (tcgetattr(0, &saved) == 0) { struct termios r = saved; cfmakeraw(&r); tcsetattr(0, TCSANOW, &r); raw = 1; }
  }
  /* The process's exit ends the relay even if something it left behind still holds the pipes
   * (an exec'd shell's orphans; PID 1's are killed with its namespace anyway). */
  int exited = (int)syscall(SYS_pidfd_open, pid1, 0);
  /* with the DNS relay the loop lasts until the exit, even when the program closed its output */
  while (so.fd >= 0 || se.fd >= 0 || (dns_udp >= 0 && exited >= 0)) {
    struct pollfd p[4 + 3 + 2 * DNS_TCP_MAX] = {{so.fd, POLLIN, 0}, {se.fd, POLLIN, 0}, {infd, POLLIN, 0}, {exited, POLLIN, 0}};
    int nd = dns_pollfds(p + 4);
    if (poll(p, 4 + nd, -1) < 0) { if (winch) { winch = 0; sync_winsize(io->master); } continue; }
    if (p[3].revents) { drain(&so, &se); break; }
    dns_ready(p + 4, nd);
    if (p[0].revents && !pump(&so)) so.fd = -1;
    if (p[1].revents && !pump(&se)) se.fd = -1;
    if (p[2].revents) {
      char b[4096]; ssize_t n = read(0, b, sizeof b);
      if (n > 0) write_all(inw, b, n);
      else { infd = -1; if (!usetty) { close(inw); inw = -1; } }
    }
  }
  if (raw) tcsetattr(0, TCSANOW, &saved);
}

/* The start and die events: written here, so a program that exits at once is still journalled in
 * order; one write on an O_APPEND descriptor, so a line never interleaves with gantry's own. */
static void journal_event(const char *action, int st) {
  if (!journalpath) return;
  struct timespec ts; struct tm tm; char when[64];
  clock_gettime(CLOCK_REALTIME, &ts); gmtime_r(&ts.tv_sec, &tm);
  size_t h = strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%S", &tm);
  snprintf(when + h, sizeof when - h, ".%09ldZ", ts.tv_nsec);
  size_t cap = strlen(journalfrag) + 160; char *line = malloc(cap);
  if (!line) return;
  char code[32] = "";
  if (st >= 0) snprintf(code, sizeof code, ",\"exitCode\":\"%d\"", WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st));
  int n = snprintf(line, cap, "{\"time\":\"%s\",\"type\":\"container\",\"action\":\"%s\",%s%s}}\n", when, action, journalfrag, code);
  int fd = open(journalpath, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
  if (fd >= 0) { if (n > 0 && write(fd, line, n) < 0) {} close(fd); }
  free(line);
}

static int shim_run(void) {
  struct io io = {{-1, -1}, {-1, -1}, {-1, -1}, -1, -1};
  pid_t startppid = getppid();
  /* before the clone: a Ctrl-C during setup must not kill the shim (the handler is a no-op until pid1 is known) */
  struct sigaction sa = {0}; sa.sa_handler = on_signal;
  int fwd[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2, SIGWINCH};
  if (attach) for (unsigned k = 0; k < sizeof fwd / sizeof *fwd; k++) sigaction(fwd[k], &sa, 0);
  signal(SIGPIPE, SIG_IGN);
  char msg[1024];
  dns_open();  /* before the program runs: its first lookup must find 127.0.0.11 listening */
  ssize_t mn = start_child(&io, msg, sizeof msg);
  if (mn <= 0) journal_event("start", -1);  /* before the report: `start` returns after its event */
  report_start(msg, mn);
  relay(&io);
  dns_close();
  int st = 0;
  while (waitpid(pid1, &st, 0) < 0 && errno == EINTR) {}
  if (mn <= 0) journal_event("die", st);  /* before the status file: whoever waits on it sees die first */
  /* a build's RUN: the upper dir's xattrs, listed before the status wakes the build (xattrs-list.h) */
  if (xattrsdir && mn <= 0 && WIFEXITED(st) && WEXITSTATUS(st) == 0) xattrs_list_to(xattrsdir, xattrsfile);
  write_status(st);
  /* attached, the command that started us removes the container, unless it died meanwhile */
  if (nonexit > 0 && (!attach || getppid() != startppid)) {
    char **a = calloc(nonexit + 1, sizeof *a); memcpy(a, onexit, nonexit * sizeof *a);
    execv(a[0], a);
  }
  if (mn > 0) return WIFEXITED(st) ? WEXITSTATUS(st) : 125;
  return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}
