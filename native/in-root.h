/* gantry-shim: paths inside the container's rootfs. A plan path "@/x" is resolved with
 * openat2(RESOLVE_IN_ROOT) against the rootfs, so a symlink in the image (/data -> /etc) can
 * never make a mkdir, touch or mount land on the host. Included once by gantry-shim.c. */
#include <linux/openat2.h>

/* openat2 with RESOLVE_IN_ROOT/BENEATH fails with EAGAIN when a rename or mount happened anywhere
 * on the host while a ".." was being resolved (the kernel cannot prove it stayed inside); on a busy
 * host (other containers, builds, watch syncs) that is transient, and openat2(2) says to retry. */
static int openat2_retry(int dfd, const char *path, struct open_how *how) {
  for (int tries = 0;; tries++) {
    int fd = syscall(SYS_openat2, dfd, path, how, sizeof *how);
    if (fd >= 0 || errno != EAGAIN || tries == 64) return fd;
  }
}

static int rootfd = -1;
static int opened[16], nopened;

static int in_root(const char *p) { return p[0] == '@'; }

static int root_open(const char *rel, int flags) {
  struct open_how how = { .flags = (unsigned long long)(flags | O_CLOEXEC), .resolve = RESOLVE_IN_ROOT };
  return openat2_retry(rootfd, rel, &how);
}

/* "^DIR//SUB" (a volume's subpath): SUB resolved inside the host directory DIR, so a symlink
 * another container planted in the volume cannot make us bind a host directory. */
static int sub_open(const char *p) {
  const char *sep = strstr(p + 1, "//");
  char dir[4096];
  if (!sep) { errno = EINVAL; return -1; }
  snprintf(dir, sizeof dir, "%.*s", (int)(sep - p - 1), p + 1);
  int dfd = open(dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
  if (dfd < 0) return -1;
  struct open_how how = { .flags = O_PATH | O_CLOEXEC, .resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS };
  int fd = openat2_retry(dfd, *(sep + 2) ? sep + 2 : ".", &how);
  int e = errno; close(dfd); errno = e;
  return fd;
}

/* What a path-based syscall should use for p: p itself, or /proc/self/fd/N of its target in
 * the rootfs. NULL when it does not exist. */
static const char *rp(const char *p, char *buf, size_t n) {
  if (!in_root(p) && p[0] != '^') return p;
  if (nopened == 16) { errno = EMFILE; return NULL; }
  int fd = p[0] == '^' ? sub_open(p) : root_open(p + 1, O_PATH);
  if (fd < 0) return NULL;
  opened[nopened++] = fd;
  snprintf(buf, n, "/proc/self/fd/%d", fd);
  return buf;
}

static void close_opened(void) { while (nopened) close(opened[--nopened]); }

/* The directory that would hold p, and p's last component (created there, never followed). */
static int parent_of(const char *p, const char **base) {
  const char *slash = strrchr(p, '/');
  char d[4096];
  if (!slash) { errno = EINVAL; return -1; }
  *base = slash + 1;
  if (!in_root(p)) {
    snprintf(d, sizeof d, "%.*s", (int)(slash - p), p);
    return open(*d ? d : "/", O_PATH | O_DIRECTORY | O_CLOEXEC);
  }
  snprintf(d, sizeof d, "%.*s", (int)(slash - p - 1), p + 1);
  return root_open(*d ? d : "/", O_PATH | O_DIRECTORY);
}

static int exists(const char *p, int dir) {
  if (!in_root(p)) { struct stat st; return stat(p, &st) == 0 && (!dir || S_ISDIR(st.st_mode)); }
  int fd = root_open(p + 1, O_PATH | (dir ? O_DIRECTORY : 0));
  if (fd >= 0) close(fd);
  return fd >= 0;
}

/* mkdir -p, one component at a time, each inside the root. A dangling symlink on the way (the
 * image's /data -> /somewhere) is followed the way RESOLVE_IN_ROOT would: inside the root. */
static void mkdir_in_depth(const char *p, mode_t mode, int depth) {
  char part[4096];
  size_t start = in_root(p) ? 2 : 1, len = strlen(p);
  for (size_t k = start; k <= len; k++) {
    if (p[k] != '/' && p[k] != 0) continue;
    snprintf(part, sizeof part, "%.*s", (int)k, p);
    if (exists(part, 1)) continue;
    const char *base; int pfd = parent_of(part, &base);
    if (pfd < 0) fail("mkdir", p);
    if (mkdirat(pfd, base, mode) == 0) { fchmodat(pfd, base, mode, 0); close(pfd); continue; }  /* umask must not strip 1777 */
    char link[4096]; ssize_t n = errno == EEXIST && in_root(p) && depth < 8 ? readlinkat(pfd, base, link, sizeof link - 1) : -1;
    close(pfd);
    if (n < 0) fail("mkdir", p);
    link[n] = 0;
    char next[8192];
    if (link[0] == '/') snprintf(next, sizeof next, "@%s%s", link, p + k);
    else snprintf(next, sizeof next, "%.*s%s%s", (int)(base - part), part, link, p + k);
    mkdir_in_depth(next, mode, depth + 1);
    return;
  }
}
static void mkdir_in(const char *p, mode_t mode) { mkdir_in_depth(p, mode, 0); }

/* An empty file at p unless something (a file, or a symlink to one inside the root) is there;
 * a dangling symlink (Ubuntu's /etc/resolv.conf) gets its target created inside the root. */
static void touch_in_depth(const char *p, int depth) {
  if (exists(p, 0)) return;
  const char *base; int pfd = parent_of(p, &base);
  int fd = pfd < 0 ? -1 : openat(pfd, base, O_WRONLY | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0644);
  if (fd >= 0) { close(fd); close(pfd); return; }
  char link[4096]; ssize_t n = pfd >= 0 && errno == ELOOP && in_root(p) && depth < 8 ? readlinkat(pfd, base, link, sizeof link - 1) : -1;
  if (pfd >= 0) close(pfd);
  if (n < 0) fail("touch", p);
  link[n] = 0;
  char next[8192];
  if (link[0] == '/') snprintf(next, sizeof next, "@%s", link);
  else snprintf(next, sizeof next, "%.*s%s", (int)(base - p), p, link);
  char dir[8192]; snprintf(dir, sizeof dir, "%s", next);
  char *slash = strrchr(dir, '/');
  if (slash && slash > dir + 1) { *slash = 0; mkdir_in(dir, 0755); }
  touch_in_depth(next, depth + 1);
}
static void touch_in(const char *p) { touch_in_depth(p, 0); }
