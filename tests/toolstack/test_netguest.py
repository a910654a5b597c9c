# SPDX-License-Identifier: MIT
"""A network guest's configuration page (cloison.netguest,
docs/net-guests.md): one entry per [[netport]] whose channel end 1 the guest
holds, with the gateway each mode implies."""

import ipaddress
import os
import tempfile
import unittest

try:
    from . import support
except ImportError:
    import support
from cloison import description, netguest

WEB_TOML = os.path.join(support.ROOT, "tests", "net", "net-web.toml")
PORT = 'ip = ["10.0.2.16"]\n'


def ip(text):
    return int(ipaddress.IPv4Address(text))


class NetGuestPage(unittest.TestCase):
    def load(self, port_extra="", port=PORT):
        """The description, its port's `ip` line replaced by port + port_extra."""
        with open(WEB_TOML) as f:
            text = f.read().replace(PORT, port + port_extra)
        with tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, "web.toml")
            with open(path, "w") as f:
                f.write(text)
            desc = description.load(path, None)
        return desc, {dom.name: dom for dom in desc.domains}

    def entry(self, port_extra=""):
        desc, doms = self.load(port_extra)
        blob = netguest.config_blob(desc, doms["web"])
        self.assertIsNotNone(blob)
        magic, version, count = netguest.CONFIG_HEADER.unpack_from(blob)
        self.assertEqual((magic, version, count), (b"CLNGCFG1", 1, 1))
        self.assertLessEqual(len(blob), netguest.NETGUEST_CONFIG_SIZE)
        cap, addr, prefix, gw, ping, rest = netguest.CONFIG_ENTRY.unpack_from(
            blob, netguest.CONFIG_HEADER.size)
        return cap.rstrip(b"\0"), addr, prefix, gw, ping, rest

    def test_bridge_port_goes_through_the_uplinks_gateway(self):
        self.assertEqual(self.entry(), (b"net", ip("10.0.2.16"), 32, ip("10.0.2.2"),
                                        ip("10.0.2.2"), bytes(16)))

    def test_router_port_goes_through_net_doms_uplink_address(self):
        e = self.entry('mode = "router"\n')
        self.assertEqual((e[3], e[4]), (ip("10.0.2.15"), ip("10.0.2.2")))

    def test_a_ports_own_gateway_wins(self):
        e = self.entry('gateway = "10.0.2.99"\n')
        self.assertEqual(e[3], ip("10.0.2.99"))

    def test_only_the_guest_holding_end_1_gets_a_page(self):
        desc, doms = self.load()
        self.assertIsNone(netguest.config_blob(desc, doms["net"]))

    def test_a_port_without_an_address_gives_no_page(self):
        desc, doms = self.load(port="")
        self.assertIsNone(netguest.config_blob(desc, doms["web"]))


if __name__ == "__main__":
    unittest.main()
