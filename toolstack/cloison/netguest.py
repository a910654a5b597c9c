# SPDX-License-Identifier: MIT
"""A network guest's configuration page (docs/net-guests.md).

For every [[netport]] whose channel end 1 a domain holds, the compiler hands
that domain one entry: the name of its cap on the channel, its address (the
port's first `ip`), prefix 32 (everything goes through the gateway, which
works the same in bridge, router and NAT modes), the gateway and an address
to ping at start (the uplink's gateway). The gateway is the port's own
`gateway` when set, else the uplink's `gateway` in bridge mode (the guest
sits on the uplink's segment) or the uplink's `ip` in router and NAT modes
(net-dom answers ARP for it on the guest's port). A port without an `ip`
gives no entry: such a guest has no static address. The page is a read-only
segment NETGUEST_CONFIG_OFFSET below the end of the guest's RAM
(domains/lib/netfront_lwip.h reads it).

A guest made at run time has no such segment (the core loads only its
image): for a store config whose [net] names a run-time port, the store
writes the same page, with that port's one entry under the cap name "net",
into a slot of the image the front end keeps for it (SLOT_MARK, then the
page; runtime_page below, cloison/store.py).
"""
import struct

NETGUEST_CONFIG_OFFSET = 20480
NETGUEST_CONFIG_SIZE = 4096
CONFIG_MAGIC = b"CLNGCFG1"
CONFIG_VERSION = 1
CONFIG_HEADER = struct.Struct("<8sII")                 # magic, version, count
CONFIG_ENTRY = struct.Struct("<32sIIII16s")           # cap, ip, prefix, gateway, ping
CONFIG_MAX = 16
assert CONFIG_ENTRY.size == 64
SLOT_MARK = b"CLNGSLOT-empty\0\0"                     # domains/lib/netfront_lwip.c
RUNTIME_CAP = "net"                                   # dom0's name for the guest's end


def _entry(port, uplink, cap):
    gw = port.gateway
    if gw is None and uplink is not None:
        gw = uplink.gateway if port.mode == "bridge" else (uplink.ips[0] if uplink.ips else None)
    ping = uplink.gateway if uplink is not None else None
    return CONFIG_ENTRY.pack(cap.encode(), int(port.ips[0]), 32, int(gw) if gw is not None else 0,
                             int(ping) if ping is not None else 0, bytes(16))


def _entries(desc, dom):
    ports = getattr(desc, "netports", [])
    uplink = ports[0] if ports and ports[0].uplink else None
    out = []
    for p in ports:
        if p.uplink or p.channel is None or not p.ips:
            continue
        end = p.channel.ends[1] if len(p.channel.ends) > 1 else None
        if end is None or end.domain is not dom:
            continue
        out.append(_entry(p, uplink, end.name))
    return out[:CONFIG_MAX]


def config_blob(desc, dom):
    """The guest's network configuration page (bytes), or None if it holds
    no configured port."""
    entries = _entries(desc, dom)
    if not entries:
        return None
    return CONFIG_HEADER.pack(CONFIG_MAGIC, CONFIG_VERSION, len(entries)) + b"".join(entries)


def runtime_page(desc, number):
    """The page of a guest made at run time on run-time port `number`
    (bytes: the header and one entry), or None if the description has no
    such port or it has no address."""
    ports = getattr(desc, "netports", [])
    uplink = ports[0] if ports and ports[0].uplink else None
    for p in ports:
        if p.number == number and p.ips:
            return CONFIG_HEADER.pack(CONFIG_MAGIC, CONFIG_VERSION, 1) + _entry(p, uplink,
                                                                              RUNTIME_CAP)
    return None
