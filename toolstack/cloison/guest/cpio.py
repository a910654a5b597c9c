# SPDX-License-Identifier: MIT
"""An initramfs archive: cpio "newc" (SVR4 without CRC), the format Linux
unpacks (Documentation/driver-api/early-userspace/buffer-format.rst):
a 110-byte ASCII header "070701" + 13 eight-digit hex fields, the name with
its NUL, padding to 4 bytes, the data, padding to 4 bytes; ends with
"TRAILER!!!"."""

S_IFDIR, S_IFREG, S_IFLNK, S_IFCHR = 0o040000, 0o100000, 0o120000, 0o020000


class Cpio:
    def __init__(self):
        self.out = bytearray()
        self.ino = 1

    def _entry(self, name, mode, data=b"", rdev=(0, 0), nlink=1):
        name_b = name.encode() + b"\0"
        fields = [self.ino, mode, 0, 0, nlink, 0, len(data), 0, 0,
                  rdev[0], rdev[1], len(name_b), 0]
        self.ino += 1
        self.out += b"070701" + b"".join(b"%08x" % f for f in fields)
        self.out += name_b
        self.out += b"\0" * (-len(self.out) % 4)
        self.out += data
        self.out += b"\0" * (-len(self.out) % 4)

    def directory(self, name, perm=0o755):
        self._entry(name, S_IFDIR | perm, nlink=2)

    def file(self, name, data, perm=0o644):
        self._entry(name, S_IFREG | perm, data)

    def symlink(self, name, target):
        self._entry(name, S_IFLNK | 0o777, target.encode())

    def chardev(self, name, major, minor, perm=0o600):
        self._entry(name, S_IFCHR | perm, rdev=(major, minor))

    def finish(self):
        self._entry("TRAILER!!!", 0, nlink=1)
        self.out += b"\0" * (-len(self.out) % 512)
        return bytes(self.out)
