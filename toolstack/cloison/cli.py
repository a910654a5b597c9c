# SPDX-License-Identifier: MIT
"""Command line: check, compile, pack, inspect, audit.

Exit status: 0 success, 1 invalid input (the description, an image, the
hypervisor ELF, a file that cannot be read) or, for audit, a violated
invariant, 2 usage error. Nothing is
written unless everything succeeded: outputs go to a temporary file in the
destination directory that is renamed into place at the very end.
"""

import argparse
import hashlib
import os
import sys
import tempfile

from . import abi as abi_mod
from . import audit, audit_report, compiler, description, elf, inspect
from . import policy as fmt
from .errors import DescriptionError, InputError

PROG = "cloison"


def _split_path(value):
    return [p for p in value.split(os.pathsep) if p]


def build(desc_path, image_path=None, hyp_path=None):
    """Validate and compile; returns (Description, Compiled, hyp Elf)."""
    hyp = audit.read_hyp(hyp_path) if hyp_path else None
    try:
        desc = description.load(desc_path, image_path)
    except OSError as exc:
        raise InputError("%s: %s" % (desc_path, exc.strerror)) from None
    return desc, compiler.compile_description(desc, hyp), hyp


def _write_atomic(path, data):
    try:
        _write_atomic_raw(path, data)
    except OSError as exc:
        raise InputError("%s: cannot write: %s" % (path, exc.strerror)) from None


def _write_atomic_raw(path, data):
    if os.path.isdir(path):
        raise IsADirectoryError(21, "Is a directory", path)
    d = os.path.dirname(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(prefix=".cloison-", dir=d)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def pack_image(hyp, compiled):
    return elf.add_segment(hyp, compiled.bundle_base, compiled.bundle(),
                           fmt.BUNDLE_ALIGN)


def cmd_check(args):
    desc, comp, _ = build(args.file, _image_path(args), args.hyp)
    ncaps = sum(len(d.caps) for d in desc.domains)
    print("%s: OK: %d domains, %d objects, %d caps%s"
          % (args.file, len(desc.domains), len(desc.objects), ncaps,
             "" if desc.images_loaded else " (images not checked)"))


def cmd_compile(args):
    _, comp, _ = build(args.file, _image_path(args), args.hyp)
    _write_atomic(args.output, comp.blob)
    print("%s: policy %d bytes, sha256 %s"
          % (args.output, len(comp.blob), hashlib.sha256(comp.blob).hexdigest()))


def cmd_pack(args):
    if args.ram is not None and not description._is_size(args.ram):
        args.parser.error("--ram: '%s' is not a size (such as 512M)" % args.ram)
    desc, comp, hyp = build(args.file, _image_path(args), args.hyp)
    if args.ram is not None:
        # The hypervisor refuses a policy whose RAM is not the board's: say so
        # now, in words, rather than at boot.
        ram = description._size_value(args.ram)
        if ram != desc.system.ram_size:
            raise InputError(
                "%s: [system] ram is %s but --ram says the machine has %s: the "
                "hypervisor would refuse to boot. Set ram = \"%dM\" in [system], or "
                "boot with %s of RAM (toolstack/run gives QEMU the size the image "
                "was packed for)" % (args.file, description.fmt_size(desc.system.ram_size),
                                     description.fmt_size(ram), ram >> 20,
                                     description.fmt_size(desc.system.ram_size)))
    data = pack_image(hyp, comp)
    _write_atomic(args.output, data)
    print("%s: bundle at 0x%x, %d bytes, policy sha256 %s"
          % (args.output, comp.bundle_base, len(comp.bundle()),
             hashlib.sha256(comp.blob).hexdigest()))


def cmd_inspect(args):
    try:
        with open(args.file, "rb") as f:
            data = f.read()
    except OSError as exc:
        raise InputError("%s: %s" % (args.file, exc.strerror)) from None
    try:
        info = inspect.read(data)
    except InputError as exc:
        raise InputError("%s: %s" % (args.file, exc)) from None
    sys.stdout.write(inspect.as_json(info) if args.json else inspect.text(info))


def cmd_audit(args):
    if (args.can is None) != (args.reach is None):
        args.parser.error("--can and --reach go together")
    a = audit.run(args.file, _image_path(args), args.hyp, args.image, args.live)
    if args.dot:
        _write_atomic(args.dot, audit_report.dot(a).encode())
    if args.html:
        _write_atomic(args.html, audit_report.html_page(a).encode())
    if args.can is not None:
        sys.stdout.write(audit.query(a, args.can, args.reach))
        return 0
    sys.stdout.write(audit_report.text(a))
    return 1 if a.violated() else 0


def _image_path(args):
    return _split_path(args.image_path) if args.image_path is not None else None


def parser():
    p = argparse.ArgumentParser(
        prog=PROG, description="Cloison toolstack: system description -> "
        "policy -> boot image.")
    sub = p.add_subparsers(dest="command", metavar="COMMAND", required=True)

    def common(sp, hyp_required=False, images_required=False):
        sp.add_argument("file", metavar="FILE", help="system description (TOML)")
        sp.add_argument("--image-path", metavar="DIR[:DIR]",
                        required=images_required,
                        help="directories searched for domain images NAME.elf, "
                        "NAME, NAME/NAME.elf (images are checked only if given)")
        sp.add_argument("--hyp", metavar="HYP.ELF", required=hyp_required,
                        help="hypervisor ELF (its end fixes the memory layout)")

    sp = sub.add_parser("check", help="validate a system description")
    common(sp)
    sp.set_defaults(func=cmd_check)
    sp = sub.add_parser("compile", help="compile a description into a policy")
    common(sp)
    sp.add_argument("-o", "--output", required=True, metavar="POLICY.BIN")
    sp.set_defaults(func=cmd_compile)
    sp = sub.add_parser("pack", help="pack hypervisor, policy and images")
    common(sp, hyp_required=True, images_required=True)
    sp.add_argument("-o", "--output", required=True, metavar="IMAGE.ELF")
    sp.add_argument("--ram", metavar="SIZE",
                    help="the RAM of the machine the image is for (QEMU's -m): "
                    "refuse the description if its [system] ram differs")
    sp.set_defaults(func=cmd_pack, parser=sp)
    sp = sub.add_parser("inspect", help="print the bundle of an image, or a policy")
    sp.add_argument("file", metavar="FILE", help="boot image, bundle or policy")
    sp.add_argument("--json", action="store_true", help="machine-readable output")
    sp.set_defaults(func=cmd_inspect)
    sp = sub.add_parser("audit", help="audit the capability policy of a "
                        "description (docs/auditing.md)")
    common(sp)
    sp.add_argument("--image", metavar="IMAGE.ELF",
                    help="boot image (or bundle, or policy) whose policy hash "
                    "must equal the audited policy's")
    sp.add_argument("--live", metavar="LOG",
                    help="console log holding a CLOISON-CAPDUMP of the running "
                    "system: its caps must be a subset of the policy")
    sp.add_argument("--dot", metavar="FILE", help="write the graph as Graphviz DOT")
    sp.add_argument("--html", metavar="FILE", help="write a self-contained HTML report")
    sp.add_argument("--can", metavar="DOMAIN",
                    help="with --reach: can DOMAIN reach the domain or object?")
    sp.add_argument("--reach", metavar="NAME", help="see --can")
    sp.set_defaults(func=cmd_audit, parser=sp)
    return p


def main(argv=None):
    args = parser().parse_args(argv)
    try:
        status = args.func(args) or 0
    except DescriptionError as exc:
        for line in exc.lines():
            print(line, file=sys.stderr)
        return 1
    except (InputError, abi_mod.AbiError) as exc:
        print("%s: %s" % (PROG, exc), file=sys.stderr)
        return 1
    except OSError as exc:
        print("%s: %s: %s" % (PROG, exc.filename or "", exc.strerror), file=sys.stderr)
        return 1
    return status
