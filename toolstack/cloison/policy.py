# SPDX-License-Identifier: MIT
"""The binary boot bundle and policy: layouts, encoder and decoder.

The layouts are not written here: both this module and the C header
<cloison/abi/policy.h> are generated from hyp/abi/cloison-boot.toml (see
limits.py), and a test compiles the header and compares every offset. All integers are little
endian; all records are naturally aligned; names are NUL-padded to 32 bytes
(at most 31 characters).
"""

import hashlib
import struct

from . import limits

# Every number below comes from hyp/abi/cloison-boot.toml (through limits).
BUNDLE_MAGIC = limits.BOOT["bundle_magic"].to_bytes(8, "little")      # b"CLOISONB"
POLICY_MAGIC = limits.BOOT["policy_magic"].to_bytes(8, "little")      # b"CLOISONP"
BUNDLE_VERSION = limits.BUNDLE_VERSION
POLICY_VERSION = limits.POLICY_VERSION
NAME_LEN = limits.BOOT["name_len"]
NAME_MAX = NAME_LEN - 1
NO_IPA = limits.BOOT["no_ipa"]
BUNDLE_ALIGN = limits.BOOT["bundle_align"]          # the bundle starts 64 KiB aligned
RECORD_ALIGN = limits.BOOT["record_align"]          # tables inside the policy blob
IMAGE_DATA_ALIGN = limits.BOOT["image_data_align"]  # each segment's bytes inside the bundle

POLICY_F_NO_IMAGES = limits.FLAGS["policy_f_no_images"]   # not bootable
POLICY_F_NO_HYP = limits.FLAGS["policy_f_no_hyp"]         # not bootable
DOMAIN_F_AUTOSTART = limits.FLAGS["domain_f_autostart"]   # started at boot
OBJECT_F_IRQ_EDGE = limits.FLAGS["object_f_irq_edge"]     # irq objects: edge triggered
SEG_F_X, SEG_F_W, SEG_F_R = (limits.FLAGS["seg_f_x"], limits.FLAGS["seg_f_w"],
                             limits.FLAGS["seg_f_r"])    # the ELF p_flags bits


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


def _layout(name):
    cname, size, fields = limits.LAYOUTS[name]
    lay = Layout(cname, fields)
    assert lay.size == size, name
    return lay


BUNDLE_HEADER = _layout("bundle_header")
TABLES = ("domains", "objects", "caps", "segments")
POLICY_HEADER = _layout("policy_header")
DOMAIN = _layout("policy_domain")
OBJECT = _layout("policy_object")
CAP = _layout("policy_cap")
SEGMENT = _layout("policy_segment")

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
