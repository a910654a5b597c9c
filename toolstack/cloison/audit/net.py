# SPDX-License-Identifier: MIT
"""The switch's ports in the audit (docs/auditing.md, "Network"): net-dom's
uplink and every [[netport]] shown with its mode and addresses, and relay
domains flagged. A relay domain holds the guest end of a switch port and a
device (a NIC of its own): frames then pass between the port and that NIC
with none of the switch's checks on the NIC's side. The network test rig
(tests/net/net-rig.toml) needs them; no other description should have one.

The ports come from the description (cloison.netports), which the
compiler turns into the switch's read-only table; the caps come from the
compiled policy like every other check's."""
from .checks import HELD, Check, Finding, plural


class NetPort:
    """One port as the audit shows it."""

    def __init__(self, switch, kind, obj, guest, mode, mac, ips, extra):
        self.switch = switch    # the switch domain's name
        self.kind = kind        # "uplink", "port" or "runtime" (no channel)
        self.obj = obj          # the NIC device, the port's channel or number
        self.guest = guest      # port: the domain holding end 1 (or None)
        self.mode = mode
        self.mac = mac
        self.ips = ips
        self.extra = extra      # VLANs, gateway, NAT settings (text)

    def text(self):
        where = ("uplink device '%s'" % self.obj if self.kind == "uplink"
                 else "run-time port %s -> the guest made at run time that dom0 connects "
                 "to it" % self.obj if self.kind == "runtime"
                 else "port channel '%s' -> %s" % (
                     self.obj, "domain '%s'" % self.guest if self.guest else "no guest"))
        bits = [self.mode] if self.kind != "uplink" else []
        if self.mac:
            bits.append("mac " + self.mac)
        if self.ips:
            bits.append("ip " + ", ".join(self.ips))
        bits += self.extra
        return "switch '%s': %s (%s)" % (self.switch, where, "; ".join(bits))


def from_description(desc):
    """[NetPort] of a validated description, the uplink first."""
    out = []
    for p in getattr(desc, "netports", []):
        sw = p.switch()
        mac = p.mac.hex(":") if p.mac else None
        ips = [str(a) for a in p.ips]
        vlan = "vlan %s" % ("/".join(map(str, p.vlan.vids)))
        if p.uplink:
            extra = [vlan] + (["gateway %s" % p.gateway] if p.gateway else [])
            out.append(NetPort(sw.name if sw else "?", "uplink", p.device.name, None,
                               "uplink", mac, ips, extra))
            continue
        if p.number is not None:
            guest = None
        else:
            ends = p.channel.ends
            guest = ends[1].domain.name if len(ends) > 1 and ends[1].domain else None
        if p.mode == "bridge":
            extra = [vlan]
            if not ips:
                extra.append("no ip: any source address accepted (Xen-compatible)")
        elif p.mode == "nat":
            extra = ["inside gateway %s" % p.gateway,
                     "quota %s" % (p.quota or "default")]
            extra += ["forward %s:%d->%d" % f for f in p.forwards]
        else:
            extra = []
        if p.rate[0]:
            extra.append("rate %d bytes per %d us" % p.rate)
        if p.number is not None:
            out.append(NetPort(sw.name if sw else "?", "runtime", p.number, None, p.mode, mac,
                               ips, extra))
        else:
            out.append(NetPort(sw.name if sw else "?", "port", p.channel.name, guest, p.mode,
                               mac, ips, extra))
    return out


def check_net(m, reach):
    c = Check("net-relay", "no domain relays a switch port to a device of its own")
    ports = getattr(m, "netports", [])
    for p in ports:
        c.notes.append(p.text())
        if p.kind != "port" or p.guest is None:
            continue
        dom = m.dom_by_name.get(p.guest)
        devices = sorted({cap.obj.name for cap in dom.caps
                          if cap.obj is not None and cap.obj.kind == "device"}) if dom else []
        if devices:
            c.violate(Finding(
                "relay domain '%s' holds port channel '%s' of switch '%s' and device %s: "
                "frames pass between the port and its own NIC without the switch's "
                "checks on that side; only test descriptions may have relay domains"
                % (p.guest, p.obj, p.switch, ", ".join("'%s'" % d for d in devices)),
                [p.guest], [p.obj] + devices))
    if c.status == HELD:
        n = sum(1 for p in ports if p.kind != "uplink")
        c.summary = ("%s, none relayed to a device" % plural(n, "switch port")
                     if ports else "no switch in this system")
    return c
