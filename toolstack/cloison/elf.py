# SPDX-License-Identifier: MIT
"""A small ELF64 little-endian reader and writer (program headers only).

Enough to read the hypervisor and domain images and to write the boot image:
the hypervisor file with one more PT_LOAD segment. Section headers are kept
as they are so debuggers still find the hypervisor's symbols.
Field layouts: System V gABI, "ELF Header" and "Program Header" (ELF-64).
"""

import struct

EHDR = struct.Struct("<16sHHIQQQIHHHHHH")   # 64 bytes
PHDR = struct.Struct("<IIQQQQQQ")           # 56 bytes

ELFCLASS64 = 2
ELFDATA2LSB = 1
EV_CURRENT = 1
ET_EXEC = 2
EM_AARCH64 = 183
PT_LOAD = 1
PF_X, PF_W, PF_R = 1, 2, 4
PN_XNUM = 0xFFFF


class ElfError(Exception):
    pass


class Segment:
    __slots__ = ("type", "flags", "offset", "vaddr", "paddr", "filesz",
                 "memsz", "align")

    def __init__(self, type, flags, offset, vaddr, paddr, filesz, memsz, align):
        self.type = type
        self.flags = flags
        self.offset = offset
        self.vaddr = vaddr
        self.paddr = paddr
        self.filesz = filesz
        self.memsz = memsz
        self.align = align

    def pack(self):
        return PHDR.pack(self.type, self.flags, self.offset, self.vaddr,
                         self.paddr, self.filesz, self.memsz, self.align)


class Elf:
    """A parsed ELF64 LE file: header fields and program headers."""

    def __init__(self, data):
        self.data = bytes(data)
        if len(self.data) < EHDR.size or self.data[:4] != b"\x7fELF":
            raise ElfError("not an ELF file")
        (ident, self.type, self.machine, _version, self.entry, self.phoff,
         self.shoff, self.flags, ehsize, phentsize, self.phnum, _shentsize,
         _shnum, _shstrndx) = EHDR.unpack_from(self.data, 0)
        if ident[4] != ELFCLASS64:
            raise ElfError("not a 64-bit ELF file")
        if ident[5] != ELFDATA2LSB:
            raise ElfError("not a little-endian ELF file")
        if self.machine != EM_AARCH64:
            raise ElfError("not an AArch64 ELF file (e_machine %d)" % self.machine)
        if self.type != ET_EXEC:
            raise ElfError("not an executable ELF file (e_type %d)" % self.type)
        if self.phnum == PN_XNUM:
            raise ElfError("too many program headers")
        if self.phnum and phentsize != PHDR.size:
            raise ElfError("unexpected program header size %d" % phentsize)
        if self.phoff + self.phnum * PHDR.size > len(self.data):
            raise ElfError("program headers run past the end of the file")
        self.segments = []
        for n in range(self.phnum):
            seg = Segment(*PHDR.unpack_from(self.data, self.phoff + n * PHDR.size))
            if seg.type == PT_LOAD:
                if seg.filesz > seg.memsz:
                    raise ElfError("segment %d: file size exceeds memory size" % n)
                if seg.offset + seg.filesz > len(self.data):
                    raise ElfError("segment %d: bytes run past the end of the file" % n)
                if seg.paddr + seg.memsz > 1 << 64:
                    raise ElfError("segment %d: address overflows" % n)
            self.segments.append(seg)

    def loads(self):
        """PT_LOAD segments that occupy memory, in file order."""
        return [s for s in self.segments if s.type == PT_LOAD and s.memsz > 0]

    def segment_bytes(self, seg):
        return self.data[seg.offset:seg.offset + seg.filesz]

    def load_end(self):
        """End (physical, exclusive) of the highest PT_LOAD segment."""
        loads = self.loads()
        if not loads:
            raise ElfError("no loadable segment")
        return max(s.paddr + s.memsz for s in loads)


def align_up(x, a):
    return (x + a - 1) // a * a


def add_segment(elf, paddr, payload, align):
    """Return the bytes of a copy of `elf` with one more PT_LOAD segment.

    The original bytes are copied unchanged; the payload is appended at a file
    offset congruent to `paddr` modulo `align` (gABI requirement for loadable
    segments), and a new program header table, the old entries plus the new
    one placed after the last PT_LOAD (PT_LOAD entries stay sorted by address),
    is appended after it. The old table stays in place, unused."""
    if paddr % align:
        raise ElfError("segment address 0x%x not aligned to 0x%x" % (paddr, align))
    out = bytearray(elf.data)
    off = align_up(len(out), align)
    out += bytes(off - len(out))
    out += payload
    new = Segment(PT_LOAD, PF_R, off, paddr, paddr, len(payload), len(payload), align)
    segs = list(elf.segments)
    last_load = max((i for i, s in enumerate(segs) if s.type == PT_LOAD), default=-1)
    segs.insert(last_load + 1, new)
    phoff = align_up(len(out), 8)
    out += bytes(phoff - len(out))
    for s in segs:
        out += s.pack()
    hdr = list(EHDR.unpack_from(out, 0))
    hdr[5] = phoff
    hdr[9] = PHDR.size
    hdr[10] = len(segs)
    out[:EHDR.size] = EHDR.pack(*hdr)
    return bytes(out)


def build(entry, segments):
    """Make a minimal AArch64 executable: `segments` is a list of
    (paddr, data, memsz, flags). Used by tests and to make sample images."""
    ident = b"\x7fELF" + bytes([ELFCLASS64, ELFDATA2LSB, EV_CURRENT]) + bytes(9)
    phoff = EHDR.size
    data_off = align_up(phoff + PHDR.size * len(segments), 16)
    body = bytearray()
    phdrs = bytearray()
    for paddr, data, memsz, flags in segments:
        off = data_off + len(body)
        align = 16 if paddr % 16 == 0 else 1
        phdrs += Segment(PT_LOAD, flags, off, paddr, paddr, len(data), memsz,
                         align).pack()
        body += data
        body += bytes(align_up(len(body), 16) - len(body))
    hdr = EHDR.pack(ident, ET_EXEC, EM_AARCH64, EV_CURRENT, entry, phoff, 0, 0,
                    EHDR.size, PHDR.size, len(segments), 0, 0, 0)
    out = bytearray(hdr) + phdrs
    out += bytes(data_off - len(out))
    return bytes(out + body)
