/* gantry-shim: the plan's wire format and strict access to its tokens. A plan is a sequence of
 * netstrings: a token's byte length in decimal (no sign, no leading zero), ':', the bytes, ','.
 * Lengths, not separators, delimit tokens, so no value (a working dir, a sysctl, a hostname) can
 * end early and smuggle in an op. The decoder accepts nothing else: a NUL inside a token, a
 * length past the end, a missing ',' or trailing bytes reject the whole plan before any step runs.
 * Ops then read their operands through T(), which refuses a token the plan does not have, and
 * their numbers through num(), which refuses anything but plain digits in range.
 * Included once by gantry-shim.c (uses tok, ntok, errfd, reportfd and fail()). */

#define PLAN_MAX (64u << 20)  /* far above any real plan; a larger file is not ours */

/* In the container's child: a setup failure (reported as such); before it: say why on the report
 * pipe (TypeScript shows it) and stop. */
static void plan_error(const char *why, const char *what) {
  if (errfd >= 0) { char step[128]; snprintf(step, sizeof step, "malformed plan: %s", why); errno = EINVAL; fail(step, what); }
  if (reportfd >= 0) dprintf(reportfd, "error malformed plan: %s %s\n", why, what ? what : "");
  fprintf(stderr, "gantry-shim: malformed plan: %s %s\n", why, what ? what : "");
  exit(125);
}

static void load_plan(const char *path) {
  int fd = open(path, O_RDONLY | O_CLOEXEC); struct stat st;
  if (fd < 0 || fstat(fd, &st) < 0) { perror(path); exit(125); }
  if (!S_ISREG(st.st_mode) || (unsigned long long)st.st_size > PLAN_MAX) plan_error("not a plan file", path);
  size_t size = (size_t)st.st_size, got = 0, p = 0;
  char *buf = malloc(size + 1), at[32];
  while (got < size) { ssize_t r = read(fd, buf + got, size - got); if (r <= 0) plan_error("short read", path); got += r; }
  close(fd);
  tok = malloc(sizeof(char *) * (size / 3 + 1));  /* the shortest token, "0:,", is 3 bytes */
  while (p < size) {
    size_t len = 0, digits = 0;
    snprintf(at, sizeof at, "at byte %zu", p);
    while (p < size && buf[p] >= '0' && buf[p] <= '9' && digits < 9) { len = len * 10 + (size_t)(buf[p++] - '0'); digits++; }
    if (digits == 0) plan_error("length expected", at);
    if (digits > 1 && buf[p - digits] == '0') plan_error("leading zero in length", at);
    if (p >= size || buf[p] != ':') plan_error("':' expected after the length", at);
    p++;
    if (len > size - p) plan_error("token longer than the plan", at);
    if (memchr(buf + p, 0, len)) plan_error("NUL byte inside a token", at);
    if (p + len >= size || buf[p + len] != ',') plan_error("',' expected after the token", at);
    buf[p + len] = 0;  /* the ',' becomes the C string's end */
    tok[ntok++] = buf + p;
    p += len + 1;
  }
}

/* Token k, or a plan error when the op that wants it runs past the plan's end. */
static const char *T(int k) {
  if (k < 0 || k >= ntok) plan_error("missing operand", k > 0 && k - 1 < ntok ? tok[k - 1] : "");
  return tok[k];
}

/* A number token: digits only (base 8, 10 or 16), below `max`. strtoul would read "" as 0,
 * "4294967296" as a wrapped uid, and "12abc" as 12; here each is an error. */
static unsigned long long num(const char *s, int base, unsigned long long max) {
  unsigned long long v = 0;
  if (!*s || strlen(s) > 20) plan_error("bad number", s);
  for (const char *c = s; *c; c++) {
    int d = *c >= '0' && *c <= '9' ? *c - '0' : *c >= 'a' && *c <= 'f' ? *c - 'a' + 10 : 99;
    if (d >= base || (unsigned)d > max || v > (max - (unsigned)d) / (unsigned)base) plan_error("bad number", s);
    v = v * (unsigned)base + (unsigned)d;
  }
  return v;
}

/* A count of `per`-token groups starting at token `at`: they must all be in the plan. */
static int count_at(int k, int per) {
  int n = (int)num(T(k), 10, 1u << 24);
  if ((long long)n * per > ntok - (k + 1)) plan_error("count past the plan's end", tok[k]);
  return n;
}
