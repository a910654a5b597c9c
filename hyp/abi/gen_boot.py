# SPDX-License-Identifier: MIT
"""The boot contract (cloison-boot.toml): layouts of the bundle, the policy
and the start-info page, and every limit of a system description.

gen_abi.py calls load() and the gen_* functions; nothing here is run on its
own. check() refuses a definition whose structs do not add up (a field
misaligned, implicit padding, a size that does not match), so the C header's
_Static_asserts and the Python struct formats describe the same bytes.
"""

import re
import tomllib

IDENT = re.compile(r"^[a-z][a-z0-9_]*$")
TYPE_RE = re.compile(r"^([a-z0-9_]+)(?:\[([0-9]+)\])?$")
SCALARS = {"u8": (1, "B", "uint8_t"), "u32": (4, "I", "uint32_t"),
           "u64": (8, "Q", "uint64_t"), "char": (1, "s", "char")}
# Which generated header a struct or constant lives in.
START_INFO_PREFIXES = ("CLOISON_START_INFO_", "CLOISON_HVC_", "CLOISON_VIRQ_",
                       "cloison_start_info")


class BootError(Exception):
    pass


def load(path, abi):
    with open(path, "rb") as f:
        boot = tomllib.load(f)
    check(boot, abi)
    return boot


def _field_type(boot, spec):
    """(element size, alignment, count, base name) of a field type."""
    m = TYPE_RE.match(spec)
    if not m:
        raise BootError(f"bad field type {spec!r}")
    base, count = m.group(1), int(m.group(2) or 1)
    if m.group(2) is not None and count < 1:
        raise BootError(f"field type {spec!r}: empty array")
    if base in SCALARS:
        size = SCALARS[base][0]
        return size, size, count, base
    if base in boot["struct"]:
        st = boot["struct"][base]
        return st["size"], _align_of(boot, base), count, base
    raise BootError(f"unknown field type {spec!r}")


def _align_of(boot, name):
    return max(_field_type(boot, f[1])[1] for f in boot["struct"][name]["fields"])


def offsets(boot, name):
    """[(field, offset, type)] of a struct, checked: natural alignment, no
    implicit padding, the declared size."""
    st = boot["struct"][name]
    off, out = 0, []
    for f in st["fields"]:
        if len(f) != 3 or not IDENT.match(f[0]):
            raise BootError(f"struct {name}: bad field {f!r}")
        size, align, count, _ = _field_type(boot, f[1])
        if off % align:
            raise BootError(f"struct {name}: field {f[0]} at offset {off} is not "
                            f"{align}-byte aligned: add an explicit reserved field")
        out.append((f[0], off, f[1]))
        off += size * count
    if off != st["size"]:
        raise BootError(f"struct {name}: fields add up to {off} bytes, size says {st['size']}")
    if off % _align_of(boot, name):
        raise BootError(f"struct {name}: size {off} leaves tail padding")
    return out


def check(boot, abi):
    v = boot.get("version", {})
    for k in ("bundle", "policy", "start_info"):
        if not isinstance(v.get(k), int) or not 1 <= v[k] < 1 << 32:
            raise BootError(f"version.{k} must be a positive 32-bit integer")
    for group in ("constants", "limits"):
        for k, c in boot.get(group, {}).items():
            if not IDENT.match(k) or not isinstance(c.get("value"), int) or c["value"] < 0 \
                    or not c.get("doc"):
                raise BootError(f"{group}.{k}: needs a name, a non-negative value and a doc")
    seen = {}
    for fl in boot.get("flag", []):
        if not IDENT.match(fl.get("name", "")) or not 0 <= fl.get("bit", -1) < 32:
            raise BootError(f"flag {fl.get('name')!r}: bad name or bit")
        if fl["c"] in seen:
            raise BootError(f"flag {fl['c']} declared twice")
        seen[fl["c"]] = fl
    for name in boot.get("struct", {}):
        if not IDENT.match(name):
            raise BootError(f"bad struct name {name!r}")
        offsets(boot, name)
    lim = {k: c["value"] for k, c in boot["limits"].items()}
    need = ("domains_max", "objects_max", "caps_max", "segments_max", "cspace_slots_min",
            "cspace_slots_max", "start_info_caps_max", "vcpus_max", "priority_max",
            "period_max_us", "pool_fixed", "pool_per_domain", "pool_per_object",
            "pool_per_slot")
    missing = [k for k in need if k not in lim]
    if missing:
        raise BootError("missing limits: " + ", ".join(missing))
    # Cross-checks between the limits, the layouts and the hypercall ABI.
    if lim["cspace_slots_max"] > abi["constants"]["cnode_max_slots"]:
        raise BootError("limits.cspace_slots_max exceeds the ABI's cnode_max_slots")
    if lim["domains_max"] > 256:
        raise BootError("limits.domains_max: one 8-bit VMID per domain allows 256")
    caps_field = [f for f in boot["struct"]["start_info"]["fields"] if f[0] == "caps"][0]
    if _field_type(boot, caps_field[1])[2] != lim["start_info_caps_max"]:
        raise BootError("start_info.caps must have start_info_caps_max entries")
    if boot["struct"]["start_info"]["size"] != boot["constants"]["start_info_size"]["value"]:
        raise BootError("struct start_info must fill the start-info page exactly")


# ------------------------------------------------------------------- C side

def _c_member(boot, f):
    size, _, count, base = _field_type(boot, f[1])
    ctype = SCALARS[base][2] if base in SCALARS else "struct " + boot["struct"][base]["c"]
    arr = f"[{count}]" if "[" in f[1] else ""
    comment = f"\t/* {f[2]} */" if f[2] else ""
    return f"\t{ctype} {f[0]}{arr};{comment}\n"


def _c_struct(boot, name):
    st = boot["struct"][name]
    out = [f"/* {st['doc']} */\n", f"struct {st['c']} {{\n"]
    out += [_c_member(boot, f) for f in st["fields"]]
    out.append("};\n")
    out.append(f"_Static_assert(sizeof(struct {st['c']}) == {st['size']}, \"{name} size\");\n")
    for field, off, _ in offsets(boot, name):
        out.append(f"_Static_assert(offsetof(struct {st['c']}, {field}) == {off}, "
                   f"\"{name} layout\");\n")
    return "".join(out) + "\n"


def _banner(text):
    return text.replace("cloison-abi.toml", "cloison-boot.toml", 1)


def _in_start_info(cname):
    return cname.startswith(START_INFO_PREFIXES)


def _c_constants(boot, start_info):
    out = []
    for c in boot["constants"].values():
        if _in_start_info(c["c"]) == start_info:
            suffix = "ull" if c["value"] > 0xffffffff else "u"
            out.append(f"/* {c['doc']} */\n#define {c['c']} 0x{c['value']:x}{suffix}\n")
    return "".join(out)


def gen_policy_h(boot, header):
    v = boot["version"]
    body = [
        "/*\n"
        " * The boot bundle and the compiled policy: the binary the toolstack\n"
        " * (toolstack/cloison/policy.py) writes and the hypervisor reads at boot,\n"
        " * generated with the toolstack's view from hyp/abi/cloison-boot.toml.\n"
        " * Bundle = struct cloison_bundle_header, the policy blob at policy_offset,\n"
        " * the image data at images_offset. Policy blob = struct\n"
        " * cloison_policy_header, then four tables of records (domains, objects,\n"
        " * caps, segments). All integers little endian; names NUL-padded.\n"
        " * A reader refuses any version other than its own.\n"
        " */\n",
        f"#define CLOISON_BUNDLE_VERSION {v['bundle']}u\n",
        f"#define CLOISON_POLICY_VERSION {v['policy']}u\n\n",
        _c_constants(boot, False),
        "#define CLOISON_POLICY_NAME_MAX (CLOISON_POLICY_NAME_LEN - 1u)\n\n",
    ]
    for fl in boot["flag"]:
        if not _in_start_info(fl["c"]):
            body.append(f"#define {fl['c']} (1u << {fl['bit']})\t/* {fl['doc']} */\n")
    body.append("\n")
    for name in ("bundle_header", "policy_table", "policy_header", "policy_domain",
                 "policy_object", "policy_cap", "policy_segment"):
        body.append(_c_struct(boot, name))
    return _banner(header("policy", "".join(body), ["<stddef.h>", "<stdint.h>"]))


def gen_start_info_h(boot, header):
    body = [
        "/*\n"
        " * The start-info page: what the hypervisor tells a domain when it starts.\n"
        " * A domain starts at EL1 (AArch64, MMU and caches off, DAIF masked) at\n"
        " * the entry IPA of its image, with x0 = IPA of this page, the LAST 4 KiB\n"
        " * of its RAM; every other register is zero. Domains find their caps by\n"
        " * name here. A domain refuses a version it does not know.\n"
        " */\n",
        f"#define CLOISON_START_INFO_VERSION {boot['version']['start_info']}u\n",
        f"#define CLOISON_START_INFO_MAX_CAPS {boot['limits']['start_info_caps_max']['value']}u\n",
        _c_constants(boot, True), "\n",
        _c_struct(boot, "start_info_cap"), _c_struct(boot, "start_info"),
    ]
    return _banner(header("start_info", "".join(body), ["<stddef.h>", "<stdint.h>"]))


def gen_limits_h(boot, header):
    out = ["/* Limits of a system description: the toolstack refuses a description\n"
           " * past one, the hypervisor a policy past one (cloison-boot.toml). */\n"]
    for k, c in boot["limits"].items():
        suffix = "ull" if c["value"] > 0xffffffff else "u"
        out.append(f"/* {c['doc']} */\n#define CLOISON_LIMIT_{k.upper()} 0x{c['value']:x}{suffix}\n")
    return _banner(header("boot_limits", "".join(out)))


# -------------------------------------------------------------- Python side

def _py_fields(boot, name, prefix=""):
    """Flattened (field, struct format) pairs: nested structs become
    prefix_field; arrays other than char/u8 become raw bytes."""
    out = []
    for f in boot["struct"][name]["fields"]:
        size, _, count, base = _field_type(boot, f[1])
        if base in boot["struct"] and "[" not in f[1]:
            out += _py_fields(boot, base, prefix + f[0] + "_")
        elif base in SCALARS and "[" not in f[1]:
            out.append((prefix + f[0], SCALARS[base][1]))
        else:
            out.append((prefix + f[0], f"{size * count}s"))
    return out


def gen_python(boot):
    v = boot["version"]
    lines = ["\n# ---- the boot contract (hyp/abi/cloison-boot.toml)\n",
             f"BUNDLE_VERSION = {v['bundle']}\nPOLICY_VERSION = {v['policy']}\n"
             f"START_INFO_VERSION = {v['start_info']}\n",
             "# constant name -> value\nBOOT = {\n"]
    for k, c in boot["constants"].items():
        lines.append(f"    {k!r}: 0x{c['value']:x},\n")
    lines.append("}\n# flag name -> mask\nFLAGS = {\n")
    for fl in boot["flag"]:
        lines.append(f"    {fl['name']!r}: 0x{1 << fl['bit']:x},\n")
    lines.append("}\n# limit name -> value\nLIMITS = {\n")
    for k, c in boot["limits"].items():
        lines.append(f"    {k!r}: {c['value']},\n")
    lines.append("}\n# limit name -> why\nLIMIT_DOCS = {\n")
    for k, c in boot["limits"].items():
        lines.append(f"    {k!r}: {c['doc']!r},\n")
    lines.append("}\n# struct name -> (C struct name, size, [(field, struct format)])\nLAYOUTS = {\n")
    for name, st in boot["struct"].items():
        lines.append(f"    {name!r}: ({st['c']!r}, {st['size']}, {_py_fields(boot, name)!r}),\n")
    lines.append("}\n# struct name -> [(C member path, offset)] for the layout tests\nOFFSETS = {\n")
    for name in boot["struct"]:
        lines.append(f"    {name!r}: {[(f, o) for f, o, _ in offsets(boot, name)]!r},\n")
    lines.append("}\n")
    return "".join(lines)


# ------------------------------------------------------------ documentation

DOC_BEGIN = "<!-- BEGIN LIMITS TABLE: generated by hyp/abi/gen_abi.py --doc, do not edit -->"
DOC_END = "<!-- END LIMITS TABLE -->"


def _human(v):
    for unit, name in ((1 << 30, "GiB"), (1 << 20, "MiB"), (1 << 10, "KiB")):
        if v >= unit and v % unit == 0:
            return f"{v // unit} {name}"
    return f"{v:,}"


def gen_doc_limits(boot):
    """The limits table of docs/system-description.md, from the definition."""
    out = [DOC_BEGIN, "",
           f"Boot contract: bundle format {boot['version']['bundle']}, policy format "
           f"{boot['version']['policy']}, start-info {boot['version']['start_info']}.", "",
           "| limit | value | why |", "|---|---|---|"]
    sized = ("mem", "size", "pool", "ram", "ipa_limit")
    for k, c in boot["limits"].items():
        v = _human(c["value"]) if any(t in k for t in sized) else f"{c['value']:,}"
        out.append(f"| `{k}` | {v} | {c['doc'].replace('|', '/')} |")
    out += ["", DOC_END]
    return "\n".join(out) + "\n"
