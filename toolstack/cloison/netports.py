# SPDX-License-Identifier: MIT
"""The virtual switch's ports: [[uplink]] and [[netport]] tables of the
system description (docs/net-dom.md, docs/net-protocol.md).

    [[uplink]]
    device = "net0-mmio"      # the NIC ([[device]]); its holder is the switch
    irq = "net0-irq"          # the NIC's [[irq]], held by the same domain
    ip = "10.0.2.15"          # the switch's address on the uplink (router mode)
    gateway = "10.0.2.2"      # next hop of routed traffic
    vlan = "1"                # the uplink's VLANs (xl grammar, below)
    mtu = 1500                # NAT: larger DF packets get ICMP frag-needed
    nat_filter = "address"    # NAT inbound filtering: address | endpoint
    nat_udp = 300             # NAT timeouts, seconds (also nat_tcp_established,
                              # nat_tcp_transitory, nat_icmp; nat_refresh)

    [[netport]]
    channel = "guest1-net"    # a declared [[channel]]: end 0 = the switch
    mac = "52:54:00:00:01:01" # the guest's MAC (anti-spoofing, static entry)
    ip = ["10.0.2.16"]        # its IPv4 addresses (router mode: required)
    vlan = "10"               # access port in VLAN 10
    mode = "bridge"           # bridge | router | nat
    rate = "1M/s@50ms"        # TX credit: bytes per second, replenish interval
    quota = 128               # NAT: mappings this guest may hold
    forward = ["tcp:8080:80"] # NAT: uplink port 8080 -> this guest's port 80

    [[netport]]               # a run-time port: no channel; dom0 connects a
    runtime = true            # guest it creates whose config's [net] names
    port = 3                  # this number (net-dom needs a connect_inbox and
    mac = "52:54:00:00:01:03" # a "ctl" channel to dom0's "net-ctl")

VLAN grammar (xl-network-configuration's `vlan=`): VIDs 1..4094 separated
by '/'; an item is `N`, `N-M` (a range) or `N+SxC` (C VIDs from N in steps
of S); `p` after a single VID marks the PVID, `u` after the PVID makes it
leave untagged on a trunk. One VID alone is an access port (untagged, that
VID). Several VIDs make a trunk, which needs exactly one `p`, or
`native = "none"` (then no `p`: untagged ingress is dropped). The compiler
hands the switch its table (config_blob) as a read-only segment of its
image, NET_CONFIG_OFFSET below the end of its RAM, NET_CONFIG_SIZE long.
"""
import ipaddress
import re
import struct

from . import disks

# NAT timeouts: key, default (s), RFC minimum (s) (docs/net-nat.md).
NAT_TIMEOUTS = (("nat_udp", 300, 120), ("nat_tcp_established", 7440, 7440),
                ("nat_tcp_transitory", 240, 240), ("nat_icmp", 60, 60))
UPLINK_KEYS = ("device", "irq", "mac", "ip", "gateway", "vlan", "native", "ageing",
               "rate", "mtu", "nat_filter", "nat_refresh") + tuple(k for k, _, _ in NAT_TIMEOUTS)
PORT_KEYS = ("channel", "mac", "ip", "vlan", "native", "mode", "rate", "gateway",
             "dhcp", "ipv6", "quota", "forward", "runtime", "port")
RUNTIME_MARK = "@"          # a run-time port's cap field: "@" and its number
PORT_MIN, PORT_MAX = 1, 63  # a run-time port's number (cloison.guestconfig's [net] port)
MODES = {"bridge": 0, "router": 1, "nat": 2}
NAT_FILTERS = {"address": 0, "endpoint": 1}
NAT_QUOTA_MAX = 512         # net-dom/nat.h NAT_MAPPINGS
NAT_QUOTA_DEFAULT = 128     # net-dom/nat.h NAT_DEFAULT_QUOTA
NAT_FORWARDS = 16           # net-dom/nat.h NAT_FORWARDS
NAT_TIMEOUT_MAX = 1000000
MTU_MIN, MTU_MAX = 576, 1500
FORWARD_RE = re.compile(r"(tcp|udp):(\d{1,5}):(\d{1,5})")
VID_MIN, VID_MAX = 1, 4094
MAX_IPS = 4
MAX_RANGES = 12
AGEING_MAX = 1000000
# The table: 8 KiB below the block back end's configuration page (start-
# info is the last page of RAM, that one the page before it), so one domain
# could hold both.
NET_CONFIG_OFFSET = 16384
NET_CONFIG_SIZE = 8192
CONFIG_MAGIC = b"CLNTCFG1"
CONFIG_VERSION = 2
CONFIG_HEADER = struct.Struct("<8sII")                 # magic, version, count
# cap, irq cap, mac, mode, flags, n_ip, n_ranges, pvid, vflags, NAT quota,
# ip[4], rate bytes, rate us, gateway, ageing s, ranges[12] (lo, hi)
CONFIG_ENTRY = struct.Struct("<32s32s6sBBBBHHH16sIIII48s")
# NAT's settings, at NAT_OFFSET in the table (net-dom/config.h struct
# config_nat): n_forwards, filter, refresh, pad, mtu, the connect inbox's
# slots (when the switch has run-time ports), the four
# timeouts (s), inside gateway; then NAT_FORWARDS forwards: proto, port
# index, external port, inside port, pad.
NAT_OFFSET = NET_CONFIG_SIZE - 512
NAT_HEADER = struct.Struct("<BBBBHHIIII4s")
NAT_FORWARD = struct.Struct("<BBHHH")
CONFIG_MAX = (NAT_OFFSET - CONFIG_HEADER.size) // CONFIG_ENTRY.size
F_HAS_MAC, F_DHCP, F_IPV6 = 1, 2, 4
V_TRUNK, V_PVID_UNTAGGED = 1, 2
MAC_RE = re.compile(r"[0-9a-fA-F]{2}(:[0-9a-fA-F]{2}){5}")
RATE_RE = re.compile(r"(\d{1,12})([KMG]?)(?:B)?/s(?:@(\d{1,9})(ms|us))?")
RATE_RULE = ("'BYTES/s@INTERVAL', e.g. \"1M/s@50ms\" (BYTES with an optional K, M or "
             "G; INTERVAL in ms or us, default 50ms)")
VLAN_RULE = ("xl grammar: VIDs 1-4094 separated by '/', each 'N', 'N-M' or 'N+SxC', "
             "'p' after the PVID, 'u' after a PVID that leaves untagged")


class Vlan:
    def __init__(self):
        self.pvid = 1           # 0: no native VLAN
        self.trunk = False
        self.pvid_untagged = True
        self.vids = [1]


def parse_vlan(text, native_none):
    """Vlan, or raise ValueError with the reason."""
    vids, pvids, untagged = [], [], []
    for item in text.split("/"):
        m = re.fullmatch(r"(\d{1,4})([pu]{0,2})", item)
        if m and len(set(m.group(2))) == len(m.group(2)):
            v = int(m.group(1))
            new = [v]
            if "p" in m.group(2):
                pvids.append(v)
            if "u" in m.group(2):
                untagged.append(v)
        elif re.fullmatch(r"\d{1,4}-\d{1,4}", item):
            lo, hi = (int(x) for x in item.split("-"))
            if lo > hi:
                raise ValueError("range %s runs backwards" % item)
            new = list(range(lo, hi + 1))
        elif re.fullmatch(r"\d{1,4}\+\d{1,4}x\d{1,4}", item):
            a, rest = item.split("+")
            s, c = (int(x) for x in rest.split("x"))
            if s == 0 or c == 0:
                raise ValueError("%s: step and count must not be 0" % item)
            new = [int(a) + s * i for i in range(c)]
        else:
            raise ValueError("%r is not a VID, a range or a sequence" % item)
        for v in new:
            if not VID_MIN <= v <= VID_MAX:
                raise ValueError("VID %d is outside 1-4094 (0 is the priority tag, "
                                 "4095 reserved)" % v)
            if v in vids:
                raise ValueError("VID %d is listed twice" % v)
            vids.append(v)
    out = Vlan()
    out.vids = sorted(vids)
    out.trunk = len(vids) > 1 or native_none
    if len(pvids) > 1:
        raise ValueError("%d VIDs marked 'p': a port has exactly one PVID" % len(pvids))
    if native_none:
        if pvids or untagged:
            raise ValueError("native = \"none\" and a 'p' or 'u' VID contradict each other")
        out.pvid, out.pvid_untagged = 0, False
    elif out.trunk:
        if not pvids:
            raise ValueError("a trunk needs exactly one PVID marked 'p', or "
                             "native = \"none\"")
        out.pvid = pvids[0]
        if untagged and untagged != pvids:
            raise ValueError("'u' applies to the PVID only")
        out.pvid_untagged = bool(untagged)
    else:
        out.pvid, out.pvid_untagged = vids[0], True
    return out


def vid_ranges(vids):
    out = []
    for v in vids:
        if out and out[-1][1] + 1 == v:
            out[-1][1] = v
        else:
            out.append([v, v])
    return out


class Port:
    def __init__(self, line, uplink=False):
        self.line = line
        self.uplink = uplink
        self.channel = None     # guest port: the channel Object
        self.device = self.irq = None   # uplink: the NIC's Objects
        self.mac = None
        self.ips = []
        self.vlan = Vlan()
        self.mode = "bridge"
        self.rate = (0, 0)      # bytes per interval, interval in us; 0: none
        self.gateway = None
        self.dhcp = self.ipv6 = False
        self.ageing = 300
        self.quota = 0          # NAT: 0 means net-dom's default (128)
        self.forwards = []      # NAT: (proto, external port, inside port)
        self.mtu = 1500         # uplink: NAT's path MTU check
        self.nat_filter = "address"
        self.nat_refresh = False
        self.nat_timeouts = [d for _, d, _ in NAT_TIMEOUTS]
        self.number = None      # a run-time port: its number (no channel)
        self.switch_dom = None  # ... and the switch serving it

    def switch(self):
        """The switch domain: the holder of end 0 or of the NIC."""
        if self.uplink:
            return self.device.holder.domain if self.device else None
        if self.number is not None:
            return self.switch_dom
        return self.channel.ends[0].domain if self.channel else None

    @property
    def label(self):
        if self.number is not None:
            return "run-time port %d" % self.number
        return "port on channel '%s'" % self.channel.name


def _mac(r, t, path, ctx):
    v = r.string(t, "mac", path, ctx)
    if v is None:
        return None
    if not MAC_RE.fullmatch(v):
        r.err(path + ("mac",), "bad-netport", "%s: mac %r is not six hex bytes "
              "separated by ':' (e.g. \"52:54:00:00:01:01\")" % (ctx, v))
        return None
    mac = bytes(int(x, 16) for x in v.split(":"))
    if mac[0] & 1:
        r.err(path + ("mac",), "bad-netport", "%s: mac %s is a multicast address "
              "(the first byte's low bit is set); a port's MAC must be unicast" % (ctx, v))
        return None
    return mac


def _ip(r, where, ctx, text, what):
    try:
        a = ipaddress.IPv4Address(text)
    except ValueError:
        r.err(where, "bad-netport", "%s: %s %r is not a dotted IPv4 address" % (ctx, what, text))
        return None
    if a.is_multicast or a.is_unspecified or int(a) == 0xffffffff:
        r.err(where, "bad-netport", "%s: %s %s is not a unicast host address" % (ctx, what, a))
        return None
    return a


def _rate(r, t, path, ctx):
    v = r.string(t, "rate", path, ctx)
    if v is None:
        return (0, 0)
    m = RATE_RE.fullmatch(v)
    if not m:
        r.err(path + ("rate",), "bad-netport", "%s: rate %r: valid form %s" % (ctx, v, RATE_RULE))
        return (0, 0)
    per_s = int(m.group(1)) * {"": 1, "K": 1 << 10, "M": 1 << 20, "G": 1 << 30}[m.group(2)]
    us = int(m.group(3)) * (1000 if m.group(4) == "ms" else 1) if m.group(3) else 50000
    credit = per_s * us // 1000000
    if not 1 <= us <= 10000000 or not 64 <= credit < 1 << 32:
        r.err(path + ("rate",), "bad-netport", "%s: rate %r gives %d bytes per %d us; the "
              "interval must be 1 us..10 s and the credit per interval 64 bytes..4 GiB"
              % (ctx, v, credit, us))
        return (0, 0)
    return (credit, us)


def _vlan(r, t, path, ctx, port):
    native = r.string(t, "native", path, ctx)
    if native is not None and native != "none":
        r.err(path + ("native",), "bad-vlan", "%s: native %r: the only valid value is "
              "\"none\" (a trunk without a native VLAN)" % (ctx, native))
        native = None
    v = t.get("vlan")
    if isinstance(v, int) and not isinstance(v, bool):
        v = str(v)
    elif v is not None and not isinstance(v, str):
        r.err(path + ("vlan",), "type", "%s: 'vlan' must be a string or an integer" % ctx)
        return
    if v is None:
        if native is not None:
            r.err(path + ("native",), "bad-vlan", "%s: native = \"none\" needs a vlan list" % ctx)
        return
    try:
        port.vlan = parse_vlan(v, native == "none")
    except ValueError as exc:
        r.err(path + ("vlan",), "bad-vlan", "%s: vlan %r: %s (%s)" % (ctx, v, exc, VLAN_RULE))
        return
    if len(vid_ranges(port.vlan.vids)) > MAX_RANGES:
        r.err(path + ("vlan",), "bad-vlan", "%s: vlan %r makes %d runs of VIDs; at most %d"
              % (ctx, v, len(vid_ranges(port.vlan.vids)), MAX_RANGES))
        port.vlan = Vlan()


def _object(r, d, t, key, kind, path, ctx):
    name = r.string(t, key, path, ctx, required=True)
    if name is None:
        return None
    obj = d.by_name.get(name)
    if obj is None or obj.kind != kind:
        r.err(path + (key,), "bad-netport", "%s: no %s named %r is declared" % (ctx, kind, name))
        return None
    holders = [c for dom in d.domains for c in dom.caps if c.obj is obj]
    if len(holders) != 1:
        return None     # the device/irq checks say why
    obj.holder = holders[0]
    return obj


def check(checker, data):
    """Fill checker.d.netports from [[uplink]] and [[netport]]."""
    d = checker.d
    d.netports = []
    for n, t in enumerate(checker.tables(data, "uplink", (), "the top level")):
        path, ctx = ("uplink", n), "uplink #%d" % (n + 1)
        checker.fields(t, path, UPLINK_KEYS, ctx)
        p = Port(checker.pos.line(path), uplink=True)
        p.device = _object(checker, d, t, "device", "device", path, ctx)
        p.irq = _object(checker, d, t, "irq", "irq", path, ctx)
        p.mac = _mac(checker, t, path, ctx)
        ip = checker.string(t, "ip", path, ctx)
        if ip is not None:
            a = _ip(checker, path + ("ip",), ctx, ip, "ip")
            p.ips = [a] if a else []
        gw = checker.string(t, "gateway", path, ctx)
        if gw is not None:
            p.gateway = _ip(checker, path + ("gateway",), ctx, gw, "gateway")
        _vlan(checker, t, path, ctx, p)
        p.rate = _rate(checker, t, path, ctx)
        ageing = checker.integer(t, "ageing", path, ctx)
        if ageing is not None:
            if not 1 <= ageing <= AGEING_MAX:
                checker.err(path + ("ageing",), "bad-netport", "%s: ageing %d s: valid "
                            "values are 1..%d" % (ctx, ageing, AGEING_MAX))
            else:
                p.ageing = ageing
        _nat_uplink(checker, t, path, ctx, p)
        if n > 0:
            checker.err(path, "bad-netport", "%s: a switch has one uplink; this "
                        "description declares more" % ctx)
        elif p.device and p.irq and p.irq.holder.domain is not p.device.holder.domain:
            checker.err(path + ("irq",), "bad-netport", "%s: the irq is held by domain "
                        "'%s', the device by '%s': the switch needs both"
                        % (ctx, p.irq.holder.domain.name, p.device.holder.domain.name))
        else:
            d.netports.append(p)
    uplink = d.netports[0] if d.netports else None
    for n, t in enumerate(checker.tables(data, "netport", (), "the top level")):
        path = ("netport", n)
        ctx = "netport #%d" % (n + 1)
        checker.fields(t, path, PORT_KEYS, ctx)
        p = Port(checker.pos.line(path))
        runtime = checker.boolean(t, "runtime", path, ctx, False)
        cname = checker.string(t, "channel", path, ctx, required=not runtime)
        if runtime:
            if not _runtime(checker, t, path, ctx, p, uplink, d.netports):
                continue
            ctx = p.label
        elif "port" in t:
            checker.err(path + ("port",), "bad-netport", "%s: 'port' numbers a run-time port "
                        "(runtime = true); a boot port is numbered by its place" % ctx)
        if cname is not None and not runtime:
            ctx = "netport on channel '%s'" % cname
            p.channel = disks.backend_channel(checker, cname, path, ctx, "bad-netport",
                                              "a switch port", "another port",
                                              d.netports)
        p.mac = _mac(checker, t, path, ctx)
        if p.mac is None and "mac" not in t:
            checker.require(t, "mac", path, ctx)
        ips = checker.strings(t, "ip", path, ctx)
        for i, s in enumerate(ips):
            a = _ip(checker, path + ("ip",), ctx, s, "ip")
            if a is not None:
                p.ips.append(a)
        if len(ips) > MAX_IPS:
            checker.err(path + ("ip",), "bad-netport", "%s: ip lists %d addresses; at most %d"
                        % (ctx, len(ips), MAX_IPS))
        mode = checker.string(t, "mode", path, ctx)
        if mode is not None:
            if mode not in MODES:
                checker.err(path + ("mode",), "bad-netport", "%s: mode %r: valid values "
                            "are %s" % (ctx, mode, ", ".join(MODES)))
            else:
                p.mode = mode
        if p.mode == "router" and not ips and "ip" not in t:
            checker.err(path, "bad-netport", "%s: mode \"router\" needs 'ip' (the guest's "
                        "/32 routes)" % ctx)
        if p.mode == "nat" and not ips and "ip" not in t:
            checker.err(path, "bad-netport", "%s: mode \"nat\" needs 'ip' (the guest's "
                        "inside address)" % ctx)
        _nat_port(checker, t, path, ctx, p)
        _vlan(checker, t, path, ctx, p)
        if p.mode != "bridge" and "vlan" in t:
            checker.err(path + ("vlan",), "bad-vlan", "%s: VLANs apply to bridge ports "
                        "only (router ports are routed at layer 3)" % ctx)
        p.rate = _rate(checker, t, path, ctx)
        gw = checker.string(t, "gateway", path, ctx)
        if gw is not None:
            p.gateway = _ip(checker, path + ("gateway",), ctx, gw, "gateway")
        p.dhcp = checker.boolean(t, "dhcp", path, ctx, False)
        p.ipv6 = checker.boolean(t, "ipv6", path, ctx, False)
        if p.channel is None and p.number is None:
            continue
        if uplink is None:
            checker.err(path, "bad-netport", "%s: no [[uplink]] names the switch's NIC" % ctx)
            continue
        if p.number is not None:
            p.switch_dom = uplink.switch()
        if uplink.device and p.switch() is not uplink.switch():
            checker.err(path + ("channel",), "bad-netport", "%s: end 0 is held by domain "
                        "'%s', the uplink by '%s': a port's end 0 belongs to the switch"
                        % (ctx, p.switch().name, uplink.switch().name))
            continue
        if p.mode in ("router", "nat") and not uplink.ips:
            checker.err(path + ("mode",), "bad-netport", "%s: mode \"%s\" needs the "
                        "uplink's 'ip'" % (ctx, p.mode))
            continue
        if p.mode == "nat" and not _nat_fits(checker, path, ctx, p, uplink, d.netports):
            continue
        for o in d.netports[1:]:
            if o.mac == p.mac and p.mac is not None:
                checker.err(path + ("mac",), "bad-netport", "%s: mac already belongs to the "
                            "%s (line %d)" % (ctx, o.label, o.line))
                break
        else:
            d.netports.append(p)
    if uplink and uplink.device:
        uplink.switch().serves_net = True
        ports = [p for p in d.netports if not p.uplink]
        if len(ports) + 1 > CONFIG_MAX:
            checker.err(ports[CONFIG_MAX - 1].line, "bad-netport",
                        "the switch has %d ports; at most %d" % (len(ports) + 1, CONFIG_MAX))


def _runtime(r, t, path, ctx, p, uplink, ports):
    """A run-time port's own fields: a number, no channel, and a switch
    that can take clients at run time (docs/net-dom.md, "Run-time ports").
    False if it cannot be one."""
    if "channel" in t:
        r.err(path + ("channel",), "bad-netport", "%s: a run-time port has no channel (the "
              "core makes one for each guest dom0 connects to it)" % ctx)
        return False
    number = r.integer(t, "port", path, ctx, required=True)
    if number is None:
        return False
    if not PORT_MIN <= number <= PORT_MAX:
        r.err(path + ("port",), "bad-netport", "%s: port %d: valid values are %d..%d (0 is "
              "the uplink)" % (ctx, number, PORT_MIN, PORT_MAX))
        return False
    p.number = number
    other = next((o for o in ports if o.number == number), None)
    if other is not None:
        r.err(path + ("port",), "bad-netport", "%s: port %d is also the run-time port of "
              "line %d" % (ctx, number, other.line))
        return False
    sw = uplink.switch() if uplink is not None and uplink.device else None
    if sw is not None and not sw.connect_inbox:
        r.err(path + ("runtime",), "bad-netport", "%s: runtime = true, but the switch '%s' has "
              "no connect_inbox: it cannot take clients at run time" % (p.label, sw.name))
        return False
    if sw is not None and not any(c.name == "ctl" and c.obj is not None
                                  and c.obj.kind == "channel" and c in c.obj.ends[1:2]
                                  for c in sw.caps):
        r.err(path + ("runtime",), "bad-netport", "%s: runtime = true, but the switch '%s' "
              "holds no channel cap named \"ctl\" (end 1 of dom0's \"net-ctl\"): nobody could connect a guest "
              "to this port" % (p.label, sw.name))
        return False
    return True


def _nat_uplink(r, t, path, ctx, p):
    """The uplink's NAT settings: mtu, nat_filter, nat_refresh, timeouts."""
    mtu = r.integer(t, "mtu", path, ctx)
    if mtu is not None:
        if not MTU_MIN <= mtu <= MTU_MAX:
            r.err(path + ("mtu",), "bad-netport", "%s: mtu %d: valid values are %d..%d"
                  % (ctx, mtu, MTU_MIN, MTU_MAX))
        else:
            p.mtu = mtu
    f = r.string(t, "nat_filter", path, ctx)
    if f is not None:
        if f not in NAT_FILTERS:
            r.err(path + ("nat_filter",), "bad-netport", "%s: nat_filter %r: valid values "
                  "are %s" % (ctx, f, ", ".join(NAT_FILTERS)))
        else:
            p.nat_filter = f
    p.nat_refresh = r.boolean(t, "nat_refresh", path, ctx, False)
    for i, (key, _, _) in enumerate(NAT_TIMEOUTS):
        v = r.integer(t, key, path, ctx)
        if v is None:
            continue
        if not 1 <= v <= NAT_TIMEOUT_MAX:
            r.err(path + (key,), "bad-netport", "%s: %s %d s: valid values are 1..%d"
                  % (ctx, key, v, NAT_TIMEOUT_MAX))
        else:
            p.nat_timeouts[i] = v


def _nat_port(r, t, path, ctx, p):
    """A NAT port's quota and forwards (refused on other modes)."""
    quota = r.integer(t, "quota", path, ctx)
    fwds = r.strings(t, "forward", path, ctx)
    if p.mode != "nat":
        for key in ("quota", "forward"):
            if key in t:
                r.err(path + (key,), "bad-netport", "%s: '%s' applies to mode \"nat\" "
                      "ports only" % (ctx, key))
        return
    if quota is not None:
        if not 1 <= quota <= NAT_QUOTA_MAX:
            r.err(path + ("quota",), "bad-netport", "%s: quota %d: valid values are 1..%d "
                  "mappings" % (ctx, quota, NAT_QUOTA_MAX))
        else:
            p.quota = quota
    for f in fwds:
        m = FORWARD_RE.fullmatch(f)
        if not m or not all(1 <= int(x) <= 65535 for x in m.group(2, 3)):
            r.err(path + ("forward",), "bad-netport", "%s: forward %r: valid form "
                  "'PROTO:EXTERNAL:INSIDE' with PROTO tcp or udp and ports 1..65535 "
                  "(e.g. \"tcp:8080:80\")" % (ctx, f))
            continue
        p.forwards.append((m.group(1), int(m.group(2)), int(m.group(3))))


def _nat_fits(r, path, ctx, p, uplink, ports):
    """A NAT port's inside gateway (default: .1 of its /24) is the one every
    NAT port shares, and its forwards take external ports nobody else has."""
    if not p.ips:
        return False
    if p.gateway is None:
        p.gateway = ipaddress.IPv4Address((int(p.ips[0]) & ~0xff) | 1)
    if p.gateway in p.ips or p.gateway == uplink.ips[0]:
        r.err(path + ("gateway",), "bad-netport", "%s: the inside gateway %s must differ "
              "from the guest's and the uplink's addresses" % (ctx, p.gateway))
        return False
    taken = {}
    reserved = p.quota or NAT_QUOTA_DEFAULT
    for o in ports[1:]:
        if o.mode != "nat":
            continue
        reserved += o.quota or NAT_QUOTA_DEFAULT
        if reserved > NAT_QUOTA_MAX:
            r.err(path + ("quota",), "bad-netport", "%s: the NAT ports' quotas (%d mappings "
                  "each unless set) add up to %d with this one; the table has %d, each "
                  "port's quota reserved in it" % (ctx, NAT_QUOTA_DEFAULT, reserved,
                                                   NAT_QUOTA_MAX))
            return False
        if o.gateway != p.gateway:
            r.err(path + ("gateway",), "bad-netport", "%s: inside gateway %s, but the NAT "
                  "%s (line %d) has %s: NAT ports share one inside "
                  "gateway" % (ctx, p.gateway, o.label, o.line, o.gateway))
            return False
        for proto, ext, _ in o.forwards:
            taken[(proto, ext)] = o
    for proto, ext, _ in p.forwards:
        if (proto, ext) in taken:
            o = taken[(proto, ext)]
            r.err(path + ("forward",), "bad-netport", "%s: %s port %d is already forwarded "
                  "to the %s (line %d)" % (ctx, proto, ext, o.label, o.line))
            return False
        taken[(proto, ext)] = p
    if len(set(taken)) > NAT_FORWARDS:
        r.err(path + ("forward",), "bad-netport", "%s: the switch has %d forwards; at most %d"
              % (ctx, len(taken), NAT_FORWARDS))
        return False
    return True


def _ip_bytes(ips):
    return b"".join(a.packed for a in ips).ljust(16, b"\0")


def _entry(p):
    if p.number is not None:
        cap = ("%s%d" % (RUNTIME_MARK, p.number)).encode()
    else:
        cap = (p.device.holder.name if p.uplink else p.channel.ends[0].name).encode()
    irq = p.irq.holder.name.encode() if p.uplink and p.irq else b""
    flags = (F_HAS_MAC if p.mac else 0) | (F_DHCP if p.dhcp else 0) | (F_IPV6 if p.ipv6 else 0)
    ranges = vid_ranges(p.vlan.vids)
    vflags = (V_TRUNK if p.vlan.trunk else 0) | (V_PVID_UNTAGGED if p.vlan.pvid_untagged else 0)
    gw = p.gateway.packed if p.gateway else b"\0\0\0\0"
    return CONFIG_ENTRY.pack(
        cap, irq, p.mac or bytes(6), MODES[p.mode], flags, len(p.ips), len(ranges),
        p.vlan.pvid, vflags, p.quota, _ip_bytes(p.ips), p.rate[0], p.rate[1],
        struct.unpack("<I", gw)[0], p.ageing,
        b"".join(struct.pack("<HH", lo, hi) for lo, hi in ranges).ljust(48, b"\0"))


def config_blob(desc, dom):
    """The switch's port table (bytes), or None if `dom` is no switch.
    Layout: docs/net-dom.md, "The switch's configuration"."""
    ports = getattr(desc, "netports", [])
    if not ports or not ports[0].uplink or ports[0].switch() is not dom:
        return None
    out = bytearray(CONFIG_HEADER.pack(CONFIG_MAGIC, CONFIG_VERSION, len(ports)))
    for p in ports:
        out += _entry(p)
    return bytes(out.ljust(NAT_OFFSET, b"\0") + _nat_blob(ports))


def _nat_blob(ports):
    up = ports[0]
    nat = [p for p in ports[1:] if p.mode == "nat"]
    fwds = [(proto, ports.index(p), ext, inside) for p in nat
            for proto, ext, inside in p.forwards]
    gw = nat[0].gateway.packed if nat else bytes(4)
    sw = up.switch()
    inbox = sw.connect_inbox if sw is not None and any(p.number is not None for p in ports) \
        else 0
    out = NAT_HEADER.pack(len(fwds), NAT_FILTERS[up.nat_filter], up.nat_refresh, 0, up.mtu,
                          inbox, *up.nat_timeouts, gw)
    for proto, index, ext, inside in fwds:
        out += NAT_FORWARD.pack({"tcp": 6, "udp": 17}[proto], index, ext, inside, 0)
    return out
