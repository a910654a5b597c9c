# SPDX-License-Identifier: MIT
"""Object types and rights, by name and by number.

Names are fixed by the project vocabulary (docs/capabilities.md, docs/glossary.md).
Names and numbers come only from the ABI definition, hyp/abi/cloison-abi.toml:
this module loads the Python module that `hyp/abi/gen_abi.py --python OUT`
generates (`cloison_abi.py`). It is $CLOISON_ABI_PY if set (a file, e.g.
build/hyp/abi/cloison_abi.py), otherwise it is generated afresh from the
definition file into a private temporary directory, so it can never be
stale.
"""

import importlib.util
import os
import subprocess
import sys
import tempfile

# Object types that a system description may declare or name in a cap.
# (frame and cnode exist in the ABI but are made at run time, from untyped.)
DECLARABLE = ("device", "irq", "notification", "channel", "untyped", "domain",
              "console", "system")


class AbiError(Exception):
    pass


_REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
_GEN = os.path.join(_REPO, "hyp", "abi", "gen_abi.py")


def _load_file(path):
    spec = importlib.util.spec_from_file_location("cloison_abi", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def _generate():
    if not os.path.exists(_GEN):
        return None
    out = tempfile.mkdtemp(prefix="cloison-abi-")
    path = os.path.join(out, "cloison_abi.py")
    res = subprocess.run([sys.executable, _GEN, "--python", path],
                         capture_output=True, text=True)
    if res.returncode != 0 or not os.path.exists(path):
        raise AbiError("cannot generate the ABI module from %s: %s"
                       % (_GEN, res.stderr.strip() or res.stdout.strip()))
    try:
        return _load_file(path)
    finally:
        try:
            os.unlink(path)
            os.rmdir(out)
        except OSError:
            pass


def _find_module():
    env = os.environ.get("CLOISON_ABI_PY")
    if env:
        if not os.path.exists(env):
            raise AbiError("CLOISON_ABI_PY=%s: no such file" % env)
        return _load_file(env)
    return _generate()


class Abi:
    """Numeric values of object types and rights, plus the ABI version."""

    def __init__(self, types, rights, version):
        self.types = types              # name -> number
        self.rights = rights            # type name -> {right name -> bit mask}
        self.version = version          # (major, minor)
        self.type_names = {v: k for k, v in types.items()}

    def type_number(self, name):
        return self.types[name]

    def rights_mask(self, type_name, names):
        mask = 0
        for n in names:
            mask |= self.rights[type_name][n]
        return mask

    def valid_rights(self, type_name):
        """Right names of a type, in bit order."""
        table = self.rights[type_name]
        return sorted(table, key=lambda n: table[n])

    def rights_names(self, type_name, mask):
        """Names of the rights in `mask`, in bit order; unknown bits as hex."""
        table = self.rights.get(type_name, {})
        out = [n for n in sorted(table, key=lambda n: table[n]) if table[n] & mask]
        rest = mask
        for n in out:
            rest &= ~table[n]
        if rest:
            out.append("0x%x" % rest)
        return out


def _from_module(mod):
    try:
        types = dict(mod.OBJECT_TYPES)
        rights = {k: dict(v) for k, v in mod.RIGHTS.items()}
        version = tuple(mod.VERSION)
    except (AttributeError, TypeError) as exc:
        raise AbiError("the generated ABI module has an unexpected shape: %s"
                       % exc) from None
    missing = [t for t in DECLARABLE if t not in types or t not in rights]
    if missing:
        raise AbiError("the ABI defines no object type %s" % ", ".join(missing))
    return Abi(types, rights, version)


_cached = None


def load():
    """Return the Abi, loading it once per process."""
    global _cached
    if _cached is None:
        mod = _find_module()
        if mod is None:
            raise AbiError("ABI definition not found: expected %s" % _GEN)
        _cached = _from_module(mod)
    return _cached
