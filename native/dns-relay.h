/* gantry-shim: Docker's embedded DNS address (127.0.0.11:53, UDP and TCP) inside the container's own
 * network namespace, relayed to the network's responder (the supervisor, on the bridge gateway).
 * The sockets are made in the container's namespace (setns there and back), so the relay costs no
 * process and no firewall rule per container, and the responder sees the container's own address as
 * the source (it answers per client). It lives and dies with the shim, i.e. with PID 1.
 * Included once by gantry-shim.c; shim-io.h polls it (dns_pollfds / dns_ready). */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/time.h>

#define DNS_SLOTS 1024   /* UDP queries in flight; an older one is forgotten (its client retries) */
#define DNS_TCP_MAX 8    /* TCP connections relayed at once; a ninth closes the oldest */

static const char *dnsns, *dnsto;            /* shim option "dns NETNS ADDRESS" */
static int dns_udp = -1, dns_up = -1, dns_tcp = -1, dns_nsfd = -1, dns_ownns = -1;
static struct sockaddr_in dns_target;
struct dns_slot { unsigned short id, orig; int used; struct sockaddr_in from; };
static struct dns_slot dns_slots[DNS_SLOTS];
static unsigned short dns_next;
struct dns_pipe { int c, u; };               /* client and upstream of one TCP connection */
static struct dns_pipe dns_pipes[DNS_TCP_MAX];
static int dns_oldest;

static void dns_die(const char *step) {
  if (reportfd >= 0) dprintf(reportfd, "error embedded dns (127.0.0.11): %s: %s\n", step, strerror(errno));
  fprintf(stderr, "gantry-shim: embedded dns (127.0.0.11): %s: %s\n", step, strerror(errno));
  exit(125);
}

static void dns_pipe_close(struct dns_pipe *p) {
  if (p->c >= 0) close(p->c);
  if (p->u >= 0) close(p->u);
  p->c = p->u = -1;
}

/* A socket of the container's namespace: a socket keeps the namespace it was made in. */
static int dns_socket(int type) {
  if (setns(dns_nsfd, CLONE_NEWNET) < 0) dns_die("setns");
  int s = socket(AF_INET, type | SOCK_CLOEXEC, 0), e = errno;
  if (setns(dns_ownns, CLONE_NEWNET) < 0) dns_die("setns back");
  errno = e;
  return s;
}

static void dns_open(void) {
  for (int k = 0; k < DNS_TCP_MAX; k++) dns_pipes[k].c = dns_pipes[k].u = -1;
  if (!dnsns) return;
  if (inet_pton(AF_INET, dnsto, &dns_target.sin_addr) != 1) plan_error("dns: not an IPv4 address", dnsto);
  dns_target.sin_family = AF_INET; dns_target.sin_port = htons(53);
  if ((dns_nsfd = open(dnsns, O_RDONLY | O_CLOEXEC)) < 0) dns_die(dnsns);
  if ((dns_ownns = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC)) < 0) dns_die("/proc/self/ns/net");
  struct sockaddr_in at = { .sin_family = AF_INET, .sin_port = htons(53), .sin_addr = { htonl(0x7f00000b) } };
  int one = 1;
  dns_udp = dns_socket(SOCK_DGRAM | SOCK_NONBLOCK);
  dns_up = dns_socket(SOCK_DGRAM | SOCK_NONBLOCK);
  dns_tcp = dns_socket(SOCK_STREAM | SOCK_NONBLOCK);
  if (dns_udp < 0 || dns_up < 0 || dns_tcp < 0) dns_die("socket");
  /* freebind: the address is taken even before lo is up; reuseaddr: a restart finds TIME_WAITs */
  setsockopt(dns_udp, IPPROTO_IP, IP_FREEBIND, &one, sizeof one);
  setsockopt(dns_tcp, IPPROTO_IP, IP_FREEBIND, &one, sizeof one);
  setsockopt(dns_tcp, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  if (bind(dns_udp, (struct sockaddr *)&at, sizeof at) < 0) dns_die("bind udp 127.0.0.11:53");
  if (bind(dns_tcp, (struct sockaddr *)&at, sizeof at) < 0) dns_die("bind tcp 127.0.0.11:53");
  if (listen(dns_tcp, 16) < 0) dns_die("listen");
  /* connected: only the responder's datagrams are received on it */
  if (connect(dns_up, (struct sockaddr *)&dns_target, sizeof dns_target) < 0) dns_die(dnsto);
}

/* In the container's child: none of these may reach the container (init mode forks, never execs).
 * In the shim: once PID 1 is gone, before its status is written, so a restart can bind again. */
static void dns_close(void) {
  int *fds[] = { &dns_udp, &dns_up, &dns_tcp, &dns_nsfd, &dns_ownns };
  for (unsigned k = 0; k < sizeof fds / sizeof *fds; k++) if (*fds[k] >= 0) { close(*fds[k]); *fds[k] = -1; }
  for (int k = 0; k < DNS_TCP_MAX; k++) if (dns_pipes[k].c >= 0) dns_pipe_close(&dns_pipes[k]);
}

static void dns_from_client(void) {
  unsigned char b[65536];
  for (int k = 0; k < 32; k++) {
    struct sockaddr_in from; socklen_t fl = sizeof from;
    ssize_t n = recvfrom(dns_udp, b, sizeof b, 0, (struct sockaddr *)&from, &fl);
    if (n < 0 && errno == EAGAIN) return;
    if (n < 12 || fl != sizeof from) continue;
    unsigned short id = dns_next++;
    struct dns_slot *s = &dns_slots[id % DNS_SLOTS];
    s->id = id; s->orig = (unsigned short)(b[0] << 8 | b[1]); s->from = from; s->used = 1;
    b[0] = (unsigned char)(id >> 8); b[1] = (unsigned char)id;
    if (send(dns_up, b, n, 0) < 0) s->used = 0;
  }
}

static void dns_from_upstream(void) {
  unsigned char b[65536];
  for (int k = 0; k < 32; k++) {
    ssize_t n = recv(dns_up, b, sizeof b, 0);
    if (n < 0 && errno == EAGAIN) return;
    if (n < 12) continue;  /* ECONNREFUSED (no responder yet) reads as an error: the client retries */
    unsigned short id = (unsigned short)(b[0] << 8 | b[1]);
    struct dns_slot *s = &dns_slots[id % DNS_SLOTS];
    if (!s->used || s->id != id) continue;
    s->used = 0;
    b[0] = (unsigned char)(s->orig >> 8); b[1] = (unsigned char)s->orig;
    sendto(dns_udp, b, n, 0, (struct sockaddr *)&s->from, sizeof s->from);
  }
}

static void dns_accept(void) {
  int c = accept4(dns_tcp, 0, 0, SOCK_CLOEXEC);
  if (c < 0) return;
  /* blocking with a 1 s limit: the responder is on the local bridge, or it is not there at all */
  struct timeval limit = { 1, 0 };
  int u = dns_socket(SOCK_STREAM);
  if (u < 0 || setsockopt(u, SOL_SOCKET, SO_SNDTIMEO, &limit, sizeof limit) < 0 ||
      connect(u, (struct sockaddr *)&dns_target, sizeof dns_target) < 0) {
    close(c); if (u >= 0) close(u); return;
  }
  setsockopt(c, SOL_SOCKET, SO_SNDTIMEO, &limit, sizeof limit);
  struct dns_pipe *p = 0;
  for (int k = 0; k < DNS_TCP_MAX && !p; k++) if (dns_pipes[k].c < 0) p = &dns_pipes[k];
  if (!p) { p = &dns_pipes[dns_oldest]; dns_pipe_close(p); dns_oldest = (dns_oldest + 1) % DNS_TCP_MAX; }
  p->c = c; p->u = u;
}

/* One read from `from`, written whole to `to`; 0 when the connection is over. */
static int dns_copy(int from, int to) {
  char b[16384]; ssize_t n = read(from, b, sizeof b);
  if (n <= 0) return 0;
  for (char *q = b; n > 0;) { ssize_t w = write(to, q, n); if (w <= 0) return 0; q += w; n -= w; }
  return 1;
}

/* Fills p with the relay's descriptors (3 + 2 per TCP connection); returns how many. */
static int dns_pollfds(struct pollfd *p) {
  if (dns_udp < 0) return 0;
  int n = 0;
  p[n++] = (struct pollfd){ dns_udp, POLLIN, 0 };
  p[n++] = (struct pollfd){ dns_up, POLLIN, 0 };
  p[n++] = (struct pollfd){ dns_tcp, POLLIN, 0 };
  for (int k = 0; k < DNS_TCP_MAX; k++) {
    p[n++] = (struct pollfd){ dns_pipes[k].c, POLLIN, 0 };
    p[n++] = (struct pollfd){ dns_pipes[k].u, POLLIN, 0 };
  }
  return n;
}

static void dns_ready(const struct pollfd *p, int n) {
  if (n == 0) return;
  if (p[0].revents) dns_from_client();
  if (p[1].revents) dns_from_upstream();
  for (int k = 0; k < DNS_TCP_MAX; k++) {
    struct dns_pipe *d = &dns_pipes[k];
    if (d->c >= 0 && p[3 + 2 * k].revents && !dns_copy(d->c, d->u)) dns_pipe_close(d);
    if (d->u >= 0 && p[4 + 2 * k].revents && !dns_copy(d->u, d->c)) dns_pipe_close(d);
  }
  if (p[2].revents) dns_accept();  /* last: it may reuse a slot whose revents were read above */
}
