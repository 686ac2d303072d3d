/* gantry-shim xattrs-list LAYER_ROOT: the extended attributes of every entry of one layer
 * directory (a RUN's upper dir, before it becomes a tar), written to stdout as records of three
 * length-prefixed fields (u32 little-endian length, bytes), the format `xattrs` reads: path
 * relative to LAYER_ROOT ("" is the root), name, value. Values are bytes (file capabilities
 * are binary). The tree is walked by directory fds opened with O_NOFOLLOW; an entry is named
 * through its parent's fd (/proc/self/fd/N/NAME with the l* calls), so a symlink is read itself
 * and never followed out of the layer. Included once by gantry-shim.c.
 * The same listing is what a container's shim writes on a clean exit with the plan option
 * `xattrs UPPER FILE` (xattrs_list_to): a build's RUN then starts no process of its own for it. */
#include <dirent.h>

static FILE *xl_out;  /* stdout unless xattrs_list_to writes a file */

static void xl_put(const char *p, uint32_t n) {
  unsigned char le[4] = { n & 255, n >> 8 & 255, n >> 16 & 255, n >> 24 };
  FILE *out = xl_out ? xl_out : stdout;
  fwrite(le, 1, 4, out);
  fwrite(p, 1, n, out);
}

/* One entry's xattrs: `at` names it without following its last component. */
static int xl_entry(const char *at, const char *rel, int follow) {
  static char names[65536], value[65536];
  ssize_t n = follow ? listxattr(at, names, sizeof names) : llistxattr(at, names, sizeof names);
  if (n < 0) return errno == ENOTSUP || errno == ENODATA ? 0 : -1;
  for (char *k = names; k < names + n; k += strlen(k) + 1) {
    ssize_t v = follow ? getxattr(at, k, value, sizeof value) : lgetxattr(at, k, value, sizeof value);
    if (v < 0) { if (errno == ENODATA) continue; return -1; }
    xl_put(rel, strlen(rel)); xl_put(k, strlen(k)); xl_put(value, (uint32_t)v);
  }
  return 0;
}

static int xl_walk(int dir, char *rel, size_t len, int depth) {
  if (depth > 256) { errno = ELOOP; return -1; }
  int rd = openat(dir, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  DIR *d = rd < 0 ? NULL : fdopendir(rd);
  if (!d) return -1;
  for (struct dirent *e; (e = readdir(d));) {
    if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..")) continue;
    size_t n = len + (len ? 1 : 0) + strlen(e->d_name);
    if (n >= 4096) { errno = ENAMETOOLONG; closedir(d); return -1; }
    size_t at = len;
    if (len) rel[at++] = '/';
    strcpy(rel + at, e->d_name);
    char via[64 + 256];
    snprintf(via, sizeof via, "/proc/self/fd/%d/%s", dir, e->d_name);
    if (xl_entry(via, rel, 0) < 0) { closedir(d); return -1; }
    int sub = e->d_type == DT_DIR || e->d_type == DT_UNKNOWN
                ? openat(dir, e->d_name, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC) : -1;
    if (sub >= 0) {
      int r = xl_walk(sub, rel, n, depth + 1);
      close(sub);
      if (r < 0) { closedir(d); return -1; }
    }
    rel[len] = 0;
  }
  closedir(d);
  return 0;
}

static int xattrs_list_main(int argc, char **argv) {
  static char rel[4096];
  if (argc != 3) { fprintf(stderr, "usage: gantry-shim xattrs-list LAYER_ROOT\n"); return 2; }
  int root = open(argv[2], O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  if (root < 0) return xa_fail("open", argv[2], "");
  char self[64];
  snprintf(self, sizeof self, "/proc/self/fd/%d", root);  /* the root itself, through its fd */
  if (xl_entry(self, "", 1) < 0 || xl_walk(root, rel, 0, 0) < 0) return xa_fail("xattrs-list", argv[2], rel);
  return fflush(stdout) == 0 ? 0 : 1;
}

/* The listing of DIR into FILE (through FILE.tmp, renamed in only when whole): absent, the
 * caller lists the layer itself. Errors are silent for the same reason. */
static void xattrs_list_to(const char *dir, const char *file) {
  static char rel[4096], tmp[4096 + 8];
  if (snprintf(tmp, sizeof tmp, "%s.tmp", file) >= (int)sizeof tmp) return;
  int root = open(dir, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  if (root < 0) return;
  int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0600);
  xl_out = fd < 0 ? NULL : fdopen(fd, "w");
  if (!xl_out) { if (fd >= 0) close(fd); close(root); return; }
  char self[64];
  snprintf(self, sizeof self, "/proc/self/fd/%d", root);
  rel[0] = 0;
  int ok = xl_entry(self, "", 1) == 0 && xl_walk(root, rel, 0, 0) == 0;
  ok = fclose(xl_out) == 0 && ok;
  xl_out = NULL;
  close(root);
  if (ok) rename(tmp, file); else unlink(tmp);
}
