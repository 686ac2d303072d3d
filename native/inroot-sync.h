/* gantry-shim fs sync: watch's sync (src/common/in-root-sync.ts), one long-lived process that
 * takes batches on stdin, so a save costs a pipe write, not a process start (≈ 50 ms under load).
 * NUL-separated records: "r\0ROOT\0UID\0GID\0" opens the root of the next records (a
 * container's /proc/PID/root, opened afresh for each batch so no fd pins a dead container),
 * "w\0HOST\0DST\0" copies the host file HOST (the developer's tree, followed as the host
 * resolves it) to DST in the root, "d\0DST\0" removes DST (a tree, walked by fds), "e\0\0" ends
 * the batch: one line on stdout, "ok" or "err N LAST-ERROR". DST is resolved only in the root (RESOLVE_IN_ROOT, see inroot-fs.h):
 * missing parents are made there owned by UID:GID; a file is written to a temp name in its parent
 * and renamed over DST, so a reader inside never sees half a file and a symlink planted at DST
 * is replaced, never written through. Files get HOST's mode and UID:GID ("-1": keep root's). A
 * record that fails is counted and the rest of its batch still runs. */

static int sync_errors;
static char sync_last[512];
static uid_t sync_uid; static gid_t sync_gid;
static mode_t sync_umask;  /* the caller's, for new directories; files get HOST's mode exactly */
static pid_t sync_pid;     /* temp names: one getpid() per process, not per file */
static unsigned sync_tmpn;

/* A burst writes thousands of files into a few directories: the parent's fd (resolved in the root
 * once) is kept for the next records of the batch while they share it, which saves an openat2
 * and a close per file. Any removal or directory record drops it (it may name what they change),
 * and so does the batch's end, so no fd pins a dead container. set_gid: the parent is set-gid (a
 * new file takes its group, so the owner must be set); kept: dir names it (else it serves one record). */
static struct { int fd, set_gid, kept; char dir[4096]; } sync_par = { .fd = -1 };

static void sync_par_drop(void) {
  if (sync_par.fd >= 0) close(sync_par.fd);
  sync_par.fd = -1;
}

static void sync_warn(const char *what, const char *path) {
  snprintf(sync_last, sizeof sync_last, "%s %s: %s", what, path, strerror(errno));
  for (char *c = sync_last; *c; c++) if (*c == '\n') *c = ' ';
  sync_errors++;
}

/* mkdir -p of DST's parent inside the root, new directories owned by the container user. */
static int sync_parent(int root, const char *dst, char *base, size_t n) {
  int par = fs_parent(root, dst, base, n);
  if (par >= 0 || errno != ENOENT) return par;
  char part[4096]; size_t len = strlen(dst);
  while (len > 1 && dst[len - 1] == '/') len--;
  for (size_t k = 1; k < len; k++) {
    if (dst[k] != '/') continue;
    snprintf(part, sizeof part, "%.*s", (int)k, dst);
    int fd = fs_in(root, part, O_PATH | O_DIRECTORY, 1);
    if (fd >= 0) { close(fd); continue; }
    char b[256]; int p = fs_parent(root, part, b, sizeof b);
    if (p < 0) return -1;
    if (mkdirat(p, b, 0755 & ~sync_umask) < 0 && errno != EEXIST) { close(p); return -1; }
    if (fchownat(p, b, sync_uid, sync_gid, AT_SYMLINK_NOFOLLOW) < 0) { close(p); return -1; }
    close(p);
  }
  return fs_parent(root, dst, base, n);
}

/* Removes dir/name, a tree walked by fds opened O_NOFOLLOW (a link is removed, not followed). */
static void sync_remove(int dir, const char *name, int depth) {
  if (unlinkat(dir, name, 0) == 0 || errno == ENOENT) return;
  if ((errno != EISDIR && errno != EPERM) || depth > 256) { sync_warn("remove", name); return; }
  int fd = openat(dir, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  DIR *d = fd < 0 ? NULL : fdopendir(fd);
  if (!d) { sync_warn("open", name); return; }
  for (struct dirent *e; (e = readdir(d));) {
    if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) sync_remove(dirfd(d), e->d_name, depth + 1);
  }
  closedir(d);
  if (unlinkat(dir, name, AT_REMOVEDIR) < 0 && errno != ENOENT) sync_warn("remove", name);
}

static void sync_delete(int root, const char *dst) {
  sync_par_drop();  /* what it removes may hold the kept parent */
  char base[256]; int par = fs_parent(root, dst, base, sizeof base);
  if (par < 0) { if (errno != ENOENT && errno != ENOTDIR) sync_warn("open parent of", dst); return; }
  sync_remove(par, base, 0);
  close(par);
}

/* DST's parent directory (made if missing) and its last component: the kept fd while DST is in
 * the same directory as the previous record's, else resolved in the root and kept. *fresh: just
 * resolved (a kept one may have been removed by the container meanwhile). Never closed by the caller. */
static int sync_dir_of(int root, const char *dst, char *base, size_t n, int *fresh) {
  const char *s = strrchr(dst, '/');
  size_t dl = s ? (size_t)(s - dst) : 0;
  int same = s && s[1] && sync_par.fd >= 0 && sync_par.kept && dl < sizeof sync_par.dir && !sync_par.dir[dl] &&
             !memcmp(sync_par.dir, dst, dl) && strcmp(s + 1, ".") && strcmp(s + 1, "..");
  *fresh = !same;
  if (same) { snprintf(base, n, "%s", s + 1); return sync_par.fd; }
  sync_par_drop();
  int par = sync_parent(root, dst, base, n);
  if (par < 0) return -1;
  struct stat ps;
  sync_par.fd = par;
  sync_par.set_gid = fstat(par, &ps) < 0 || (ps.st_mode & S_ISGID);
  /* a path that does not end in its base (a trailing slash) is resolved afresh every time */
  sync_par.kept = s && s[1] && dl < sizeof sync_par.dir;
  if (sync_par.kept) snprintf(sync_par.dir, sizeof sync_par.dir, "%.*s", (int)dl, dst);
  return par;
}

/* A regular file HOST (open as in, stat st) to DST: written to a temp name, renamed over DST. */
static void sync_file(int root, int in, const struct stat *st, const char *host, const char *dst) {
  static uid_t euid = (uid_t)-1; static gid_t egid;
  if (euid == (uid_t)-1) { euid = geteuid(); egid = getegid(); }
  char base[256], tmp[64]; int fresh = 0, par = -1, out = -1;
  for (int tries = 0; out < 0 && tries < 2; tries++) {
    par = sync_dir_of(root, dst, base, sizeof base, &fresh);
    if (par < 0) { sync_warn("open parent of", dst); return; }
    /* A new file is ours (euid:egid, or the set-gid parent's group): chown only if that is not the
     * owner asked for; with no chown, the file is made with its mode (no fchmod). A set-id mode is
     * set after the chown, which would clear it. */
    int own = (sync_uid != (uid_t)-1 && sync_uid != euid) ||
              (sync_gid != (gid_t)-1 && (sync_gid != egid || sync_par.set_gid));
    int direct = !own && !(st->st_mode & 07000);
    snprintf(tmp, sizeof tmp, ".gantry-fs.%d.%u", (int)sync_pid, sync_tmpn++);
    out = openat(par, tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, direct ? st->st_mode & 0777 : 0600);
    if (out < 0 && !fresh && (errno == ENOENT || errno == ESTALE)) { sync_par_drop(); continue; }
    if (out < 0) { sync_warn("create", dst); return; }
    off_t done = 0;  /* the size stat saw: a file still being written is synced again by its next event */
    while (done < st->st_size) {
      ssize_t r = sendfile(out, in, NULL, (size_t)(st->st_size - done));
      if (r > 0) { done += r; continue; }
      if (r < 0 && (errno == EINVAL || errno == ENOSYS)) fs_pump(in, out, host);
      else if (r < 0) sync_warn("copy", host);
      break;
    }
    if (!direct && ((own && fchown(out, sync_uid, sync_gid) < 0) || fchmod(out, st->st_mode & 07777) < 0))
      sync_warn("chmod", dst);
  }
  close(out);
  /* a directory where the file goes is replaced by it, as Compose's sync does */
  int r = renameat(par, tmp, par, base);
  if (r < 0 && (errno == EISDIR || errno == ENOTEMPTY || errno == EEXIST)) {
    sync_remove(par, base, 0);
    r = renameat(par, tmp, par, base);
  }
  if (r < 0) { sync_warn("rename", dst); unlinkat(par, tmp, 0); }
}

static void sync_write(int root, const char *host, const char *dst) {
  int in = open(host, O_RDONLY | O_NONBLOCK | O_CLOEXEC); struct stat st;
  if (in < 0 && (errno == ENOENT || errno == ENOTDIR)) { sync_delete(root, dst); return; }  /* gone meanwhile */
  if (in < 0 || fstat(in, &st) < 0) { sync_warn("open", host); if (in >= 0) close(in); return; }
  if (S_ISREG(st.st_mode)) sync_file(root, in, &st, host, dst);
  else if (S_ISDIR(st.st_mode)) {
    sync_par_drop();  /* a directory record may replace what a kept parent fd names */
    char base[256]; int par = sync_parent(root, dst, base, sizeof base);
    struct stat old;
    if (par < 0) sync_warn("open parent of", dst);
    else {
      if (fstatat(par, base, &old, AT_SYMLINK_NOFOLLOW) == 0 && !S_ISDIR(old.st_mode)) unlinkat(par, base, 0);
      if (mkdirat(par, base, st.st_mode & 07777 & ~sync_umask) < 0 && errno != EEXIST) sync_warn("mkdir", dst);
      else if (fchownat(par, base, sync_uid, sync_gid, AT_SYMLINK_NOFOLLOW) < 0) sync_warn("chown", dst);
      close(par);
    }
  }
  close(in);
}

/* The fields of the record at buf (op letter, then n NUL-terminated fields); NULL until whole. */
static char *sync_record(char *buf, char *end, int n, char **f) {
  char *p = memchr(buf, 0, end - buf);
  for (int i = 0; p && i < n; i++) { f[i] = p + 1; p = p + 1 < end ? memchr(p + 1, 0, end - p - 1) : NULL; }
  return p ? p + 1 : NULL;
}

static void sync_one(int *root, char op, char **f) {
  if (op == 'r' || op == 'e') sync_par_drop();
  if (op == 'r') {
    if (*root >= 0) close(*root);
    *root = open(f[0], O_PATH | O_DIRECTORY | O_CLOEXEC);
    if (*root < 0) sync_warn("open root", f[0]);
    sync_uid = (uid_t)strtol(f[1], 0, 10); sync_gid = (gid_t)strtol(f[2], 0, 10);
  } else if (op == 'e') {
    if (*root >= 0) close(*root);
    *root = -1;
    if (sync_errors) printf("err %d %s\n", sync_errors, sync_last); else puts("ok");
    fflush(stdout);
    sync_errors = 0;
  } else if (*root < 0) {
    if (!sync_errors) { errno = EBADF; sync_warn("no root for", f[0]); }
  } else if (op == 'w') sync_write(*root, f[0], f[1]);
  else sync_delete(*root, f[0]);
}

static int fs_sync_op(char **a) {
  (void)a;
  /* Records are taken from buf[off, have); the rest is moved down only before a read, not after
   * every record (a 5,000-file batch would otherwise move the 64 KiB buffer 5,000 times). */
  static char buf[1 << 16]; size_t have = 0, off = 0; int eof = 0, root = -1;
  sync_umask = umask(0);
  sync_pid = getpid();
  static const int nfields[128] = { ['r'] = 3, ['w'] = 2, ['d'] = 1, ['e'] = 1 };
  for (;;) {
    char *f[3] = { 0 }; int n = have > off ? nfields[(unsigned char)buf[off] & 127] : 0;
    char *next = n ? sync_record(buf + off, buf + have, n, f) : NULL;
    if (have > off && !n) { fprintf(stderr, "gantry-shim fs sync: bad record\n"); return 1; }
    if (next) {
      sync_one(&root, buf[off], f);
      off = (size_t)(next - buf);
      continue;
    }
    if (eof) return have > off ? 1 : 0;
    if (off) { memmove(buf, buf + off, have - off); have -= off; off = 0; }
    if (have == sizeof buf) { errno = ENAMETOOLONG; fs_die("record", "stdin"); }
    ssize_t r = read(0, buf + have, sizeof buf - have);
    if (r < 0 && errno == EINTR) continue;
    if (r < 0) fs_die("read", "stdin");
    if (r == 0) eof = 1; else have += (size_t)r;
  }
}
