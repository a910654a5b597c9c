# SPDX-License-Identifier: MIT
"""The Linux guest's file helpers (toolstack/cloison/guest): the cpio newc
writer read back by an independent parser, the ar/deb reader, the arm64
Image header check. No network: the packages themselves are tested by the
linux group (tests/linux)."""
import gzip
import io
import struct
import tarfile
import unittest

try:  # as tests.toolstack.X (-t .) or as a top-level module (-s only)
    from . import support  # noqa: F401  (sys.path)
except ImportError:
    import support  # noqa: F401
from cloison.guest import cpio, deb, fetch, initramfs


def parse_newc(blob):
    """Entries (name, mode, data, rdevmajor, rdevminor) of a newc archive."""
    out, pos = [], 0
    while True:
        hdr = blob[pos:pos + 110]
        assert hdr[:6] == b"070701", hdr[:6]
        f = [int(hdr[6 + 8 * i:14 + 8 * i], 16) for i in range(13)]
        namesize, filesize = f[11], f[6]
        name = blob[pos + 110:pos + 110 + namesize - 1].decode()
        pos += 110 + namesize
        pos += -pos % 4
        data = blob[pos:pos + filesize]
        pos += filesize
        pos += -pos % 4
        if name == "TRAILER!!!":
            return out, pos
        out.append((name, f[1], data, f[9], f[10]))


def make_deb(files):
    data = io.BytesIO()
    with tarfile.open(fileobj=data, mode="w:xz") as t:
        for name, content in files.items():
            if content.startswith(b"->"):
                ti = tarfile.TarInfo("./" + name)
                ti.type = tarfile.SYMTYPE
                ti.linkname = content[2:].decode()
                t.addfile(ti)
            else:
                ti = tarfile.TarInfo("./" + name)
                ti.size = len(content)
                t.addfile(ti, io.BytesIO(content))
    out = bytearray(deb.AR_MAGIC)
    for name, body in (("debian-binary", b"2.0\n"), ("data.tar.xz", data.getvalue())):
        out += b"%-16s%-12d%-6d%-6d%-8s%-10d`\n" % (name.encode(), 0, 0, 0, b"100644", len(body))
        out += body + (b"\n" if len(body) & 1 else b"")
    return bytes(out)


def arm64_image(size=4096):
    img = bytearray(size)
    struct.pack_into("<QQ", img, 8, 0, size)
    struct.pack_into("<I", img, 0x38, fetch.ARM64_MAGIC)
    return bytes(img)


class GuestFiles(unittest.TestCase):
    def test_cpio_round_trip(self):
        c = cpio.Cpio()
        c.directory("bin")
        c.file("bin/a", b"hello")
        c.symlink("bin/sh", "a")
        c.chardev("dev/console", 5, 1)
        blob = c.finish()
        self.assertEqual(len(blob) % 512, 0)
        entries, end = parse_newc(blob)
        self.assertEqual([e[0] for e in entries], ["bin", "bin/a", "bin/sh", "dev/console"])
        self.assertEqual(entries[1][2], b"hello")
        self.assertEqual(entries[1][1] & 0o170000, cpio.S_IFREG)
        self.assertEqual(entries[2][2], b"a")
        self.assertEqual((entries[3][3], entries[3][4]), (5, 1))
        self.assertTrue(all(b == 0 for b in blob[end:]))

    def test_initramfs_has_init_and_console(self):
        entries, _ = parse_newc(initramfs.build(b"\x7fELFbusybox"))
        names = {e[0]: e for e in entries}
        self.assertIn("init", names)
        self.assertEqual(names["init"][1] & 0o777, 0o755)
        self.assertIn(initramfs.READY_MARKER.encode(), names["init"][2])
        self.assertEqual(names["dev/console"][3:], (5, 1))
        self.assertEqual(names["bin/busybox"][2], b"\x7fELFbusybox")

    def test_bench_data_is_deterministic(self):
        a = initramfs.bench_data(1 << 16)
        self.assertEqual(a, initramfs.bench_data(1 << 16))
        self.assertEqual(len(a), 1 << 16)
        self.assertGreater(len(set(a)), 200)

    def test_deb_read_follows_symlink(self):
        blob = make_deb({"bin/busybox": b"BB", "bin/sh": b"->busybox"})
        self.assertEqual(deb.read_file(blob, "bin/sh"), b"BB")
        with self.assertRaises(KeyError):
            deb.read_file(blob, "bin/nothing")
        with self.assertRaises(ValueError):
            deb.read_file(b"not an ar", "x")

    def test_kernel_image_gzip_and_header(self):
        img = arm64_image()
        blob = make_deb({"boot/vmlinuz-6.1.0-1-test": gzip.compress(img)})
        release, out = fetch.kernel_image(blob)
        self.assertEqual((release, out), ("6.1.0-1-test", img))
        bad = make_deb({"boot/vmlinuz-x": gzip.compress(bytes(4096))})
        with self.assertRaises(ValueError):
            fetch.kernel_image(bad)


if __name__ == "__main__":
    unittest.main()
