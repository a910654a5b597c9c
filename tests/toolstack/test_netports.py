# SPDX-License-Identifier: MIT
"""The switch's port configuration ([[uplink]], [[netport]]: docs/net-dom.md):
the xl VLAN grammar accepted and refused (VLAN-1), every bad field reported
with its line, the field and the valid values, router ports without
addresses refused (RT-1), NAT ports' fields (inside address, gateway,
quota, forwards, the uplink's timeouts, filter and MTU), and the port
table the compiler hands net-dom."""
import struct
import unittest

try:
    from . import support  # noqa: F401  (puts the toolstack on sys.path)
except ImportError:
    import support  # noqa: F401
from cloison import description as D
from cloison import netports

BASE = """\
[[device]]
name = "nic"
base = 0x0a000000
size = "4K"

[[irq]]
name = "nic-irq"
intid = 48
trigger = "level"

[[channel]]
name = "g-net"
size = "68K"

[[uplink]]
device = "nic"
irq = "nic-irq"
ip = "10.0.2.15"
gateway = "10.0.2.2"

[[netport]]
channel = "g-net"
PORTLINES

[[domain]]
name = "net"
image = "net-dom"
memory = "4M"
  [[domain.cap]]
  name = "uplink"
  object = "nic"
  rights = ["read", "write"]
  [[domain.cap]]
  name = "uplink-irq"
  object = "nic-irq"
  rights = ["receive"]
  [[domain.cap]]
  name = "g"
  object = "g-net"
  rights = ["read", "write"]

[[domain]]
name = "g"
image = "guest-hello"
memory = "2M"
  [[domain.cap]]
  name = "net"
  object = "g-net"
  rights = ["read", "write"]
"""
PORT_LINE = BASE.splitlines().index("PORTLINES") + 1


def check(*lines):
    if not any(x.startswith("mac =") for x in lines):
        lines = ('mac = "02:00:00:00:00:10"',) + lines
    desc, diags = D.parse("sys.toml", BASE.replace("PORTLINES", "\n".join(lines)))
    return desc, [(d.line, d.kind, d.message) for d in diags if not d.warning]


class Vlan(unittest.TestCase):
    def test_VLAN_1_grammar_accepted(self):
        for text, native_none, vids, pvid, trunk, untagged in (
                ("10", False, [10], 10, False, True),
                ("10p", False, [10], 10, False, True),
                ("10p/20", False, [10, 20], 10, True, False),
                ("10pu/20", False, [10, 20], 10, True, True),
                ("100-103", True, [100, 101, 102, 103], 0, True, False),
                ("5p/100+10x4", False, [5, 100, 110, 120, 130], 5, True, False),
                ("10/20", True, [10, 20], 0, True, False),
                ("1/4094p", False, [1, 4094], 4094, True, False)):
            v = netports.parse_vlan(text, native_none)
            self.assertEqual((v.vids, v.pvid, v.trunk, v.pvid_untagged),
                             (vids, pvid, trunk, untagged), text)

    def test_VLAN_1_grammar_refused(self):
        for text, native_none, reason in (
                ("0", False, "outside 1-4094"), ("4095", False, "outside 1-4094"),
                ("10/20", False, "exactly one PVID"), ("10p/20p", False, "exactly one PVID"),
                ("10/10p", False, "listed twice"), ("20-10", False, "backwards"),
                ("10+0x3", False, "must not be 0"), ("ten", False, "not a VID"),
                ("10p/20", True, "contradict"), ("10pu/20u", False, "PVID only"),
                ("4090+2x4", False, "outside 1-4094"), ("", False, "not a VID")):
            with self.assertRaises(ValueError, msg=text) as cm:
                netports.parse_vlan(text, native_none)
            self.assertIn(reason, str(cm.exception), text)


RUNTIME = """
[[channel]]
name = "net-ctl"
size = "4K"

[[netport]]
RTLINES
""".strip("\n")


DOM0 = """[[domain]]
name = "dom0"
image = "dom0"
memory = "4M"
  [[domain.cap]]
  name = "net-ctl"
  object = "net-ctl"
  rights = ["read", "write"]

"""


def switch(desc):
    return next(d for d in desc.domains if d.name == "net")


def check_runtime(*lines, inbox=2, ctl=True):
    """BASE with a run-time port of `lines` (a mac added if none), the switch
    given a connect inbox and end 1 of "net-ctl" named "ctl" (or not)."""
    if not any(x.startswith("mac =") for x in lines):
        lines = ('mac = "02:00:00:00:00:20"',) + lines
    text = BASE.replace("PORTLINES", 'mac = "02:00:00:00:00:10"\n\n' +
                        RUNTIME.replace("RTLINES", "\n".join(lines)))
    net = 'name = "net"\nimage = "net-dom"\nmemory = "4M"\n'
    extra = "connect_inbox = %d\n" % inbox if inbox else ""
    extra += ('  [[domain.cap]]\n  name = "%s"\n  object = "net-ctl"\n'
              '  rights = ["read", "write"]\n' % ("ctl" if ctl else "control"))
    text = text.replace(net, net + extra).replace("[[domain]]\n" + net, DOM0 + "[[domain]]\n" + net)
    desc, diags = D.parse("sys.toml", text)
    line = text.splitlines().index("[[netport]]", text.splitlines().index("[[netport]]") + 1)
    # the line of the first of `lines` (after the header and the mac)
    return desc, [(d.line, d.kind, d.message) for d in diags if not d.warning], line + 3


class RuntimePorts(unittest.TestCase):
    """[[netport]] with runtime = true (docs/net-dom.md, "Run-time ports"):
    no channel, a number, net-dom with a connect inbox and its "ctl" end;
    each mistake an error naming the field."""

    def test_a_run_time_port_in_the_table_and_the_inbox_in_the_nat_block(self):
        desc, errs, _ = check_runtime("runtime = true", "port = 7", 'ip = ["10.0.2.30"]',
                                      'vlan = "10"')
        self.assertEqual(errs, [])
        blob = netports.config_blob(desc, switch(desc))
        self.assertEqual(netports.CONFIG_HEADER.unpack_from(blob)[2], 3)
        rt = netports.CONFIG_ENTRY.unpack_from(blob, 16 + 2 * 160)
        self.assertEqual(rt[0].rstrip(b"\0"), b"@7")     # net-dom/config.h CFG_RUNTIME_MARK
        self.assertEqual(rt[2], bytes.fromhex("020000000020"))
        self.assertEqual((rt[6], rt[7]), (1, 10))          # one ip, pvid 10
        nat = netports.NAT_HEADER.unpack_from(blob, netports.NAT_OFFSET)
        self.assertEqual(nat[5], 2)                        # the connect inbox's slots
        # without a run-time port the field stays 0
        desc, errs = check('ip = ["10.0.0.10"]')
        blob = netports.config_blob(desc, desc.domains[0])
        self.assertEqual(netports.NAT_HEADER.unpack_from(blob, netports.NAT_OFFSET)[5], 0)

    def test_each_mistake_named(self):
        cases = [
            (("runtime = true",), {}, -2, "port", "missing required field 'port'"),
            (("runtime = true", "port = 0"), {}, 1, "port", "valid values are 1..63"),
            (("runtime = true", "port = 64"), {}, 1, "port", "valid values are 1..63"),
            (("runtime = true", "port = 3", 'channel = "g-net"'), {}, 2, "channel",
             "a run-time port has no channel"),
            (("runtime = true", "port = 3"), {"inbox": 0}, 0, "runtime",
             "has no connect_inbox"),
            (("runtime = true", "port = 3"), {"ctl": False}, 0, "runtime",
             'holds no channel cap named "ctl"'),
            # (and, with no runtime = true, the channel is missing too)
            (("port = 3",), {}, 0, "port", "numbers a run-time port"),
        ]
        for lines, kw, field_at, field, text in cases:
            _, errs, line = check_runtime(*lines, **kw)
            if lines == ("port = 3",):
                self.assertIn("missing required field 'channel'", errs.pop(0)[2])
            self.assertEqual(len(errs), 1, "%s: %s" % (lines, errs))
            self.assertEqual(errs[0][0], line + field_at, lines)
            self.assertIn(field, errs[0][2], lines)
            self.assertIn(text, errs[0][2], lines)

    def test_the_store_writes_the_ports_address_into_a_guests_image(self):
        from cloison import guestconfig, netguest, store
        desc, errs, _ = check_runtime("runtime = true", "port = 7", 'ip = ["10.0.2.30"]',
                                      'vlan = "10"')
        self.assertEqual(errs, [])
        cfg = guestconfig.GuestConfig("web7.toml")
        cfg.net_port = 7
        room = netguest.CONFIG_HEADER.size + netguest.CONFIG_ENTRY.size
        flat = b"code" + netguest.SLOT_MARK + bytes(room) + b"data"
        out = store._with_net_page(desc, cfg, flat)
        self.assertEqual(len(out), len(flat))
        page = out[4 + len(netguest.SLOT_MARK):][:room]
        self.assertEqual(netguest.CONFIG_HEADER.unpack_from(page), (b"CLNGCFG1", 1, 1))
        cap, ip, prefix, gw, ping, _ = netguest.CONFIG_ENTRY.unpack_from(page, 16)
        # "net", its address, everything through the uplink's gateway (bridge)
        self.assertEqual((cap.rstrip(b"\0"), ip, prefix, gw, ping),
                         (b"net", 0x0a00021e, 32, 0x0a000202, 0x0a000202))
        self.assertTrue(out.endswith(b"data"))
        # a port the description lacks, or an image without the slot: unchanged
        cfg.net_port = 9
        self.assertEqual(store._with_net_page(desc, cfg, flat), flat)
        cfg.net_port = 7
        self.assertEqual(store._with_net_page(desc, cfg, b"code" + bytes(100)),
                         b"code" + bytes(100))

    def test_the_audit_reports_run_time_ports(self):
        import os
        path = os.path.join(support.ROOT, "tests/system/systems/netconnect.toml")
        status, out, err = support.run("audit", path)
        self.assertEqual((status, err), (0, ""))
        # dynamic-bound: the switch dom0 may connect guests to, with its ports
        self.assertIn("may connect the guests it creates to driver domain 'net': each a "
                      "channel from its pools, end 1 in the guest, end 0 in one of the 2 "
                      "slots of 'net''s connect inbox (slots 14..15); 'dom0' holds neither "
                      "end; its run-time ports: 3, 4, 5 (MAC, addresses, mode and VLANs as "
                      "the description gives them)", out)
        # net-relay: each run-time port with its identity
        self.assertIn("note: switch 'net': run-time port 3 -> the guest made at run time that "
                      "dom0 connects to it (bridge; mac 52:54:00:00:0b:03; ip 10.0.2.20; "
                      "vlan 10)", out)
        self.assertIn("run-time port 5 -> the guest made at run time that dom0 connects to it "
                      "(nat; mac 52:54:00:00:0b:05; ip 192.168.1.20", out)
        self.assertIn("[held] control-domain", out)
        self.assertIn("[held] dynamic-bound", out)

    def test_a_number_twice_and_a_mac_twice(self):
        text = BASE.replace("PORTLINES", 'mac = "02:00:00:00:00:10"\n\n' + RUNTIME.replace(
            "RTLINES", 'runtime = true\nport = 3\nmac = "02:00:00:00:00:20"\n\n'
            '[[netport]]\nruntime = true\nport = 3\nmac = "02:00:00:00:00:21"\n\n'
            '[[netport]]\nruntime = true\nport = 4\nmac = "02:00:00:00:00:20"'))
        net = 'name = "net"\nimage = "net-dom"\nmemory = "4M"\n'
        text = text.replace(net, net + 'connect_inbox = 2\n  [[domain.cap]]\n  name = "ctl"\n'
                            '  object = "net-ctl"\n  rights = ["read", "write"]\n')
        text = text.replace("[[domain]]\n" + net, DOM0 + "[[domain]]\n" + net)
        _, diags = D.parse("sys.toml", text)
        msgs = [d.message for d in diags if not d.warning]
        self.assertEqual(len(msgs), 2, msgs)
        self.assertIn("port 3 is also the run-time port of line", msgs[0])
        self.assertIn("run-time port 4: mac already belongs to the run-time port 3", msgs[1])


class PortErrors(unittest.TestCase):
    def test_good_description_accepted_and_table(self):
        desc, errs = check('ip = ["10.0.0.10"]', 'vlan = "10p/20"', 'rate = "1M/s@20ms"')
        self.assertEqual(errs, [])
        net = desc.domains[0]
        blob = netports.config_blob(desc, net)
        magic, version, count = netports.CONFIG_HEADER.unpack_from(blob)
        self.assertEqual((magic, version, count), (b"CLNTCFG1", 2, 2))
        up, g = (netports.CONFIG_ENTRY.unpack_from(blob, 16 + i * 160) for i in range(2))
        self.assertEqual(up[0].rstrip(b"\0"), b"uplink")
        self.assertEqual(up[1].rstrip(b"\0"), b"uplink-irq")
        self.assertEqual(g[0].rstrip(b"\0"), b"g")
        self.assertEqual(g[2], bytes.fromhex("020000000010"))
        self.assertEqual((g[7], g[8]), (10, netports.V_TRUNK))          # pvid, flags
        self.assertEqual((g[11], g[12]), ((1 << 20) * 20000 // 1000000, 20000))
        self.assertEqual(g[15][:8], struct.pack("<HHHH", 10, 10, 20, 20))
        self.assertIsNone(netports.config_blob(desc, desc.domains[1]))

    def test_each_bad_field_reported_with_line_and_valid_values(self):
        cases = [
            ('mac = "02:00:00:00:10"', "mac", "six hex bytes"),
            ('mac = "01:00:5e:00:00:01"', "mac", "multicast"),
            ('ip = ["10.0.0.300"]', "ip", "not a dotted IPv4"),
            ('ip = ["224.0.0.1"]', "ip", "not a unicast host"),
            ('ip = ["10.0.0.1", "10.0.0.2", "10.0.0.3", "10.0.0.4", "10.0.0.5"]', "ip",
             "at most 4"),
            ('vlan = "0"', "vlan", "xl grammar"),
            ('vlan = "10/20"', "vlan", "exactly one PVID"),
            ('native = "yes"', "native", 'the only valid value is "none"'),
            ('mode = "switch"', "mode", "valid values are bridge, router, nat"),
            ('quota = 4', "quota", 'applies to mode "nat" ports only'),
            ('mode = "nat"\nip = ["192.168.1.10"]\nquota = 0', "quota", "1..512"),
            ('mode = "nat"\nip = ["192.168.1.10"]\nforward = ["tcp:80"]', "forward",
             "PROTO:EXTERNAL:INSIDE"),
            ('mode = "nat"\nip = ["192.168.1.10"]\nforward = ["sctp:1:2"]', "forward",
             "tcp or udp"),
            ('mode = "nat"\nip = ["192.168.1.10"]\ngateway = "192.168.1.10"', "gateway",
             "must differ"),
            ('rate = "fast"', "rate", "BYTES/s@INTERVAL"),
            ('rate = "10/s@50ms"', "rate", "64 bytes..4 GiB"),
            ('gateway = "10.0.0"', "gateway", "not a dotted IPv4"),
            ('dhcp = "yes"', "dhcp", "true or false"),
            ('colour = "red"', "colour", "unknown field"),
        ]
        for line, field, text in cases:
            _, errs = check(line)
            self.assertEqual(len(errs), 1, "%s: %s" % (line, errs))
            # the bad field is the case's last line
            self.assertEqual(errs[0][0], PORT_LINE + (not line.startswith("mac")) +
                             line.count("\n"), line)
            self.assertIn(field, errs[0][2], line)
            self.assertIn(text, errs[0][2], line)

    def test_RT_1_router_port_needs_addresses(self):
        _, errs = check('mode = "router"')
        self.assertEqual(len(errs), 1)
        self.assertIn("mode \"router\" needs 'ip'", errs[0][2])
        _, errs = check('mode = "router"', 'ip = ["10.0.2.50"]')
        self.assertEqual(errs, [])

    def test_NAT_1_nat_port_needs_its_inside_address(self):
        _, errs = check('mode = "nat"')
        self.assertEqual(len(errs), 1)
        self.assertIn("mode \"nat\" needs 'ip'", errs[0][2])

    def test_NAT_7_nat_port_and_uplink_settings_in_the_table(self):
        text = BASE.replace("PORTLINES", 'mac = "02:00:00:00:00:10"\nmode = "nat"\n'
                            'ip = ["192.168.7.20"]\nquota = 9\n'
                            'forward = ["tcp:8080:80", "udp:5353:53"]').replace(
            'gateway = "10.0.2.2"', 'gateway = "10.0.2.2"\nmtu = 1400\nnat_filter = "endpoint"\n'
            'nat_refresh = true\nnat_udp = 30')
        desc, diags = D.parse("sys.toml", text)
        self.assertEqual([d.message for d in diags if not d.warning], [])
        blob = netports.config_blob(desc, desc.domains[0])
        g = netports.CONFIG_ENTRY.unpack_from(blob, 16 + 160)
        self.assertEqual((g[3], g[9]), (netports.MODES["nat"], 9))       # mode, quota
        nat = netports.NAT_HEADER.unpack_from(blob, netports.NAT_OFFSET)
        # forwards, filter, refresh, mtu, timeouts (UDP configured, the
        # others their defaults, at the RFC minima), inside gateway (.1)
        self.assertEqual(nat[:3], (2, 1, 1))
        self.assertEqual(nat[4], 1400)
        self.assertEqual(nat[6:10], (30, 7440, 240, 60))
        self.assertEqual(nat[10], bytes([192, 168, 7, 1]))
        fwd = [netports.NAT_FORWARD.unpack_from(blob, netports.NAT_OFFSET + 28 + 8 * i)
               for i in range(2)]
        self.assertEqual(fwd, [(6, 1, 8080, 80, 0), (17, 1, 5353, 53, 0)])
        self.assertEqual(len(blob), netports.NAT_OFFSET + 28 + 16)
        self.assertLessEqual(len(blob), netports.NET_CONFIG_SIZE)

    def test_NAT_7_defaults_at_or_above_rfc_minima(self):
        for key, default, minimum in netports.NAT_TIMEOUTS:
            self.assertGreaterEqual(default, minimum, key)
        self.assertEqual([d for _, d, _ in netports.NAT_TIMEOUTS], [300, 7440, 240, 60])

    def test_nat_uplink_settings_errors(self):
        for line, text in (('mtu = 100', "mtu 100: valid values are 576..1500"),
                           ('nat_filter = "open"', "valid values are address, endpoint"),
                           ('nat_udp = 0', "nat_udp 0 s: valid values are 1..")):
            src = BASE.replace("PORTLINES", 'mac = "02:00:00:00:00:10"').replace(
                'gateway = "10.0.2.2"', 'gateway = "10.0.2.2"\n' + line)
            _, diags = D.parse("sys.toml", src)
            msgs = [d.message for d in diags if not d.warning]
            self.assertEqual(len(msgs), 1, msgs)
            self.assertIn(text, msgs[0])

    def test_NAT_10_quotas_reserved_in_the_table(self):
        """Each NAT port's quota is reserved in net-dom's one table of 512
        mappings, so a guest below its quota always finds room: quotas that
        add up to more are refused at the port that overflows, naming it."""
        def nat_ports(quotas):
            chans, ports, net_caps, g_caps = "", "", "", ""
            for i, q in enumerate(quotas):
                chans += '[[channel]]\nname = "n%d-net"\nsize = "68K"\n\n' % i
                ports += ('[[netport]]\nchannel = "n%d-net"\nmac = "02:00:00:00:01:%02x"\n'
                          'mode = "nat"\nip = ["192.168.1.%d"]\n%s\n'
                          % (i, i, 20 + i, "quota = %d\n" % q if q else ""))
                cap = '  [[domain.cap]]\n  name = "n%d"\n  object = "n%d-net"\n' \
                      '  rights = ["read", "write"]\n' % (i, i)
                net_caps += cap
                g_caps += cap
            text = BASE.replace("PORTLINES", 'mac = "02:00:00:00:00:10"\n').replace(
                "[[uplink]]", chans + "[[uplink]]").replace(
                '[[domain]]\nname = "net"', ports + '[[domain]]\nname = "net"').replace(
                '[[domain]]\nname = "g"', net_caps + '\n[[domain]]\nname = "g"') + g_caps
            _, diags = D.parse("sys.toml", text)
            return [d for d in diags if not d.warning]

        self.assertEqual([d.message for d in nat_ports([0, 0, 0, 128])], [])
        self.assertEqual([d.message for d in nat_ports([500, 12])], [])
        for quotas in ([0, 0, 0, 0, 0], [500, 13], [0, 0, 0, 129]):
            errs = nat_ports(quotas)
            self.assertEqual(len(errs), 1, quotas)
            self.assertIn("netport on channel 'n%d-net': the NAT ports' quotas" % (len(quotas) - 1),
                          errs[0].message)
            self.assertIn("add up to %d" % sum(q or 128 for q in quotas), errs[0].message)

    def test_port_on_a_channel_net_dom_does_not_hold(self):
        text = BASE.replace("PORTLINES", 'mac = "02:00:00:00:00:10"').replace(
            'channel = "g-net"\nmac', 'channel = "nothing"\nmac')
        _, diags = D.parse("sys.toml", text)
        self.assertIn("no channel of that name", " ".join(d.message for d in diags))

    def test_uplink_errors(self):
        text = BASE.replace("PORTLINES", 'mac = "02:00:00:00:00:10"').replace('ip = "10.0.2.15"', 'ip = "x"').replace(
            'irq = "nic-irq"', 'irq = "nic-irq"\nageing = 0')
        _, diags = D.parse("sys.toml", text)
        msgs = [d.message for d in diags]
        self.assertTrue(any("ageing 0 s: valid values are 1..1000000" in m for m in msgs), msgs)
        self.assertTrue(any("ip 'x' is not a dotted IPv4" in m for m in msgs), msgs)


if __name__ == "__main__":
    unittest.main()
