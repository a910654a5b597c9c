# SPDX-License-Identifier: MIT
"""Reading a boot image or a policy back: `cloison inspect`."""

import json

from . import abi as abi_mod
from . import elf
from . import policy as fmt
from .errors import InputError


def find_bundle(img):
    """The bundle of a packed image: the PT_LOAD segment starting with the
    bundle magic (the packer adds it after the hypervisor's segments)."""
    for seg in reversed(img.loads()):
        data = img.segment_bytes(seg)
        if data[:8] == fmt.BUNDLE_MAGIC:
            return seg, data
    raise InputError("no Cloison boot bundle in this ELF file")


def read(data):
    """Decode an image (ELF with a bundle), a bare bundle or a policy blob.
    Returns a dict: {"bundle": header or None, "policy": policy dict,
    "segment_paddr": load address or None}."""
    try:
        if data[:4] == b"\x7fELF":
            img = elf.Elf(data)
            seg, raw = find_bundle(img)
            hdr, blob, _ = fmt.decode_bundle(raw)
            if hdr["load_addr"] != seg.paddr:
                raise InputError("bundle header says 0x%x, segment is at 0x%x"
                                 % (hdr["load_addr"], seg.paddr))
            return {"bundle": hdr, "policy": fmt.decode_policy(blob),
                    "segment_paddr": seg.paddr}
        if data[:8] == fmt.BUNDLE_MAGIC:
            hdr, blob, _ = fmt.decode_bundle(data)
            return {"bundle": hdr, "policy": fmt.decode_policy(blob),
                    "segment_paddr": None}
        if data[:8] == fmt.POLICY_MAGIC:
            return {"bundle": None, "policy": fmt.decode_policy(data),
                    "segment_paddr": None}
    except (elf.ElfError, fmt.FormatError) as exc:
        raise InputError(str(exc)) from None
    raise InputError("not a Cloison image, bundle or policy")


def _type_name(abi, n):
    return abi.type_names.get(n, "type%d" % n)


def symbolic(info, abi=None):
    """The decoded content with numbers turned into names where the ABI
    gives them: what `inspect --json` prints and what the auditor reads."""
    abi = abi or abi_mod.load()
    pol = info["policy"]
    objs = []
    for o in pol["objects"]:
        kind = _type_name(abi, o["type"])
        d = {"name": o["name"], "type": kind}
        if kind in ("device", "channel", "untyped"):
            d.update(phys=o["phys"], size=o["size"])
        elif kind == "irq":
            d.update(intid=o["number"],
                     trigger="edge" if o["flags"] & fmt.OBJECT_F_IRQ_EDGE else "level")
        elif kind == "domain":
            d.update(domain=o["number"])
        objs.append(d)
    doms = []
    for d in pol["domains"]:
        caps = []
        for c in pol["caps"][d["cap_first"]:d["cap_first"] + d["cap_count"]]:
            o = pol["objects"][c["object"]] if c["object"] < len(pol["objects"]) else None
            kind = _type_name(abi, o["type"]) if o else "?"
            e = {"slot": c["slot"], "name": c["name"],
                 "object": o["name"] if o else c["object"], "type": kind,
                 "rights": abi.rights_names(kind, c["rights"])}
            if c["badge"]:
                e["badge"] = c["badge"]
            if c["ipa"] != fmt.NO_IPA:
                e["ipa"] = c["ipa"]
            if kind == "channel":
                e["end"] = c["end"]
            caps.append(e)
        segs = [{k: s[k] for k in ("ipa", "file_size", "mem_size", "offset", "flags")}
                for s in pol["segments"][d["seg_first"]:d["seg_first"] + d["seg_count"]]]
        doms.append({
            "name": d["name"], "image": d["image"],
            "image_sha256": d["image_sha256"],
            "memory": {"phys": d["mem_phys"], "size": d["mem_size"],
                       "ipa": d["mem_ipa"]},
            "entry": d["entry"], "vcpus": d["vcpus"],
            "budget_us": d["budget_us"], "period_us": d["period_us"],
            "priority": d["priority"], "cspace_slots": d["cspace_slots"],
            "autostart": bool(d["flags"] & fmt.DOMAIN_F_AUTOSTART),
            "segments": segs, "caps": caps,
        })
    flags = []
    if pol["flags"] & fmt.POLICY_F_NO_IMAGES:
        flags.append("no-images")
    if pol["flags"] & fmt.POLICY_F_NO_HYP:
        flags.append("no-hypervisor")
    out = {
        "system": pol["system_name"], "flags": flags,
        "abi_version": "%d.%d" % (pol["abi_major"], pol["abi_minor"]),
        "ram": {"base": pol["ram_base"], "size": pol["ram_size"]},
        "hypervisor": {"base": pol["hyp_base"], "end": pol["hyp_end"]},
        "bundle": {"base": pol["bundle_base"], "size": pol["bundle_size"]},
        "pool": {"base": pol["pool_base"], "size": pol["pool_size"]},
        "objects": objs, "domains": doms,
    }
    if info["bundle"] is not None:
        b = info["bundle"]
        out["bundle"].update(format_version=b["version"],
                             policy_sha256=b["policy_sha256"],
                             policy_size=b["policy_size"],
                             images_size=b["images_size"])
    return out


def _flags(f):
    return "".join(c if f & b else "-" for c, b in
                   (("R", fmt.SEG_F_R), ("W", fmt.SEG_F_W), ("X", fmt.SEG_F_X)))


def text(info, abi=None):
    s = symbolic(info, abi)
    out = []
    if info["bundle"] is not None:
        b = s["bundle"]
        out.append("bundle: format %d at 0x%x, %d bytes (policy %d, images %d)"
                   % (b["format_version"], b["base"], b["size"],
                      b["policy_size"], b["images_size"]))
        out.append("policy sha256: %s" % b["policy_sha256"])
    out.append("system '%s': ABI %s%s" % (s["system"], s["abi_version"],
               "".join(", " + f for f in s["flags"])))
    out.append("  ram        [0x%x, 0x%x)" % (s["ram"]["base"],
                                            s["ram"]["base"] + s["ram"]["size"]))
    out.append("  hypervisor [0x%x, 0x%x)" % (s["hypervisor"]["base"],
                                            s["hypervisor"]["end"]))
    out.append("  bundle     [0x%x, 0x%x)" % (s["bundle"]["base"],
                                            s["bundle"]["base"] + s["bundle"]["size"]))
    out.append("  pool       [0x%x, 0x%x)" % (s["pool"]["base"],
                                            s["pool"]["base"] + s["pool"]["size"]))
    out.append("objects (object index, type, name):")
    for n, o in enumerate(s["objects"]):
        extra = ""
        if "phys" in o:
            extra = " [0x%x, 0x%x)" % (o["phys"], o["phys"] + o["size"])
        elif "intid" in o:
            extra = " INTID %d %s" % (o["intid"], o["trigger"])
        elif "domain" in o:
            extra = " domain %d" % o["domain"]
        out.append("  %3d %-12s %s%s" % (n, o["type"], o["name"], extra))
    # "domain N" is the policy's domain index, the number dom0's shell, the
    # audit and the guests' banners print.
    for n, d in enumerate(s["domains"]):
        m = d["memory"]
        out.append("domain %d '%s': image '%s'%s" % (
            n, d["name"], d["image"], "" if d["autostart"] else ", not started at boot"))
        out.append("  memory  phys [0x%x, 0x%x) at IPA 0x%x, entry 0x%x"
                   % (m["phys"], m["phys"] + m["size"], m["ipa"], d["entry"]))
        out.append("  sched   budget %d us / period %d us, priority %d, %d vCPU"
                   % (d["budget_us"], d["period_us"], d["priority"], d["vcpus"]))
        out.append("  image   sha256 %s" % d["image_sha256"])
        for n, g in enumerate(d["segments"]):
            out.append("  segment %d: IPA 0x%x file 0x%x mem 0x%x %s at bundle+0x%x"
                       % (n, g["ipa"], g["file_size"], g["mem_size"],
                          _flags(g["flags"]), g["offset"]))
        out.append("  cspace  %d slots" % d["cspace_slots"])
        for c in d["caps"]:
            extra = ""
            if "end" in c:
                extra += " end %d" % c["end"]
            if "badge" in c:
                extra += " badge 0x%x" % c["badge"]
            if "ipa" in c:
                extra += " ipa 0x%x" % c["ipa"]
            out.append("  cap %3d %-16s -> %s '%s' [%s]%s"
                       % (c["slot"], c["name"], c["type"], c["object"],
                          ",".join(c["rights"]), extra))
    return "\n".join(out) + "\n"


def as_json(info, abi=None):
    return json.dumps(symbolic(info, abi), indent=2, sort_keys=True) + "\n"
