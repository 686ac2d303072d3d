/* gantry-shim xattrs LAYER_ROOT: sets extended attributes on files of one unpacked layer. stdin
 * is a list of records, each three length-prefixed fields (u32 little-endian length, bytes):
 * path relative to LAYER_ROOT ("" is the root), xattr name, value. TypeScript decides which
 * names are allowed; this file only makes sure every path resolves beneath LAYER_ROOT without
 * following a symlink or a magic link, and that the xattr lands on the entry itself (a symlink
 * gets it, its target never does). Included once by gantry-shim.c. */
#include <stdint.h>
#include <sys/xattr.h>
#include <linux/openat2.h>

static int xa_read(void *buf, size_t n) {  /* 1: got n bytes, 0: clean end before any, -1: short */
  size_t got = 0;
  while (got < n) {
    ssize_t r = read(0, (char *)buf + got, n - got);
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) return got == 0 && r == 0 ? 0 : -1;
    got += r;
  }
  return 1;
}

/* One field into buf (NUL-terminated); its length in *len. Longer than max: refused. */
static int xa_field(char *buf, uint32_t max, uint32_t *len, int first) {
  unsigned char le[4];
  int r = xa_read(le, 4);
  if (r <= 0) return first && r == 0 ? 0 : -1;
  *len = le[0] | le[1] << 8 | le[2] << 16 | (uint32_t)le[3] << 24;
  if (*len > max || xa_read(buf, *len) < 0) return -1;
  buf[*len] = 0;
  return 1;
}

static int xa_fail(const char *what, const char *path, const char *name) {
  fprintf(stderr, "%s \"%s\" %s: %s\n", what, path, name, strerror(errno));
  return 1;
}

static int xattrs_main(int argc, char **argv) {
  static char path[4096], name[256], value[65536 + 1];
  if (argc != 3) { fprintf(stderr, "usage: gantry-shim xattrs LAYER_ROOT < records\n"); return 2; }
  int root = open(argv[2], O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  if (root < 0) return xa_fail("open", argv[2], "");
  for (;;) {
    uint32_t plen, nlen, vlen;
    int r = xa_field(path, sizeof path - 1, &plen, 1);
    if (r == 0) return 0;
    if (r < 0 || xa_field(name, sizeof name - 1, &nlen, 0) < 0 || xa_field(value, sizeof value - 1, &vlen, 0) < 0) {
      fprintf(stderr, "xattrs: malformed record\n");
      return 2;
    }
    if (strlen(path) != plen || strlen(name) != nlen || nlen == 0) {  /* a NUL inside a field */
      errno = EINVAL;
      return xa_fail("xattrs", path, name);
    }
    /* The parent is opened beneath the root with no symlink allowed anywhere; the last
     * component is then named through the pinned fd and never followed (lsetxattr). */
    char *slash = strrchr(path, '/'), *base = slash ? slash + 1 : path;
    if (!strcmp(base, ".") || !strcmp(base, "..") || (slash && !*base)) {
      errno = EINVAL;
      return xa_fail("xattrs", path, name);
    }
    int dir = root;
    if (slash) {
      struct open_how how = { .flags = O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC,
        .resolve = RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS | RESOLVE_NO_XDEV };
      *slash = 0;
      dir = openat2_retry(root, path, &how);
      *slash = '/';
      if (dir < 0) return xa_fail("open parent of", path, name);
    }
    char at[64];
    if (*base) {
      snprintf(at, sizeof at, "/proc/self/fd/%d/", dir);
      char full[64 + 4096];
      snprintf(full, sizeof full, "%s%s", at, base);
      r = lsetxattr(full, name, value, vlen, 0);
    } else {
      snprintf(at, sizeof at, "/proc/self/fd/%d", dir);  /* the root itself: through the magic link */
      r = setxattr(at, name, value, vlen, 0);
    }
    if (dir != root) close(dir);
    if (r < 0) return xa_fail("setxattr", path, name);
  }
}
