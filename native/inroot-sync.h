/* gantry-shim fs sync ROOT UID GID: watch's sync (src/engine/develop-sync.ts), many files in one
 * run. stdin holds NUL-separated records: "w\0HOST\0DST\0" copies the host file HOST (the
 * developer's tree, followed as the host resolves it) to DST in the root, "d\0DST\0" removes DST
 * (a tree, walked by fds). DST is resolved only in the root (RESOLVE_IN_ROOT, see inroot-fs.h):
 * missing parents are made there owned by UID:GID; a file is written to a temp name in its parent
 * and renamed over DST, so a reader inside never sees half a file and a symlink planted at DST
 * is replaced, never written through. Files get HOST's mode and UID:GID ("-1": root's). A record
 * that fails is reported on stderr and the rest still run (exit 1 at the end). */

static int sync_errors;
static uid_t sync_uid; static gid_t sync_gid;

static void sync_warn(const char *what, const char *path) {
  fprintf(stderr, "gantry-shim fs sync: %s %s: %s\n", what, path, strerror(errno));
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
    if (mkdirat(p, b, 0755) < 0 && errno != EEXIST) { close(p); return -1; }
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
  char base[256]; int par = fs_parent(root, dst, base, sizeof base);
  if (par < 0) { if (errno != ENOENT && errno != ENOTDIR) sync_warn("open parent of", dst); return; }
  sync_remove(par, base, 0);
  close(par);
}

static void sync_write(int root, const char *host, const char *dst) {
  int in = open(host, O_RDONLY | O_NONBLOCK | O_CLOEXEC); struct stat st;
  if (in < 0 && (errno == ENOENT || errno == ENOTDIR)) { sync_delete(root, dst); return; }  /* gone meanwhile */
  if (in < 0 || fstat(in, &st) < 0) { sync_warn("open", host); if (in >= 0) close(in); return; }
  char base[256], tmp[64]; int par = sync_parent(root, dst, base, sizeof base);
  if (par < 0) { sync_warn("open parent of", dst); close(in); return; }
  if (S_ISDIR(st.st_mode)) {
    struct stat old;
    if (fstatat(par, base, &old, AT_SYMLINK_NOFOLLOW) == 0 && !S_ISDIR(old.st_mode)) unlinkat(par, base, 0);
    if (mkdirat(par, base, st.st_mode & 07777) < 0 && errno != EEXIST) sync_warn("mkdir", dst);
    else if (fchownat(par, base, sync_uid, sync_gid, AT_SYMLINK_NOFOLLOW) < 0) sync_warn("chown", dst);
  } else if (S_ISREG(st.st_mode)) {
    fs_tmpname(tmp, sizeof tmp);
    int out = openat(par, tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (out < 0) sync_warn("create", dst);
    else {
      fs_pump(in, out, host);
      if (fchown(out, sync_uid, sync_gid) < 0 || fchmod(out, st.st_mode & 07777) < 0) sync_warn("chmod", dst);
      close(out);
      struct stat old;  /* a directory where the file goes is replaced by it, as Compose's sync does */
      if (fstatat(par, base, &old, AT_SYMLINK_NOFOLLOW) == 0 && S_ISDIR(old.st_mode)) sync_remove(par, base, 0);
      if (renameat(par, tmp, par, base) < 0) { sync_warn("rename", dst); unlinkat(par, tmp, 0); }
    }
  }
  close(par); close(in);
}

static int fs_sync_op(char **a) {
  int root = fs_root(a[0]);
  sync_uid = (uid_t)strtol(a[1], 0, 10); sync_gid = (gid_t)strtol(a[2], 0, 10);
  static char buf[1 << 16]; size_t have = 0; int eof = 0;
  for (;;) {
    /* Records: op, then one or two NUL-terminated paths; read more until a whole one is held. */
    char *p = buf, *end = buf + have, *z1 = memchr(p, 0, end - p);
    char *z2 = z1 ? memchr(z1 + 1, 0, end - z1 - 1) : NULL;
    char *z3 = z2 && *p == 'w' ? memchr(z2 + 1, 0, end - z2 - 1) : z2;
    if (z3) {
      if (*p == 'w') sync_write(root, z1 + 1, z2 + 1);
      else if (*p == 'd') sync_delete(root, z1 + 1);
      else { errno = EINVAL; sync_warn("record", p); }
      size_t used = (size_t)(z3 + 1 - buf);
      memmove(buf, buf + used, have - used); have -= used;
      continue;
    }
    if (eof) break;
    if (have == sizeof buf) { errno = ENAMETOOLONG; fs_die("record", "stdin"); }
    ssize_t r = read(0, buf + have, sizeof buf - have);
    if (r < 0 && errno == EINTR) continue;
    if (r < 0) fs_die("read", "stdin");
    if (r == 0) eof = 1; else have += (size_t)r;
  }
  if (have) { errno = EINVAL; sync_warn("truncated record", "stdin"); }
  return sync_errors ? 1 : 0;
}
