/* gantry-shim: loads the seccomp filter TypeScript compiled (src/runtime/seccomp/compile-bpf.ts).
 * The op carries the instruction count and one hex token, 16 digits per instruction (code 4,
 * jt 2, jf 2, k 8); this file decides nothing, it parses that and calls seccomp(2).
 * Included once by gantry-shim.c. */
#include <linux/filter.h>
#include <linux/seccomp.h>

static unsigned long hex_field(const char *p, int digits) {
  unsigned long v = 0;
  for (int d = 0; d < digits; d++) {
    char c = p[d]; int x = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
    if (x < 0) { errno = EINVAL; fail("seccomp", "program is not hex"); }
    v = v << 4 | (unsigned long)x;
  }
  return v;
}

static void install_seccomp(const char *count, const char *hex) {
  long n = strtol(count, 0, 10);
  if (n < 1 || n > BPF_MAXINSNS || strlen(hex) != (size_t)n * 16) { errno = EINVAL; fail("seccomp", "program length"); }
  struct sock_filter *f = calloc((size_t)n, sizeof *f);
  if (!f) fail("seccomp", "");
  for (long i = 0; i < n; i++) {
    const char *p = hex + i * 16;
    f[i].code = (unsigned short)hex_field(p, 4);
    f[i].jt = (unsigned char)hex_field(p + 4, 2);
    f[i].jf = (unsigned char)hex_field(p + 6, 2);
    f[i].k = (unsigned int)hex_field(p + 8, 8);
  }
  struct sock_fprog prog = { (unsigned short)n, f };
  if (syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog) < 0) fail("seccomp", "");
  free(f);
}
