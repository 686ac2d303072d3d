/* gantry-shim fs: file operations inside a root (a container's /proc/PID/root, a volume, a layer
 * stack) done by the kernel. A path of a root is resolved only by openat2(RESOLVE_IN_ROOT |
 * RESOLVE_NO_MAGICLINKS) from an fd of that root; below it, a tree is walked by *at() calls on
 * directory fds already open with O_NOFOLLOW, and files are created as a temp name then
 * renameat() in the same directory fd. So a container swapping a directory for a symlink while
 * we work cannot redirect a read or a write out of its root (the CVE-2018-15664 class): nothing
 * is resolved by path twice. TypeScript decides what to copy where; this only performs it.
 *
 *   fs [overlay CWD DATA MNT] OP ARGS   overlay: mount a read-only overlay at MNT in a private
 *                                        mount namespace first (gone when we exit)
 *   copy SRCROOT SRC DSTROOT DST FLAGS  FLAGS (or "-"): a owners, L follow SRC's last link,
 *                                        c SRC's entries into the dir DST, m (with c) SRC's mode,
 *                                        owner and times onto DST, d device nodes and fifos too,
 *                                        x extended attributes too, h hard links kept
 *   stat (ROOT PATH FOLLOW(0|1))...     prints "d|f|l|o MODE UID GID" (octal mode), or "-", a line each
 *   cat ROOT PATH                       the file to stdout
 *   write ROOT PATH MODE                stdin to the file, atomically
 *   mkdir ROOT PATH MODE                mkdir -p inside the root
 *   list ROOT PATH                      "TYPE NAME\0" per entry
 *   sync                                watch's batches of writes and removals on stdin (inroot-sync.h) */
#include <dirent.h>
#include <sys/sendfile.h>
#include <sys/xattr.h>

static int fs_owners, fs_devices, fs_xattrs, fs_tmpn;
static const char *fs_op_name = "fs";

static void fs_die(const char *what, const char *path) {
  fprintf(stderr, "gantry-shim fs %s: %s %s: %s\n", fs_op_name, what, path, strerror(errno));
  exit(errno == ENOENT || errno == ENOTDIR ? 2 : 1);
}

static int fs_root(const char *dir) {
  int fd = open(dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) fs_die("open root", dir);
  return fd;
}

/* The only path resolution of a root's path: in the root, no magic links (/proc/self/root). */
static int fs_in(int root, const char *path, int flags, int follow) {
  struct open_how how = { .flags = (unsigned long long)(flags | O_CLOEXEC | (follow ? 0 : O_NOFOLLOW)),
                          .resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS };
  return openat2_retry(root, *path ? path : "/", &how);
}

/* The directory that holds path (followed inside the root) and its last component. */
static int fs_parent(int root, const char *path, char *base, size_t n) {
  char d[4096]; size_t len = strlen(path);
  while (len > 1 && path[len - 1] == '/') len--;
  const char *s = memrchr(path, '/', len);
  size_t b = s ? (size_t)(s - path) + 1 : 0;
  snprintf(base, n, "%.*s", (int)(len - b), path + b);
  if (!*base || !strcmp(base, ".") || !strcmp(base, "..")) { errno = EINVAL; return -1; }
  snprintf(d, sizeof d, "%.*s", (int)b, path);
  return fs_in(root, d, O_PATH | O_DIRECTORY, 1);
}

/* how: 0 fd is an open file, 1 fd is an O_PATH directory, 2 `at` is a link or node in dir fd. */
static void fs_meta(int fd, const char *at, const struct stat *st, int how) {
  struct timespec t[2] = { st->st_atim, st->st_mtim };
  int r = 0;
  if (fs_owners) r = how == 0 ? fchown(fd, st->st_uid, st->st_gid) : how == 1 ? fchownat(fd, "", st->st_uid, st->st_gid, AT_EMPTY_PATH)
                   : fchownat(fd, at, st->st_uid, st->st_gid, AT_SYMLINK_NOFOLLOW);
  if (r < 0) fs_die("chown", at);  /* chown first: it clears set-id bits that chmod then restores */
  if (!S_ISLNK(st->st_mode)) r = how == 0 ? fchmod(fd, st->st_mode & 07777) : fchmodat(fd, how == 1 ? "." : at, st->st_mode & 07777, 0);
  if (r < 0) fs_die("chmod", at);
  r = how == 0 ? futimens(fd, t) : utimensat(fd, how == 1 ? "." : at, t, how == 2 ? AT_SYMLINK_NOFOLLOW : 0);
  if (r < 0) fs_die("utimes", at);
}

static void fs_tmpname(char *buf, size_t n) { snprintf(buf, n, ".gantry-fs.%d.%d", (int)getpid(), fs_tmpn++); }

static void fs_pump(int in, int out, const char *name) {
  for (;;) {
    ssize_t r = sendfile(out, in, NULL, 1 << 30);
    if (r == 0) return;
    if (r > 0) continue;
    if (errno != EINVAL && errno != ENOSYS) fs_die("copy", name);
    char buf[65536];  /* a pipe or a file sendfile cannot read: plain read/write */
    for (;;) {
      ssize_t k = read(in, buf, sizeof buf);
      if (k < 0) fs_die("read", name);
      if (k == 0) return;
      for (ssize_t w = 0; w < k;) { ssize_t x = write(out, buf + w, k - w); if (x < 0) fs_die("write", name); w += x; }
    }
  }
}

/* Extended attributes (file capabilities, user.*) from fd to fd, as cp -a: after the chown that
 * clears security.capability; a name the target refuses is skipped. */
static void fs_copy_xattrs(int in, int out) {
  static char names[65536], val[65536];
  ssize_t n = fs_xattrs ? flistxattr(in, names, sizeof names) : -1;
  for (char *k = names; n > 0 && k < names + n; k += strlen(k) + 1) {
    if (!strncmp(k, "trusted.overlay.", 16)) continue;
    ssize_t v = fgetxattr(in, k, val, sizeof val);
    if (v >= 0 && fsetxattr(out, k, val, v, 0) < 0) {}
  }
}

/* A directory's xattrs: both O_PATH fds reopened readable (xattr calls refuse O_PATH). */
static void fs_copy_dir_xattrs(int src, int dst) {
  if (!fs_xattrs) return;
  int in = openat(src, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC), out = openat(dst, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (in >= 0 && out >= 0) fs_copy_xattrs(in, out);
  if (in >= 0) close(in);
  if (out >= 0) close(out);
}

/* Hard links (flag h, as cp -a): the source (dev, inode) of files with several names, and an
 * O_PATH fd of our copy of each, linked again with linkat(AT_EMPTY_PATH). Bounded: past the
 * table's end, further names are copied as files. */
static int fs_hardlinks;
static struct { dev_t dev; ino_t ino; int fd; } fs_links[1024];
static int fs_nlinks;
static int *fs_hardlink_of(const struct stat *st) {
  if (!fs_hardlinks || st->st_nlink < 2) return NULL;
  for (int i = 0; i < fs_nlinks; i++) if (fs_links[i].dev == st->st_dev && fs_links[i].ino == st->st_ino) return &fs_links[i].fd;
  if (fs_nlinks == (int)(sizeof fs_links / sizeof fs_links[0])) return NULL;
  fs_links[fs_nlinks].dev = st->st_dev; fs_links[fs_nlinks].ino = st->st_ino; fs_links[fs_nlinks].fd = -1;
  return &fs_links[fs_nlinks++].fd;
}

static void fs_copy(int src, const struct stat *st, int dpar, const char *name, int depth);

static void fs_copy_dir(int src, int dst, int depth) {
  int rd = openat(src, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  DIR *d = rd < 0 ? NULL : fdopendir(rd);
  if (!d) fs_die("opendir", ".");
  for (struct dirent *e; (e = readdir(d));) {
    if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..")) continue;
    int c = openat(src, e->d_name, O_PATH | O_NOFOLLOW | O_CLOEXEC);
    struct stat cst;
    if (c < 0 && errno == ENOENT) continue;  /* removed meanwhile */
    if (c < 0 || fstat(c, &cst) < 0) fs_die("open", e->d_name);
    fs_copy(c, &cst, dst, e->d_name, depth + 1);
    close(c);
  }
  closedir(d);
}

/* src: an O_PATH fd of the object (never followed); the copy becomes dpar/name. */
static void fs_copy(int src, const struct stat *st, int dpar, const char *name, int depth) {
  struct stat old; char tmp[64];
  int have = fstatat(dpar, name, &old, AT_SYMLINK_NOFOLLOW) == 0;
  if (depth > 256) { errno = ELOOP; fs_die("copy", name); }
  if (S_ISDIR(st->st_mode)) {
    if (have && !S_ISDIR(old.st_mode) && unlinkat(dpar, name, 0) < 0) fs_die("unlink", name);
    if ((!have || !S_ISDIR(old.st_mode)) && mkdirat(dpar, name, 0700) < 0) fs_die("mkdir", name);
    int dst = openat(dpar, name, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (dst < 0) fs_die("open", name);
    fs_copy_dir(src, dst, depth);
    fs_meta(dst, "", st, 1);
    fs_copy_dir_xattrs(src, dst);
    close(dst);
    return;
  }
  if (have && S_ISDIR(old.st_mode)) { errno = EISDIR; fs_die("cannot overwrite directory with a non-directory:", name); }
  fs_tmpname(tmp, sizeof tmp);
  int *first = S_ISREG(st->st_mode) ? fs_hardlink_of(st) : NULL;
  if (first && *first >= 0) {  /* a second name of a file already copied: link to our copy */
    if (linkat(*first, "", dpar, tmp, AT_EMPTY_PATH) < 0) fs_die("link", name);
  } else if (S_ISREG(st->st_mode)) {
    char self[64]; snprintf(self, sizeof self, "/proc/self/fd/%d", src);  /* reopens this inode, resolves nothing */
    int in = open(self, O_RDONLY | O_CLOEXEC), out = openat(dpar, tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (in < 0 || out < 0) fs_die("open", name);
    fs_pump(in, out, name);
    fs_meta(out, name, st, 0);
    fs_copy_xattrs(in, out);
    close(in); close(out);
  } else if (S_ISLNK(st->st_mode)) {
    char target[4097]; ssize_t n = readlinkat(src, "", target, sizeof target - 1);
    if (n < 0) fs_die("readlink", name);
    target[n] = 0;
    if (symlinkat(target, dpar, tmp) < 0) fs_die("symlink", name);
    fs_meta(dpar, tmp, st, 2);
  } else {
    if (!fs_devices) return;  /* cp: devices, fifos and sockets are not copied */
    if (S_ISSOCK(st->st_mode)) return;
    if (mknodat(dpar, tmp, st->st_mode, st->st_rdev) < 0) fs_die("mknod", name);
    fs_meta(dpar, tmp, st, 2);
  }
  if (renameat(dpar, tmp, dpar, name) < 0) { int e = errno; unlinkat(dpar, tmp, 0); errno = e; fs_die("rename", name); }
  if (first && *first < 0) *first = openat(dpar, name, O_PATH | O_NOFOLLOW | O_CLOEXEC);
}

static int fs_copy_op(char **a) {
  const char *flags = a[4];
  fs_owners = !!strchr(flags, 'a'); fs_devices = !!strchr(flags, 'd'); fs_xattrs = !!strchr(flags, 'x');
  fs_hardlinks = !!strchr(flags, 'h');
  int sroot = fs_root(a[0]), droot = fs_root(a[2]);
  int src = fs_in(sroot, a[1], O_PATH, !!strchr(flags, 'L'));
  struct stat st;
  if (src < 0 || fstat(src, &st) < 0) fs_die("source", a[1]);
  if (strchr(flags, 'c')) {
    int dst = fs_in(droot, a[3], O_PATH | O_DIRECTORY, 1);
    if (dst < 0) fs_die("destination", a[3]);
    if (!S_ISDIR(st.st_mode)) { errno = ENOTDIR; fs_die("source", a[1]); }
    fs_copy_dir(src, dst, 0);
    if (strchr(flags, 'm')) { fs_meta(dst, "", &st, 1); fs_copy_dir_xattrs(src, dst); }
    return 0;
  }
  char base[256]; int par = fs_parent(droot, a[3], base, sizeof base);
  if (par < 0) fs_die("destination", a[3]);
  fs_copy(src, &st, par, base, 0);
  return 0;
}

static int fs_nstat;  /* stat takes several ROOT PATH FOLLOW triples: one run for cp's checks */
static int fs_stat_op(char **a) {
  for (int k = 0; k < fs_nstat; k++, a += 3) {
    struct stat st; int root = fs_root(a[0]), fd = fs_in(root, a[1], O_PATH, a[2][0] == '1');
    if (fd < 0 && (errno == ENOENT || errno == ENOTDIR)) { puts("-"); close(root); continue; }
    if (fd < 0 || fstat(fd, &st) < 0) fs_die("stat", a[1]);
    char t = S_ISDIR(st.st_mode) ? 'd' : S_ISREG(st.st_mode) ? 'f' : S_ISLNK(st.st_mode) ? 'l' : 'o';
    printf("%c %o %u %u\n", t, st.st_mode & 07777, st.st_uid, st.st_gid);
    close(fd); close(root);
  }
  return 0;
}

static int fs_cat_op(char **a) {
  int fd = fs_in(fs_root(a[0]), a[1], O_RDONLY | O_NONBLOCK, 1); struct stat st;
  if (fd < 0 || fstat(fd, &st) < 0) fs_die("open", a[1]);
  if (!S_ISREG(st.st_mode)) { errno = EINVAL; fs_die("not a regular file:", a[1]); }
  fs_pump(fd, 1, a[1]);
  return 0;
}

static int fs_write_op(char **a) {
  char base[256], tmp[64]; int par = fs_parent(fs_root(a[0]), a[1], base, sizeof base);
  if (par < 0) fs_die("open parent of", a[1]);
  fs_tmpname(tmp, sizeof tmp);
  int out = openat(par, tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
  if (out < 0) fs_die("create", a[1]);
  fs_pump(0, out, a[1]);
  if (fchmod(out, strtoul(a[2], 0, 8)) < 0 || fsync(out) < 0) fs_die("write", a[1]);
  if (renameat(par, tmp, par, base) < 0) { int e = errno; unlinkat(par, tmp, 0); errno = e; fs_die("rename", a[1]); }
  return 0;
}

/* mkdir -p: each missing component is made in its parent, found in the root again; a dangling
 * link on the way is an error (EEXIST), never followed out. */
static int fs_mkdir_op(char **a) {
  int root = fs_root(a[0]); char part[4096]; size_t len = strlen(a[1]);
  for (size_t k = 1; k <= len; k++) {
    if (a[1][k] != '/' && a[1][k] != 0) continue;
    snprintf(part, sizeof part, "%.*s", (int)k, a[1]);
    int fd = fs_in(root, part, O_PATH | O_DIRECTORY, 1);
    if (fd >= 0) { close(fd); continue; }
    char base[256]; int par = fs_parent(root, part, base, sizeof base);
    if (par < 0 || (mkdirat(par, base, strtoul(a[2], 0, 8)) < 0 && errno != EEXIST)) fs_die("mkdir", part);
    close(par);
  }
  int fd = fs_in(root, a[1], O_PATH | O_DIRECTORY, 1);
  if (fd < 0) fs_die("mkdir", a[1]);
  return 0;
}

static int fs_list_op(char **a) {
  int fd = fs_in(fs_root(a[0]), a[1], O_RDONLY | O_DIRECTORY, 1);
  DIR *d = fd < 0 ? NULL : fdopendir(fd);
  if (!d) fs_die("list", a[1]);
  for (struct dirent *e; (e = readdir(d));) {
    if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..")) continue;
    char t = e->d_type == DT_DIR ? 'd' : e->d_type == DT_REG ? 'f' : e->d_type == DT_LNK ? 'l' : 'o';
    printf("%c %s%c", t, e->d_name, 0);
  }
  return 0;
}

static void fs_overlay(char **a) {
  if (unshare(CLONE_NEWNS) < 0 || mount(0, "/", 0, MS_REC | MS_PRIVATE, 0) < 0) fs_die("unshare", "mount namespace");
  if (chdir(a[0]) < 0) fs_die("chdir", a[0]);  /* lowerdirs are relative to it: one page of options */
  if (mount("overlay", a[2], "overlay", MS_RDONLY | MS_NODEV | MS_NOSUID, a[1]) < 0) fs_die("mount overlay", a[2]);
  if (chdir("/") < 0) fs_die("chdir", "/");
}

#include "inroot-sync.h"

static int fs_main(int argc, char **argv) {
  static const struct { const char *name; int nargs; int (*run)(char **); } ops[] = {
    { "copy", 5, fs_copy_op }, { "cat", 2, fs_cat_op },
    { "write", 3, fs_write_op }, { "sync", 0, fs_sync_op }, { "mkdir", 3, fs_mkdir_op }, { "list", 2, fs_list_op },
  };
  umask(0);
  if (argc >= 4 && !strcmp(argv[0], "overlay")) { fs_overlay(argv + 1); argc -= 4; argv += 4; }
  if (argc > 1 && !strcmp(argv[0], "stat") && (argc - 1) % 3 == 0) { fs_op_name = "stat"; fs_nstat = (argc - 1) / 3; return fs_stat_op(argv + 1); }
  for (size_t i = 0; argc > 0 && i < sizeof ops / sizeof ops[0]; i++)
    if (!strcmp(argv[0], ops[i].name) && argc == 1 + ops[i].nargs) { fs_op_name = ops[i].name; return ops[i].run(argv + 1); }
  fprintf(stderr, "usage: gantry-shim fs [overlay CWD DATA MNT] copy|stat|cat|write|mkdir|list|sync ARGS\n");
  return 125;
}
