# SPDX-License-Identifier: MIT
"""A flattened device tree (DTB) writer, standard library only.

Format: Devicetree Specification v0.4, chapter 5: a 40-byte big-endian
header (magic 0xd00dfeed, version 17, last compatible 16), the memory
reservation block (ended by an all-zero entry), the structure block
(FDT_BEGIN_NODE name, FDT_PROP len nameoff value, FDT_END_NODE, FDT_END;
each token and value padded to 4 bytes) and the strings block. Checked by
decompiling with dtc (tests/toolstack/test_guest_dtb.py)."""
import struct

FDT_MAGIC = 0xD00DFEED
FDT_BEGIN_NODE, FDT_END_NODE, FDT_PROP, FDT_END = 1, 2, 3, 9


def u32(*vals):
    return b"".join(struct.pack(">I", v) for v in vals)


def u64(*vals):
    return b"".join(struct.pack(">Q", v) for v in vals)


def string(*vals):
    return b"".join(v.encode() + b"\0" for v in vals)


class Node:
    def __init__(self, name, props=None, children=None):
        self.name = name
        self.props = list(props or [])      # (name, bytes)
        self.children = list(children or [])

    def prop(self, name, value=b""):
        self.props.append((name, value))
        return self

    def child(self, node):
        self.children.append(node)
        return node


def _pad(b):
    return b + b"\0" * (-len(b) % 4)


def build(root, boot_cpuid=0):
    strings = bytearray()
    offsets = {}
    struct_blk = bytearray()

    def stroff(name):
        if name not in offsets:
            offsets[name] = len(strings)
            strings.extend(name.encode() + b"\0")
        return offsets[name]

    def emit(node):
        struct_blk.extend(u32(FDT_BEGIN_NODE) + _pad(node.name.encode() + b"\0"))
        for name, value in node.props:
            struct_blk.extend(u32(FDT_PROP, len(value), stroff(name)) + _pad(value))
        for c in node.children:
            emit(c)
        struct_blk.extend(u32(FDT_END_NODE))

    emit(root)
    struct_blk.extend(u32(FDT_END))
    rsvmap = u64(0, 0)
    off_rsv = 40
    off_struct = off_rsv + len(rsvmap)
    off_strings = off_struct + len(struct_blk)
    total = off_strings + len(strings)
    header = u32(FDT_MAGIC, total, off_struct, off_strings, off_rsv, 17, 16,
                 boot_cpuid, len(strings), len(struct_blk))
    return header + rsvmap + bytes(struct_blk) + bytes(strings)
