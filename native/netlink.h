/* netlink.h: `gantry-shim netlink JOB...`, the network's link executor. It does over rtnetlink what
 * `ip -batch` did for the lines gantry emits on up's path (src/network/netlink-ops.ts translates
 * them), in this one process: a host job, then each namespace's job after a setns into it, where
 * `/bin/sh` → `ip -batch` → one `ip -n NS -batch` per namespace forked and exec'd three programs
 * and more (bench/RESULTS.md, issue 20, nl11). A JOB is `job PATH|-` then ops:
 *   netns NAME | bridge NAME MTU MAC | veth HOST PEER MTU MAC NSPATH | addr DEV A.B.C.D PREFIX
 *   up DEV | master DEV BRIDGE | mac DEV MAC | route DEV GATEWAY | alias DEV TEXT   (MTU 0, MAC -: none)
 * and a teardown's: group DEV GROUP | del DEV | delgroup GROUP | netnsdel NAME. A delete's ack comes
 * after the kernel's RCU wait on the link (rtnl_unlock runs the todo list first), so this process's
 * exit means the kernel is done: no `ip` tail outlives a down (bench/RESULTS.md, down12).
 * `netlink --rules JOB...`: iptables-restore -w --noflush of stdin runs meanwhile in a child (netlink-rules.h).
 * Output is the `ip` launcher's (src/network/ip-batches.ts): a failed host job prints `host 1` and
 * its error and stops; job i prints `i ERROR` lines then `i =STATUS`. A job stops at its first
 * failing op, as `ip -batch` does, with ip's words. Exit 2 (bad arguments) means nothing was done. */
#include <arpa/inet.h>
#include <linux/if_link.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/veth.h>

static const int nl_argc[] = { 1, 3, 5, 3, 1, 2, 2, 2, 2, 2, 1, 1, 1 };
static const char *const nl_ops[] = { "netns", "bridge", "veth", "addr", "up", "master", "mac", "route", "alias",
                                      "group", "del", "delgroup", "netnsdel" };
#define NL_NOPS 13

struct nl_msg { struct nlmsghdr h; char body[1024]; };
static int nl_sock = -1, nl_seq;

static void *nl_tail(struct nl_msg *m) { return (char *)&m->h + NLMSG_ALIGN(m->h.nlmsg_len); }
static struct rtattr *nl_put(struct nl_msg *m, int type, const void *data, int len) {
  struct rtattr *a = nl_tail(m);
  a->rta_type = type; a->rta_len = RTA_LENGTH(len);
  if (len) memcpy(RTA_DATA(a), data, len);
  m->h.nlmsg_len = NLMSG_ALIGN(m->h.nlmsg_len) + RTA_ALIGN(a->rta_len);
  return a;
}
static void nl_close_nest(struct nl_msg *m, struct rtattr *a) { a->rta_len = (char *)nl_tail(m) - (char *)a; }
static void *nl_start(struct nl_msg *m, int type, int flags, int hdrlen) {
  memset(m, 0, sizeof *m);
  m->h.nlmsg_len = NLMSG_LENGTH(hdrlen); m->h.nlmsg_type = type;
  m->h.nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | flags; m->h.nlmsg_seq = ++nl_seq;
  return NLMSG_DATA(&m->h);
}

static char nl_ext[256];  /* the kernel's extended ack message ("ipv4: Address already assigned"), ip prints it */
static void nl_extack(struct nlmsghdr *h) {
  struct nlmsgerr *e = NLMSG_DATA(h);
  int off = sizeof *e + ((h->nlmsg_flags & NLM_F_CAPPED) ? 0 : e->msg.nlmsg_len - NLMSG_HDRLEN);
  int len = h->nlmsg_len - NLMSG_HDRLEN - off;
  nl_ext[0] = 0;
  if (!(h->nlmsg_flags & NLM_F_ACK_TLVS)) return;
  for (struct rtattr *a = (void *)((char *)e + off); RTA_OK(a, len); a = RTA_NEXT(a, len))
    if (a->rta_type == NLMSGERR_ATTR_MSG) snprintf(nl_ext, sizeof nl_ext, "%s", (char *)RTA_DATA(a));
}

/* Sends and waits for the kernel's ack: 0, or the errno it answered. */
static int nl_talk(struct nl_msg *m) {
  char buf[8192];
  if (send(nl_sock, m, m->h.nlmsg_len, 0) < 0) return errno;
  for (;;) {
    ssize_t n = recv(nl_sock, buf, sizeof buf, 0);
    if (n < 0) { if (errno == EINTR) continue; return errno; }
    for (struct nlmsghdr *h = (void *)buf; NLMSG_OK(h, n); h = NLMSG_NEXT(h, n))
      if (h->nlmsg_seq == m->h.nlmsg_seq && h->nlmsg_type == NLMSG_ERROR) {
        nl_extack(h);
        return -((struct nlmsgerr *)NLMSG_DATA(h))->error;
      }
  }
}

static int nl_mac(const char *s, unsigned char out[6]) {
  return sscanf(s, "%hhx:%hhx:%hhx:%hhx:%hhx:%hhx", &out[0], &out[1], &out[2], &out[3], &out[4], &out[5]) == 6;
}
static void nl_link_attrs(struct nl_msg *m, const char *name, const char *mtu, const char *mac) {
  unsigned char a[6]; unsigned v = (unsigned)atoi(mtu);
  nl_put(m, IFLA_IFNAME, name, strlen(name) + 1);
  if (v) nl_put(m, IFLA_MTU, &v, sizeof v);
  if (strcmp(mac, "-") && nl_mac(mac, a)) nl_put(m, IFLA_ADDRESS, a, 6);
}

static char nl_err[512];  /* the failed op's words, as `ip` prints them */
static int nl_index(const char *dev) {
  int i = (int)if_nametoindex(dev);
  if (!i) snprintf(nl_err, sizeof nl_err, "Cannot find device \"%s\"", dev);
  return i;
}
static int nl_rt(int e) {
  size_t n = strlen(nl_ext);
  if (e && n) snprintf(nl_err, sizeof nl_err, "Error: %s%s", nl_ext, nl_ext[n - 1] == '.' ? "" : ".");
  else if (e) snprintf(nl_err, sizeof nl_err, "RTNETLINK answers: %s", strerror(e));
  return e;
}

/* RTM_NEWLINK on an existing link: up, master, mac, alias. */
static int nl_set_link(const char *op, char **a) {
  struct nl_msg m; struct ifinfomsg *i = nl_start(&m, RTM_NEWLINK, 0, sizeof *i);
  unsigned char mac[6];
  if (!(i->ifi_index = nl_index(a[0]))) return ENODEV;
  if (!strcmp(op, "up")) { i->ifi_change = IFF_UP; i->ifi_flags = IFF_UP; }
  else if (!strcmp(op, "master")) {
    int b = (int)if_nametoindex(a[1]);
    if (!b) { snprintf(nl_err, sizeof nl_err, "Error: argument \"%s\" is wrong: Device does not exist", a[1]); return ENODEV; }
    nl_put(&m, IFLA_MASTER, &b, sizeof b);
  }
  else if (!strcmp(op, "alias")) nl_put(&m, IFLA_IFALIAS, a[1], strlen(a[1]));  /* no NUL, as ip sends it */
  else if (!strcmp(op, "group")) { unsigned g = (unsigned)strtoul(a[1], 0, 10); nl_put(&m, IFLA_GROUP, &g, sizeof g); }
  else if (nl_mac(a[1], mac)) nl_put(&m, IFLA_ADDRESS, mac, 6);
  return nl_rt(nl_talk(&m));
}

static int nl_new_link(const char *op, char **a) {
  struct nl_msg m; nl_start(&m, RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL, sizeof(struct ifinfomsg));
  int bridge = !strcmp(op, "bridge"), nsfd = -1;
  if (bridge) nl_link_attrs(&m, a[0], a[1], a[2]);
  else nl_link_attrs(&m, a[0], a[2], "-");
  struct rtattr *info = nl_put(&m, IFLA_LINKINFO, 0, 0);
  nl_put(&m, IFLA_INFO_KIND, bridge ? "bridge" : "veth", bridge ? 7 : 5);
  if (!bridge) {
    if ((nsfd = open(a[4], O_RDONLY | O_CLOEXEC)) < 0) {
      snprintf(nl_err, sizeof nl_err, "Cannot open network namespace \"%s\": %s", a[4], strerror(errno));
      return errno;
    }
    struct rtattr *data = nl_put(&m, IFLA_INFO_DATA, 0, 0), *peer = nl_put(&m, VETH_INFO_PEER, 0, 0);
    m.h.nlmsg_len += NLMSG_ALIGN(sizeof(struct ifinfomsg));  /* the peer's own (zeroed) ifinfomsg */
    nl_link_attrs(&m, a[1], a[2], a[3]);
    nl_put(&m, IFLA_NET_NS_FD, &nsfd, sizeof nsfd);
    nl_close_nest(&m, peer); nl_close_nest(&m, data);
  }
  nl_close_nest(&m, info);
  int e = nl_rt(nl_talk(&m));
  if (nsfd >= 0) close(nsfd);
  return e;
}

static int nl_addr_or_route(const char *op, char **a) {
  struct nl_msg m; struct in_addr ip; int dev = nl_index(a[0]);
  if (!dev) return ENODEV;
  if (inet_pton(AF_INET, a[1], &ip) != 1) { snprintf(nl_err, sizeof nl_err, "Error: an inet address is expected rather than \"%s\".", a[1]); return EINVAL; }
  if (!strcmp(op, "addr")) {
    struct ifaddrmsg *i = nl_start(&m, RTM_NEWADDR, NLM_F_CREATE | NLM_F_EXCL, sizeof *i);
    i->ifa_family = AF_INET; i->ifa_prefixlen = atoi(a[2]); i->ifa_index = dev;
    nl_put(&m, IFA_LOCAL, &ip, 4); nl_put(&m, IFA_ADDRESS, &ip, 4);
  } else {  /* route replace default via GATEWAY dev DEV */
    struct rtmsg *r = nl_start(&m, RTM_NEWROUTE, NLM_F_CREATE | NLM_F_REPLACE, sizeof *r);
    r->rtm_family = AF_INET; r->rtm_table = RT_TABLE_MAIN; r->rtm_protocol = RTPROT_BOOT;
    r->rtm_scope = RT_SCOPE_UNIVERSE; r->rtm_type = RTN_UNICAST;
    nl_put(&m, RTA_GATEWAY, &ip, 4); nl_put(&m, RTA_OIF, &dev, sizeof dev);
  }
  return nl_rt(nl_talk(&m));
}

/* `ip netns add NAME`, as iproute2 does it: /run/netns a shared mount point (so a namespace's bind
 * mount reaches every mount namespace), an empty file, a new net namespace bind-mounted onto it;
 * then back to the namespace we were in. */
static int nl_netns_add(const char *name, int home) {
  char path[300]; int fd;
  snprintf(path, sizeof path, "/run/netns/%s", name);
  mkdir("/run/netns", 0755);
  if (mount("", "/run/netns", "none", MS_SHARED | MS_REC, 0) < 0 && errno == EINVAL
      && (mount("/run/netns", "/run/netns", "none", MS_BIND | MS_REC, 0) < 0
          || mount("", "/run/netns", "none", MS_SHARED | MS_REC, 0) < 0)) goto fail;
  if ((fd = open(path, O_RDONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0)) < 0) goto fail;
  close(fd);
  if (unshare(CLONE_NEWNET) < 0 || mount("/proc/thread-self/ns/net", path, "none", MS_BIND, 0) < 0) {
    int e = errno; setns(home, CLONE_NEWNET); unlink(path); errno = e; goto fail;
  }
  if (setns(home, CLONE_NEWNET) < 0) goto fail;
  return 0;
fail:
  snprintf(nl_err, sizeof nl_err, "Cannot create namespace file \"%s\": %s", path, strerror(errno));
  return errno;
}

/* `ip link del DEV` (by index, as ip sends it) and `ip link del group G` (index 0, IFLA_GROUP). */
static int nl_del_link(const char *op, char **a) {
  struct nl_msg m; struct ifinfomsg *i = nl_start(&m, RTM_DELLINK, 0, sizeof *i);
  if (!strcmp(op, "del")) { if (!(i->ifi_index = nl_index(a[0]))) return ENODEV; }
  else { unsigned g = (unsigned)strtoul(a[0], 0, 10); nl_put(&m, IFLA_GROUP, &g, sizeof g); }
  return nl_rt(nl_talk(&m));
}

/* `ip netns del NAME`, as iproute2 does it: a lazy unmount, then the file's unlink. */
static int nl_netns_del(const char *name) {
  char path[300];
  snprintf(path, sizeof path, "/run/netns/%s", name);
  umount2(path, MNT_DETACH);
  if (unlink(path) == 0) return 0;
  snprintf(nl_err, sizeof nl_err, "Cannot remove namespace file \"%s\": %s", path, strerror(errno));
  return errno;
}

static int nl_op(int k, char **a, int home) {
  const char *op = nl_ops[k];
  if (k == 10 || k == 11) return nl_del_link(op, a);
  if (k == 12) return nl_netns_del(a[0]);
  if (k == 0) return nl_netns_add(a[0], home);
  if (k <= 2) return nl_new_link(op, a);
  if (k == 3 || k == 7) return nl_addr_or_route(op, a);
  return nl_set_link(op, a);
}
static int nl_find(const char *op) { for (int k = 0; k < NL_NOPS; k++) if (!strcmp(op, nl_ops[k])) return k; return -1; }

/* Runs one job (argv[from..to)), in its namespace; 0, or 1 with nl_err set, as `ip -batch` exits. */
static int nl_job(char **argv, int from, int to, int home, int *failed_line) {
  const char *ns = argv[from + 1]; int line = 0, e = 0;
  if (strcmp(ns, "-")) {
    int fd = open(ns, O_RDONLY | O_CLOEXEC);
    if (fd < 0 || setns(fd, CLONE_NEWNET) < 0) {
      snprintf(nl_err, sizeof nl_err, "Cannot open network namespace \"%s\": %s", ns, strerror(errno));
      if (fd >= 0) close(fd);
      *failed_line = 0; return 1;
    }
    close(fd);
  }
  nl_sock = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);  /* bound to the namespace it is made in */
  int one = 1;
  setsockopt(nl_sock, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof one);
  setsockopt(nl_sock, SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof one);
  for (int i = from + 2; i < to && !e; line++) {
    int k = nl_find(argv[i]);
    e = nl_op(k, argv + i + 1, home);
    i += 1 + nl_argc[k];
  }
  close(nl_sock);
  if (strcmp(ns, "-") && setns(home, CLONE_NEWNET) < 0) { perror("setns home"); exit(1); }
  *failed_line = line;
  return e ? 1 : 0;
}

#include "netlink-rules.h"

int netlink_main(int argc, char **argv) {
  int starts[4096], njobs = 0, rules = argc > 2 && !strcmp(argv[2], "--rules");
  for (int i = 2 + rules; i < argc;) {  /* check it all first: exit 2 means nothing was done */
    int k = strcmp(argv[i], "job") ? nl_find(argv[i]) : -2, n = k == -2 ? 1 : k < 0 ? -1 : nl_argc[k];
    if (n < 0 || i + n >= argc || (k != -2 && njobs == 0) || (k == -2 && njobs == 4096)) {
      fprintf(stderr, "gantry-shim netlink: bad op \"%s\"\n", argv[i]); return 2;
    }
    if (k == -2) starts[njobs++] = i;
    i += 1 + n;
  }
  int home = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
  if (home < 0) { perror("gantry-shim netlink: /proc/self/ns/net"); return 2; }
  setvbuf(stdout, 0, _IOLBF, 0);
  pid_t restore = rules ? nl_rules_start() : 0;
  for (int j = 0, out = 0; j < njobs; j++) {
    int line, host = !strcmp(argv[starts[j] + 1], "-") && j == 0;
    int st = nl_job(argv, starts[j], j + 1 < njobs ? starts[j + 1] : argc, home, &line);
    if (host) { if (st) { printf("host %d\n%s\nCommand failed -:%d\n", st, nl_err, line); break; } continue; }
    if (st && line) printf("%d %s\n%d Command failed -:%d\n", out, nl_err, out, line);
    else if (st) printf("%d %s\n", out, nl_err);
    printf("%d =%d\n", out++, st);
  }
  if (rules) nl_rules_report(restore);
  return 0;
}
