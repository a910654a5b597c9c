# SPDX-License-Identifier: MIT
"""Network protocol version 3's TXV (several frames to a ring message,
docs/net-protocol.md) broken by a guest: one test per class of attack, each
on its own port (the relay domain sends it on command, tests/net/rig.py).
Each disables that port alone, with its reason, before any frame of the
message is taken: nothing of it leaves net-dom, and the other ports go on.
One QEMU boot for the class. Run: ./tests/run --only net"""
import unittest

from rig import BCAST, BY_NAME, ETH_RELAY_CMD, RigCase, eth, ipv4, udp


def mac(port):
    return BY_NAME[port].mac


def udp_frame(port, dst_port, src_ip, dst_ip):
    return eth(mac(dst_port), mac(port), 0x0800,
               ipv4(src_ip, dst_ip, 17, udp(1000, 2000, b"v3" * 16)))


class TxvAttacks(RigCase):
    def attack(self, port, src_ip, cmd, reason):
        # The frame the message's good descriptors name: one net-dom would
        # deliver to g1 (same VLAN, the port's own addresses).
        good = udp_frame(port, "g1", src_ip, "10.0.0.11")
        self.rig.send(port, eth(BCAST, mac(port), ETH_RELAY_CMD, bytes([cmd]) + good))
        self.rig.wait_console("port %s disabled: %s" % (port, reason))
        self.rig.disabled.add(port)
        c = self.rig.counters(port)
        self.assertEqual(c["disabled"], 1)
        self.assertEqual(c["in_frames"], 0, "a frame of the broken message was taken")
        # Another port's traffic goes on, and nothing of the attacker's
        # message arrived anywhere.
        f = udp_frame("g0", "g1", "10.0.0.10", "10.0.0.11")
        self.only(self.rig.exchange("g0", f), {"g1": [f]})

    def test_txv_of_no_frame_disables_only_its_port(self):
        self.attack("h0", "10.0.0.100", 6, "a TXV of no frame")

    def test_txv_claiming_more_frames_than_it_holds_disables_only_its_port(self):
        self.attack("h1", "10.0.0.101", 7, "a TXV whose count is not its length")

    def test_txv_naming_one_buffer_twice_disables_only_its_port(self):
        self.attack("h2", "10.0.0.102", 8, "TXV buffers out of order or overlapping")

    def test_txv_with_a_buffer_outside_sends_none_of_its_frames(self):
        self.attack("g7", "10.0.0.70", 9, "TX buffer outside the data area")


if __name__ == "__main__":
    unittest.main()
