# SPDX-License-Identifier: MIT
"""The binary boot bundle and policy: layouts, encoder and decoder.

The C view of the same layouts is hyp/abi/include/cloison/abi/policy.h; the
test suite compiles that header and checks every offset against the field
lists below, so the two cannot drift apart silently. All integers are little
endian; all records are naturally aligned; names are NUL-padded to 32 bytes
(at most 31 characters).
"""

import hashlib
import struct

BUNDLE_MAGIC = b"CLOISONB"
POLICY_MAGIC = b"CLOISONP"
BUNDLE_VERSION = 1
POLICY_VERSION = 1
NAME_LEN = 32
NAME_MAX = NAME_LEN - 1
NO_IPA = 0xFFFFFFFFFFFFFFFF
BUNDLE_ALIGN = 0x10000          # the bundle starts 64 KiB aligned
RECORD_ALIGN = 8                # tables inside the policy blob
IMAGE_DATA_ALIGN = 16           # each segment's bytes inside the bundle

POLICY_F_NO_IMAGES = 1 << 0     # compiled without images: not bootable
POLICY_F_NO_HYP = 1 << 1        # laid out without the hypervisor ELF: not bootable
DOMAIN_F_AUTOSTART = 1 << 0     # started at boot (else left built, stopped)
OBJECT_F_IRQ_EDGE = 1 << 0      # irq objects: edge triggered (else level)
SEG_F_X, SEG_F_W, SEG_F_R = 1, 2, 4   # the ELF p_flags bits


class Layout:
    """A C struct described as (field, struct format) pairs."""

    def __init__(self, cname, fields):
        self.cname = cname
        self.fields = fields
        self.names = [f for f, _ in fields]
        self.st = struct.Struct("<" + "".join(fmt for _, fmt in fields))
        self.size = self.st.size

    def offsets(self):
        off = 0
        out = {}
        for name, fmt in self.fields:
            out[name] = off
            off += struct.calcsize("<" + fmt)
        return out

    def pack(self, rec):
        vals = []
        for name, fmt in self.fields:
            v = rec.get(name, 0)
            if fmt.endswith("s"):
                if isinstance(v, str):
                    v = v.encode()
                elif v == 0:
                    v = b""
            vals.append(v)
        return self.st.pack(*vals)

    def unpack(self, data, off):
        rec = {}
        for (name, fmt), v in zip(self.fields, self.st.unpack_from(data, off)):
            if name.startswith("reserved"):
                continue
            if fmt == "32s" and name in ("name", "image", "system_name"):
                v = v.split(b"\0", 1)[0].decode("ascii", "replace")
            elif fmt.endswith("s") and name != "magic":
                v = v.hex()
            rec[name] = v
        return rec


BUNDLE_HEADER = Layout("cloison_bundle_header", [
    ("magic", "8s"), ("version", "I"), ("header_size", "I"),
    ("total_size", "Q"), ("load_addr", "Q"),
    ("policy_offset", "Q"), ("policy_size", "Q"),
    ("images_offset", "Q"), ("images_size", "Q"),
    ("policy_sha256", "32s"), ("reserved", "32s"),
])

TABLES = ("domains", "objects", "caps", "segments")

POLICY_HEADER = Layout("cloison_policy_header", [
    ("magic", "8s"), ("version", "I"), ("header_size", "I"),
    ("total_size", "I"), ("flags", "I"),
    ("abi_major", "I"), ("abi_minor", "I"),
    ("ram_base", "Q"), ("ram_size", "Q"),
    ("hyp_base", "Q"), ("hyp_end", "Q"),
    ("bundle_base", "Q"), ("bundle_size", "Q"),
    ("pool_base", "Q"), ("pool_size", "Q"),
] + [(t + "_" + f, "I") for t in TABLES
     for f in ("offset", "count", "entry_size", "reserved")] + [
    ("system_name", "32s"),
])

DOMAIN = Layout("cloison_policy_domain", [
    ("name", "32s"), ("image", "32s"),
    ("mem_phys", "Q"), ("mem_size", "Q"), ("mem_ipa", "Q"), ("entry", "Q"),
    ("budget_us", "Q"), ("period_us", "Q"),
    ("priority", "I"), ("vcpus", "I"),
    ("cap_first", "I"), ("cap_count", "I"),
    ("seg_first", "I"), ("seg_count", "I"),
    ("cspace_slots", "I"), ("flags", "I"),
    ("object", "I"), ("reserved0", "I"),
    ("image_sha256", "32s"), ("reserved1", "Q"),
])

OBJECT = Layout("cloison_policy_object", [
    ("name", "32s"), ("type", "I"), ("flags", "I"),
    ("phys", "Q"), ("size", "Q"), ("number", "I"), ("reserved", "I"),
])

CAP = Layout("cloison_policy_cap", [
    ("name", "32s"), ("slot", "I"), ("object", "I"),
    ("rights", "Q"), ("badge", "Q"), ("ipa", "Q"),
    ("end", "I"), ("domain", "I"),
])

SEGMENT = Layout("cloison_policy_segment", [
    ("ipa", "Q"), ("file_size", "Q"), ("mem_size", "Q"), ("offset", "Q"),
    ("flags", "I"), ("domain", "I"),
])

RECORDS = {"domains": DOMAIN, "objects": OBJECT, "caps": CAP,
           "segments": SEGMENT}
LAYOUTS = [BUNDLE_HEADER, POLICY_HEADER, DOMAIN, OBJECT, CAP, SEGMENT]


class FormatError(Exception):
    pass


def _align(x, a):
    return (x + a - 1) // a * a


def policy_size(counts):
    """Size in bytes of a policy blob with `counts[table]` records."""
    off = POLICY_HEADER.size
    for t in TABLES:
        off = _align(off, RECORD_ALIGN) + RECORDS[t].size * counts.get(t, 0)
    return off


def encode_policy(pol):
    """`pol` is a dict: header fields plus one list of record dicts per
    table. Returns the blob; header offsets, counts and sizes are filled in."""
    hdr = {k: v for k, v in pol.items() if k not in TABLES}
    body = bytearray()
    off = POLICY_HEADER.size
    for t in TABLES:
        pad = _align(off, RECORD_ALIGN) - off
        body += bytes(pad)
        off += pad
        hdr[t + "_offset"] = off
        hdr[t + "_count"] = len(pol[t])
        hdr[t + "_entry_size"] = RECORDS[t].size
        for rec in pol[t]:
            body += RECORDS[t].pack(rec)
        off += RECORDS[t].size * len(pol[t])
    hdr.update(magic=POLICY_MAGIC, version=POLICY_VERSION,
               header_size=POLICY_HEADER.size, total_size=off)
    return POLICY_HEADER.pack(hdr) + bytes(body)


def decode_policy(blob):
    """Inverse of encode_policy, with every bound checked."""
    if len(blob) < POLICY_HEADER.size:
        raise FormatError("policy blob too short (%d bytes)" % len(blob))
    hdr = POLICY_HEADER.unpack(blob, 0)
    if hdr["magic"] != POLICY_MAGIC:
        raise FormatError("bad policy magic %r" % hdr["magic"])
    if hdr["version"] != POLICY_VERSION:
        raise FormatError("policy format version %d, this tool reads %d"
                          % (hdr["version"], POLICY_VERSION))
    if hdr["header_size"] != POLICY_HEADER.size or hdr["total_size"] != len(blob):
        raise FormatError("policy header sizes do not match the blob")
    pol = {k: v for k, v in hdr.items()
           if not any(k.startswith(t + "_") for t in TABLES)
           and k not in ("magic", "version", "header_size", "total_size")}
    for t in TABLES:
        lay = RECORDS[t]
        off, count, esz = (hdr[t + "_offset"], hdr[t + "_count"],
                           hdr[t + "_entry_size"])
        if esz != lay.size or off % RECORD_ALIGN or off + count * esz > len(blob):
            raise FormatError("policy table %s out of bounds" % t)
        pol[t] = [lay.unpack(blob, off + n * esz) for n in range(count)]
    return pol


def encode_bundle(policy_blob, images, load_addr):
    """Header + policy + image data. `images` is the image data area, whose
    offsets the policy's segment records already refer to (relative to the
    bundle start, so they are computed with images_offset() below)."""
    images_off = images_offset(len(policy_blob))
    total = images_off + len(images)
    hdr = BUNDLE_HEADER.pack({
        "magic": BUNDLE_MAGIC, "version": BUNDLE_VERSION,
        "header_size": BUNDLE_HEADER.size, "total_size": total,
        "load_addr": load_addr,
        "policy_offset": BUNDLE_HEADER.size, "policy_size": len(policy_blob),
        "images_offset": images_off, "images_size": len(images),
        "policy_sha256": hashlib.sha256(policy_blob).digest(),
    })
    out = bytearray(hdr) + policy_blob
    out += bytes(images_off - len(out))
    out += images
    return bytes(out)


def images_offset(policy_len):
    return _align(BUNDLE_HEADER.size + policy_len, IMAGE_DATA_ALIGN)


def decode_bundle(data):
    """Return (header dict, policy blob, image data). Checks the hash."""
    if len(data) < BUNDLE_HEADER.size:
        raise FormatError("bundle too short")
    hdr = BUNDLE_HEADER.unpack(data, 0)
    if hdr["magic"] != BUNDLE_MAGIC:
        raise FormatError("bad bundle magic %r" % hdr["magic"])
    if hdr["version"] != BUNDLE_VERSION:
        raise FormatError("bundle format version %d, this tool reads %d"
                          % (hdr["version"], BUNDLE_VERSION))
    if hdr["header_size"] != BUNDLE_HEADER.size or hdr["total_size"] > len(data):
        raise FormatError("bundle header sizes do not match the data")
    p0, pn = hdr["policy_offset"], hdr["policy_size"]
    i0, im = hdr["images_offset"], hdr["images_size"]
    if p0 + pn > hdr["total_size"] or i0 + im > hdr["total_size"]:
        raise FormatError("bundle parts out of bounds")
    blob = data[p0:p0 + pn]
    if hashlib.sha256(blob).hexdigest() != hdr["policy_sha256"]:
        raise FormatError("policy SHA-256 does not match the bundle header")
    return hdr, blob, data[i0:i0 + im]
