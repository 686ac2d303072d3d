/* gantry-shim: mount attributes on a whole mount tree with mount_setattr(2) (Linux 5.12). A bind
 * made read-only by MS_REMOUNT|MS_RDONLY changes its top mount only, so `/:/host:ro` would leave
 * every submount (/host/proc, /host/sys, …) writable; AT_RECURSIVE applies the change to each.
 * TypeScript passes the exact MOUNT_ATTR_* bits. Included once by gantry-shim.c (uses fail(),
 * root_open()). */
#ifndef AT_RECURSIVE
#define AT_RECURSIVE 0x8000
#endif

static void mount_attr(const char *path, unsigned long long set, unsigned long long clr, int recursive) {
  /* O_PATH on a mount point crosses into the mount on top of it: the bind just made */
  int fd = in_root(path) ? root_open(path + 1, O_PATH) : open(path, O_PATH | O_CLOEXEC);
  if (fd < 0) fail("open mount", path);
  struct mount_attr attr = { .attr_set = set, .attr_clr = clr };
  unsigned flags = AT_EMPTY_PATH | (recursive ? AT_RECURSIVE : 0);
  if (syscall(SYS_mount_setattr, fd, "", flags, &attr, sizeof attr) < 0) fail("mount_setattr", path);
  close(fd);
}
