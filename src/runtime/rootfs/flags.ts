// mount(2) flag bits (linux/mount.h), so mount ops can be written as numbers for the shim.
export const MS = {
  RDONLY: 1,
  NOSUID: 2,
  NODEV: 4,
  NOEXEC: 8,
  REMOUNT: 32,
  BIND: 4096,
  REC: 16384,
  UNBINDABLE: 1 << 17,
  PRIVATE: 1 << 18,
  SLAVE: 1 << 19,
  SHARED: 1 << 20,
  STRICTATIME: 1 << 24,
} as const;

export const PROPAGATION: Readonly<Record<string, number>> = {
  private: MS.PRIVATE,
  rprivate: MS.PRIVATE | MS.REC,
  slave: MS.SLAVE,
  rslave: MS.SLAVE | MS.REC,
  shared: MS.SHARED,
  rshared: MS.SHARED | MS.REC,
};

/** mount_setattr(2) attribute bits (linux/mount.h MOUNT_ATTR_*), for the shim's mountattr op. */
export const MOUNT_ATTR = { RDONLY: 0x1, NOSUID: 0x2, NODEV: 0x4, NOEXEC: 0x8 } as const;
