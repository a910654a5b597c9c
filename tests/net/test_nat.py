# SPDX-License-Identifier: MIT
"""net-dom's NAT mode against its behaviour spec (docs/net-nat.md): one test
per statement NAT-1..NAT-14, named after it, on the rig of rig.py (ports
n0, n1, n2 of net-rig.toml are NAT ports behind the uplink address
10.0.2.15; n0 has the forwards tcp:8080:80 and udp:5353:53, n2 a quota of 2
mappings; the uplink's mtu is 1400 and its UDP timeout 120 s). Timeouts are
crossed with the test build's clock-advance control frame, never waited
for; "nothing else arrived" is proved with barrier frames. Every translated
packet has its checksums verified by full recomputation.
Run: ./tests/run --only net"""
import os
import socket
import struct
import unittest

from rig import (BCAST, BY_NAME, GW_SIDE_MAC, IMAGE, UP_MAC, RigCase, arp, csum, eth, icmp_echo,
                 parse)

GW = bytes.fromhex("0200000000a9")     # the emulated SLIRP gateway 10.0.2.2
OUT = "10.0.2.15"                      # the uplink address every NAT guest shares
INSIDE_GW = "192.168.1.1"
N0, N1, N2 = "192.168.1.10", "192.168.1.11", "192.168.1.12"
TCP_SYN, TCP_ACK, TCP_FIN, TCP_RST = 0x02, 0x10, 0x01, 0x04


def mac(port):
    return BY_NAME[port].mac


def ip4(src, dst, proto, payload, ttl=64, ident=1, flags=0x4000):
    h = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(payload), ident, flags, ttl, proto, 0,
                    socket.inet_aton(src), socket.inet_aton(dst))
    return h[:10] + struct.pack("!H", csum(h)) + h[12:] + payload


def l4sum(src, dst, proto, seg):
    ph = socket.inet_aton(src) + socket.inet_aton(dst) + struct.pack("!BBH", 0, proto, len(seg))
    return csum(ph + seg)


def udp(src, dst, sport, dport, data=b"nat!", zero=False):
    seg = struct.pack("!HHHH", sport, dport, 8 + len(data), 0) + data
    c = 0 if zero else (l4sum(src, dst, 17, seg) or 0xffff)
    return seg[:6] + struct.pack("!H", c) + seg[8:]


def tcp(src, dst, sport, dport, flags, data=b"", seq=1000, ack=0):
    seg = struct.pack("!HHIIBBHHH", sport, dport, seq, ack, 5 << 4, flags, 65535, 0, 0) + data
    return seg[:16] + struct.pack("!H", l4sum(src, dst, 6, seg)) + seg[18:]


def from_guest(port, dst, proto, seg, **kw):
    src = BY_NAME[port].ips[0]
    return eth(GW_SIDE_MAC, mac(port), 0x0800, ip4(socket.inet_ntoa(src), dst, proto, seg, **kw))


def from_outside(src, proto, seg, dst=OUT, **kw):
    return eth(UP_MAC, GW, 0x0800, ip4(src, dst, proto, seg, **kw))


def ports_of(frame):
    ip = parse(frame)[5]
    ihl = (ip[0] & 15) * 4
    return struct.unpack("!HH", ip[ihl:ihl + 4])


def addrs(frame):
    ip = parse(frame)[5]
    return socket.inet_ntoa(ip[12:16]), socket.inet_ntoa(ip[16:20])


@unittest.skipUnless(os.path.exists(IMAGE), "test-net-rig.elf not built")
class Nat(RigCase):
    def checked(self, frame):
        """The IPv4 packet of frame, its IPv4 and TCP/UDP/ICMP checksums
        verified by full recomputation."""
        ip = parse(frame)[5]
        ihl = (ip[0] & 15) * 4
        tot = struct.unpack("!H", ip[2:4])[0]
        ip = ip[:tot]
        self.assertEqual(csum(ip[:ihl]), 0, "IPv4 header checksum")
        src, dst = socket.inet_ntoa(ip[12:16]), socket.inet_ntoa(ip[16:20])
        frag = struct.unpack("!H", ip[6:8])[0]
        if frag & 0x3fff:
            return ip
        if ip[9] == 17 and ip[ihl + 6:ihl + 8] != b"\0\0":
            self.assertEqual(l4sum(src, dst, 17, ip[ihl:]), 0, "UDP checksum")
        elif ip[9] == 6:
            self.assertEqual(l4sum(src, dst, 6, ip[ihl:]), 0, "TCP checksum")
        elif ip[9] == 1:
            self.assertEqual(csum(ip[ihl:]), 0, "ICMP checksum")
        return ip

    def resolve_gateway(self):
        reply = eth(UP_MAC, GW, 0x0806, arp(2, GW, "10.0.2.2", UP_MAC, OUT))
        return self.rig.exchange("up", reply)["up"]

    def out(self, port, *frames):
        """Send frames from a NAT port; the IPv4 frames that left on the
        uplink (net-dom's ARP for the next hop answered), and all ports'."""
        got = self.rig.exchange(port, *frames)
        ups = [f for f in got["up"] if parse(f)[4] == 0x0800]
        if any(parse(f)[4] == 0x0806 for f in got["up"]):
            ups += [f for f in self.resolve_gateway() if parse(f)[4] == 0x0800]
        got["up"] = ups
        return ups, got

    def out1(self, port, frame):
        ups, got = self.out(port, frame)
        self.assertEqual(len(ups), 1, "one frame out on the uplink: %r" % ups)
        return ups[0]

    def ext_port(self, port, dst, sport, dport=53):
        """Open a UDP mapping from port:sport to dst:dport; its external port."""
        f = self.out1(port, from_guest(port, dst, 17, udp(
            socket.inet_ntoa(BY_NAME[port].ips[0]), dst, sport, dport)))
        return ports_of(f)[0]

    def inbound(self, src, sport, ext, proto=17, data=b"back"):
        seg = udp(src, OUT, sport, ext, data) if proto == 17 else \
            tcp(src, OUT, sport, ext, TCP_ACK, data)
        return self.rig.exchange("up", from_outside(src, proto, seg))

    # -- NAT-1 --------------------------------------------------------------

    def test_NAT_1_static_inside_address_gateway_arp_and_echo(self):
        ask = lambda tip: eth(BCAST, mac("n0"), 0x0806, arp(1, mac("n0"), N0, bytes(6), tip))
        got = self.rig.exchange("n0", ask(INSIDE_GW))
        self.only(got, {"n0": [eth(mac("n0"), GW_SIDE_MAC, 0x0806,
                                   arp(2, GW_SIDE_MAC, INSIDE_GW, mac("n0"), N0))]})
        # Never its own address, nothing else.
        self.only(self.rig.exchange("n0", ask(N0), ask("192.168.1.99")), {})
        # The inside gateway answers echo (C-6 on a NAT port).
        req = from_guest("n0", INSIDE_GW, 1, icmp_echo(3, 1, b"ping gw"))
        got = self.rig.exchange("n0", req)
        self.assertEqual(len(got["n0"]), 1)
        rep = self.checked(got["n0"][0])
        self.assertEqual(got["n0"][0][:12], mac("n0") + GW_SIDE_MAC)
        self.assertEqual(addrs(got["n0"][0]), (INSIDE_GW, N0))
        self.assertEqual(rep[20], 0)
        # Inbound traffic of a mapping goes to the configured MAC and address.
        ext = self.ext_port("n0", "8.8.8.8", 4100)
        got = self.inbound("8.8.8.8", 53, ext)
        self.only(got, {"n0": [got["n0"][0]]} if got["n0"] else {"n0": ["missing"]})
        self.assertEqual(got["n0"][0][:12], mac("n0") + GW_SIDE_MAC)
        self.assertEqual(addrs(got["n0"][0]), ("8.8.8.8", N0))

    # -- NAT-2 --------------------------------------------------------------

    def test_NAT_2_source_rewritten_checksums_updated_udp_zero_stays(self):
        data = bytes(range(200))
        f = from_guest("n0", "8.8.8.8", 17, udp(N0, "8.8.8.8", 4000, 53, data))
        out = self.out1("n0", f)
        self.assertEqual(out[:12], GW + UP_MAC)
        ip = self.checked(out)
        self.assertEqual(addrs(out), (OUT, "8.8.8.8"))
        self.assertEqual(ip[8], 63)                           # routed: TTL - 1
        self.assertEqual(ports_of(out), (4000, 53))           # free: preserved
        self.assertEqual(ip[28:], data)
        z = from_guest("n0", "8.8.8.8", 17, udp(N0, "8.8.8.8", 4001, 53, data, zero=True))
        out = self.out1("n0", z)
        self.checked(out)
        self.assertEqual(parse(out)[5][26:28], b"\0\0")       # 0 stays 0
        t = from_guest("n0", "1.2.3.4", 6, tcp(N0, "1.2.3.4", 4002, 80, TCP_SYN, b"hello"))
        out = self.out1("n0", t)
        self.checked(out)
        self.assertEqual(addrs(out)[0], OUT)

    # -- NAT-3 --------------------------------------------------------------

    def test_NAT_3_endpoint_independent_mapping(self):
        a = self.ext_port("n0", "1.1.1.1", 5000)
        b = self.ext_port("n0", "9.9.9.9", 5000, 123)
        c = self.ext_port("n0", "1.1.1.1", 5000, 54)
        self.assertEqual(a, b)
        self.assertEqual(a, c)

    # -- NAT-4 --------------------------------------------------------------

    def test_NAT_4_no_overloading_port_preserved_ranges_kept(self):
        a = self.ext_port("n0", "1.1.1.1", 6000)
        b = self.ext_port("n1", "1.1.1.1", 6000)
        self.assertEqual(a, 6000)
        self.assertNotEqual(a, b)
        self.assertGreaterEqual(b, 1024)
        lo0 = self.ext_port("n0", "1.1.1.1", 100)
        lo1 = self.ext_port("n1", "1.1.1.1", 100)
        self.assertEqual(lo0, 100)
        self.assertNotEqual(lo0, lo1)
        self.assertTrue(1 <= lo1 <= 1023, lo1)
        # udp 5353 is forwarded to n0: never given to a dynamic mapping.
        self.assertNotEqual(self.ext_port("n1", "1.1.1.1", 5353), 5353)

    # -- NAT-5 --------------------------------------------------------------

    def test_NAT_5_icmp_echo_identifier_translated_reply_back(self):
        req = from_guest("n0", "8.8.4.4", 1, icmp_echo(0x1234, 7, b"abcdefgh" * 4))
        out = self.out1("n0", req)
        ip = self.checked(out)
        self.assertEqual(addrs(out), (OUT, "8.8.4.4"))
        ident = struct.unpack("!H", ip[24:26])[0]
        rep = from_outside("8.8.4.4", 1, icmp_echo(ident, 7, b"abcdefgh" * 4, typ=0))
        got = self.rig.exchange("up", rep)
        self.assertEqual(len(got["n0"]), 1)
        back = self.checked(got["n0"][0])
        self.assertEqual(addrs(got["n0"][0]), ("8.8.4.4", N0))
        self.assertEqual(struct.unpack("!HH", back[24:28]), (0x1234, 7))
        self.rig.advance(59)                       # lives 60 s
        self.assertEqual(len(self.rig.exchange("up", rep)["n0"]), 1)
        self.rig.advance(2)
        self.only(self.rig.exchange("up", rep), {})
        self.assertEqual(self.drops("up", "no-mapping"), 1)

    # -- NAT-6 --------------------------------------------------------------

    def test_NAT_6_address_dependent_filtering_unsolicited_dropped_silently(self):
        ext = self.ext_port("n0", "1.1.1.1", 7000)
        self.assertEqual(len(self.inbound("1.1.1.1", 53, ext)["n0"]), 1)
        self.assertEqual(len(self.inbound("1.1.1.1", 99, ext)["n0"]), 1)   # any port of it
        self.only(self.inbound("2.2.2.2", 53, ext), {})                       # not this one
        self.only(self.inbound("2.2.2.2", 53, 9999), {})                      # no mapping
        self.assertEqual(self.drops("up", "no-mapping"), 2)
        syn = from_outside("3.3.3.3", 6, tcp("3.3.3.3", OUT, 4444, 2222, TCP_SYN))
        self.only(self.rig.exchange("up", syn), {})
        self.rig.advance(6)                       # no answer for >= 6 s (no RST)
        self.only(self.rig.exchange("up"), {})
        self.assertEqual(self.drops("up", "no-mapping"), 3)

    # -- NAT-7 --------------------------------------------------------------

    def tcp_open(self, remote, sport, established):
        """A TCP flow from n0:sport to remote:80 (its SYN out; with
        `established`, the SYN-ACK in): its external port."""
        syn = from_guest("n0", remote, 6, tcp(N0, remote, sport, 80, TCP_SYN))
        ext = ports_of(self.out1("n0", syn))[0]
        if established:
            synack = from_outside(remote, 6, tcp(remote, OUT, 80, ext, TCP_SYN | TCP_ACK))
            self.assertEqual(len(self.rig.exchange("up", synack)["n0"]), 1)
        return ext

    def alive(self, src, sport, ext, proto=17):
        return len(self.inbound(src, sport, ext, proto)["n0"]) == 1

    def test_NAT_7_timeouts_configured_and_defaults_outbound_refresh(self):
        # UDP: configured 120 s (net-rig.toml); outbound refreshes, inbound not.
        ext = self.ext_port("n0", "4.4.4.4", 7100)
        self.rig.advance(100)
        self.assertTrue(self.alive("4.4.4.4", 53, ext))
        self.rig.advance(21)
        self.assertFalse(self.alive("4.4.4.4", 53, ext))
        ext = self.ext_port("n0", "4.4.4.4", 7101)
        self.rig.advance(100)
        self.assertEqual(self.ext_port("n0", "4.4.4.4", 7101), ext)   # refresh
        self.rig.advance(100)
        self.assertTrue(self.alive("4.4.4.4", 53, ext))
        # TCP transitory: 240 s by default.
        ext = self.tcp_open("4.4.4.4", 7200, False)
        self.rig.advance(239)
        self.assertTrue(self.alive("4.4.4.4", 80, ext, 6))
        self.rig.advance(2)
        self.assertFalse(self.alive("4.4.4.4", 80, ext, 6))
        # TCP established: 7,440 s by default.
        ext = self.tcp_open("4.4.4.4", 7201, True)
        self.rig.advance(7439)
        self.assertTrue(self.alive("4.4.4.4", 80, ext, 6))
        self.rig.advance(2)
        self.assertFalse(self.alive("4.4.4.4", 80, ext, 6))
        # ICMP: 60 s by default (NAT-5's test crosses it).

    # -- NAT-8 --------------------------------------------------------------

    def test_NAT_8_tcp_state_syn_fin_rst_simultaneous_open(self):
        ext = self.tcp_open("5.5.5.5", 7300, False)
        # Simultaneous open: the peer's SYN crosses ours.
        peer_syn = from_outside("5.5.5.5", 6, tcp("5.5.5.5", OUT, 80, ext, TCP_SYN))
        got = self.rig.exchange("up", peer_syn)
        self.assertEqual(len(got["n0"]), 1)
        self.checked(got["n0"][0])
        self.assertEqual(ports_of(got["n0"][0]), (80, 7300))
        self.rig.advance(300)                      # established: past transitory
        self.assertTrue(self.alive("5.5.5.5", 80, ext, 6))
        # A RST makes it transitory again.
        rst = from_guest("n0", "5.5.5.5", 6, tcp(N0, "5.5.5.5", 7300, 80, TCP_RST))
        self.assertEqual(ports_of(self.out1("n0", rst))[0], ext)
        self.rig.advance(241)
        self.assertFalse(self.alive("5.5.5.5", 80, ext, 6))
        # FIN after an open handshake: transitory too.
        ext = self.tcp_open("5.5.5.5", 7301, True)
        fin = from_guest("n0", "5.5.5.5", 6, tcp(N0, "5.5.5.5", 7301, 80, TCP_FIN | TCP_ACK))
        self.out1("n0", fin)
        self.rig.advance(241)
        self.assertFalse(self.alive("5.5.5.5", 80, ext, 6))

    # -- NAT-9 --------------------------------------------------------------

    def test_NAT_9_icmp_error_translated_with_embedded_header(self):
        sent = udp(N0, "6.6.6.6", 8000, 53, b"query")
        out = self.out1("n0", from_guest("n0", "6.6.6.6", 17, sent))
        ext = ports_of(out)[0]
        quoted = parse(out)[5][:28]               # as the remote saw it
        body = struct.pack("!BBHI", 3, 3, 0, 0) + quoted
        err = body[:2] + struct.pack("!H", csum(body)) + body[4:]
        got = self.rig.exchange("up", from_outside("7.7.7.7", 1, err))
        self.assertEqual(len(got["n0"]), 1)
        ip = self.checked(got["n0"][0])
        self.assertEqual(addrs(got["n0"][0]), ("7.7.7.7", N0))
        inner = ip[28:56]
        self.assertEqual(csum(inner[:20]), 0, "embedded IPv4 checksum")
        self.assertEqual(socket.inet_ntoa(inner[12:16]), N0)
        self.assertEqual(inner[20:28], sent[:8])   # ports, length, UDP checksum restored
        # Without a mapping: dropped.
        other = bytearray(quoted)
        other[20:22] = struct.pack("!H", ext ^ 0x4000)
        body = struct.pack("!BBHI", 3, 3, 0, 0) + bytes(other)
        err2 = body[:2] + struct.pack("!H", csum(body)) + body[4:]
        self.only(self.rig.exchange("up", from_outside("7.7.7.7", 1, err2)), {})
        self.assertEqual(self.drops("up", "no-mapping"), 1)
        # ICMP never refreshes a mapping (UDP: 120 s here).
        self.rig.advance(100)
        self.assertEqual(len(self.rig.exchange("up", from_outside("7.7.7.7", 1, err))["n0"]), 1)
        self.rig.advance(21)
        self.only(self.rig.exchange("up", from_outside("7.7.7.7", 1, err)), {})

    # -- NAT-10 -------------------------------------------------------------

    def test_NAT_10_quota_exhaustion_icmp_3_13_others_unaffected(self):
        a = self.ext_port("n2", "8.8.8.8", 20001)
        self.ext_port("n2", "8.8.8.8", 20002)
        third = from_guest("n2", "8.8.8.8", 17, udp(N2, "8.8.8.8", 20003, 53))
        ups, got = self.out("n2", third)
        self.assertEqual(ups, [])
        self.assertEqual(len(got["n2"]), 1)
        icmp = self.checked(got["n2"][0])
        self.assertEqual(got["n2"][0][:12], mac("n2") + GW_SIDE_MAC)
        self.assertEqual(addrs(got["n2"][0]), (INSIDE_GW, N2))
        self.assertEqual(icmp[20:22], b"\x03\x0d")
        self.assertEqual(icmp[28:56], parse(third)[5][:28])
        self.assertEqual(self.drops("n2", "nat-quota"), 1)
        self.assertEqual(self.ext_port("n2", "8.8.8.8", 20001), a)   # existing flow goes on
        for sport in range(21000, 21004):                              # others: their quota
            self.ext_port("n1", "8.8.8.8", sport)
        self.assertEqual(self.drops("n1", "nat-quota"), 0)

    # -- NAT-11 -------------------------------------------------------------

    def test_NAT_11_static_port_forwards(self):
        syn = from_outside("10.0.2.2", 6, tcp("10.0.2.2", OUT, 40000, 8080, TCP_SYN))
        got = self.rig.exchange("up", syn)
        self.only(got, {"n0": got["n0"]})
        self.assertEqual(len(got["n0"]), 1)
        self.checked(got["n0"][0])
        self.assertEqual(addrs(got["n0"][0]), ("10.0.2.2", N0))
        self.assertEqual(ports_of(got["n0"][0]), (40000, 80))
        synack = from_guest("n0", "10.0.2.2", 6, tcp(N0, "10.0.2.2", 80, 40000,
                                                     TCP_SYN | TCP_ACK))
        out = self.out1("n0", synack)
        self.checked(out)
        self.assertEqual(addrs(out), (OUT, "10.0.2.2"))
        self.assertEqual(ports_of(out), (8080, 40000))
        q = from_outside("10.0.2.2", 17, udp("10.0.2.2", OUT, 40001, 5353, b"dns"))
        got = self.rig.exchange("up", q)
        self.assertEqual(len(got["n0"]), 1)
        self.assertEqual(ports_of(got["n0"][0]), (40001, 53))
        # Not forwarded: TCP 5353, UDP 8080.
        self.only(self.rig.exchange("up", from_outside("10.0.2.2", 6, tcp(
            "10.0.2.2", OUT, 40002, 5353, TCP_SYN))), {})

    # -- NAT-12 -------------------------------------------------------------

    def test_NAT_12_df_above_mtu_gets_frag_needed(self):
        big = from_guest("n0", "8.8.8.8", 17, udp(N0, "8.8.8.8", 9000, 53, bytes(1401 - 28)))
        self.assertEqual(len(parse(big)[5]), 1401)
        ups, got = self.out("n0", big)
        self.assertEqual(ups, [])
        self.assertEqual(len(got["n0"]), 1)
        icmp = self.checked(got["n0"][0])
        self.assertEqual(addrs(got["n0"][0]), (INSIDE_GW, N0))
        self.assertEqual(icmp[20:22], b"\x03\x04")
        self.assertEqual(struct.unpack("!H", icmp[26:28])[0], 1400)   # next-hop MTU
        self.assertEqual(self.drops("n0", "too-big"), 1)
        fits = from_guest("n0", "8.8.8.8", 17, udp(N0, "8.8.8.8", 9001, 53, bytes(1400 - 28)))
        self.assertEqual(len(self.checked(self.out1("n0", fits))), 1400)

    # -- NAT-13 -------------------------------------------------------------

    def test_NAT_13_hairpinning_to_a_forward(self):
        f = from_guest("n1", OUT, 17, udp(N1, OUT, 9100, 5353, b"hairpin"))
        got = self.rig.exchange("n1", f)
        self.only(got, {"n0": got["n0"]})
        self.assertEqual(len(got["n0"]), 1)
        self.checked(got["n0"][0])
        self.assertEqual(got["n0"][0][:12], mac("n0") + GW_SIDE_MAC)
        self.assertEqual(addrs(got["n0"][0]), (OUT, N0))
        sport, dport = ports_of(got["n0"][0])
        self.assertEqual(dport, 53)
        # The source is n1's external port: the same one it gets outside.
        self.assertEqual(self.ext_port("n1", "8.8.8.8", 9100, 5353), sport)

    # -- NAT-14 -------------------------------------------------------------

    def test_NAT_14_fragments_in_order_translated_out_of_order_dropped(self):
        payload = udp(N0, "8.8.8.8", 9200, 53, bytes(range(48)))
        first = from_guest("n0", "8.8.8.8", 17, payload[:32], ident=77, flags=0x2000)
        rest = from_guest("n0", "8.8.8.8", 17, payload[32:], ident=77, flags=32 // 8)
        ups, _ = self.out("n0", first, rest)
        self.assertEqual(len(ups), 2)
        a, b = (self.checked(f) for f in ups)
        self.assertEqual([addrs(f)[0] for f in ups], [OUT, OUT])
        self.assertEqual(a[4:6], b[4:6])                       # one identification
        whole = a[20:] + b[20:]
        self.assertEqual(l4sum(OUT, "8.8.8.8", 17, whole), 0)  # reassembled UDP checks
        # A later fragment before its first: dropped (a tracked deviation).
        late = from_guest("n0", "8.8.8.8", 17, payload[32:], ident=78, flags=32 // 8)
        self.only(self.rig.exchange("n0", late), {})
        self.assertEqual(self.drops("n0", "fragment"), 1)

    # -- anti-spoofing in NAT mode ------------------------------------------

    def test_AS_6_nat_inside_address_from_uplink_dropped(self):
        f = from_outside(N0, 17, udp(N0, OUT, 1, 5353))
        self.only(self.rig.exchange("up", f), {})
        self.assertEqual(self.drops("up", "spoof-ip"), 1)

    def test_RT_7_nat_port_source_must_be_its_address(self):
        f = from_guest("n1", "8.8.8.8", 17, udp(N1, "8.8.8.8", 1, 53))
        f = f[:26] + socket.inet_aton(N0) + f[30:]
        self.only(self.rig.exchange("n1", f), {})
        self.assertEqual(self.drops("n1", "spoof-ip"), 1)


if __name__ == "__main__":
    unittest.main()
