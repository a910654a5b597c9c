# SPDX-License-Identifier: MIT
"""Command line: check, compile, pack, inspect, audit.

Exit status: 0 success, 1 invalid input (the description, an image, the
hypervisor ELF, a file that cannot be read) or, for audit, a violated
invariant, 2 usage error, or an input the toolstack could not handle (said
in one line, never a traceback). Warnings about the description go to
stderr and do not change the status. Nothing is written unless everything
succeeded: outputs go to a temporary file in the destination directory
that is renamed into place at the very end.
"""

import argparse
import hashlib
import os
import sys
import tempfile
import textwrap

from .check import reader as _check_reader
from . import abi as abi_mod
from . import audit, compiler, description, elf, inspect
from .audit import report as audit_report
from . import policy as fmt
from .errors import DescriptionError, InputError

PROG = "cloison"


EPILOG = """exit status: 0 success; 1 invalid input (the description, an image,
the hypervisor ELF, an unreadable file) or, for audit, a violated invariant;
2 usage error, or an input the toolstack could not handle."""


def _split_path(value):
    return [p for p in value.split(os.pathsep) if p]


def build(desc_path, image_path=None, hyp_path=None):
    """Validate and compile; returns (Description, Compiled, hyp Elf)."""
    hyp = audit.read_hyp(hyp_path) if hyp_path else None
    try:
        desc = description.load(desc_path, image_path)
    except OSError as exc:
        raise InputError("%s: %s" % (desc_path, exc.strerror)) from None
    print_warnings(desc_path, desc.warnings)
    return desc, compiler.compile_description(desc, hyp), hyp


def print_warnings(path, warnings):
    for d in warnings:
        print(d.format(path), file=sys.stderr)


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


def cmd_guest_check(args):
    from . import guestconfig
    cfg = guestconfig.load(args.file)
    for d in cfg.warnings:
        print(d.format(args.file), file=sys.stderr)
    print("%s: OK: guest %s, image %s, memory %s, budget %d/%d us, priority %d%s%s"
          % (args.file, cfg.name, cfg.image, description.fmt_size(cfg.memory),
             cfg.budget_us, cfg.period_us, cfg.priority,
             ", disk %s" % cfg.disk if cfg.disk else "",
             ", net port %d%s" % (cfg.net_port, " vlan %d" % cfg.net_vlan
                                  if cfg.net_vlan else "")
             if cfg.net_port else ""))


def cmd_compile(args):
    _, comp, _ = build(args.file, _image_path(args), args.hyp)
    _write_atomic(args.output, comp.blob)
    print("%s: policy %d bytes, sha256 %s"
          % (args.output, len(comp.blob), hashlib.sha256(comp.blob).hexdigest()))


def cmd_pack(args):
    if args.ram is not None and not _check_reader.is_size(args.ram):
        args.parser.error("--ram: '%s' is not a size (such as 512M)" % args.ram)
    desc, comp, hyp = build(args.file, _image_path(args), args.hyp)
    if args.ram is not None:
        # The hypervisor refuses a policy whose RAM is not the board's: say so
        # now, in words, rather than at boot.
        ram = _check_reader.size_value(args.ram)
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
    print_warnings(args.file, a.model.warnings)
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


def cmd_ctl(args):
    from . import ctl
    try:
        return ctl.main(args, sys.stdout)
    except ctl.CtlError as exc:
        print("%s: ctl: %s" % (PROG, exc), file=sys.stderr)
        return 2


def parser():
    p = argparse.ArgumentParser(
        prog=PROG, description="Cloison toolstack: system description -> "
        "policy -> boot image. `%s COMMAND --help` describes each command."
        % PROG, epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest="command", metavar="COMMAND", required=True)

    def command(name, summary, text):
        return sub.add_parser(name, help=summary,
                              description=textwrap.fill(text, 78),
                              epilog=EPILOG,
                              formatter_class=argparse.RawDescriptionHelpFormatter)

    def common(sp, hyp_required=False, images_required=False):
        sp.add_argument("file", metavar="FILE", help="system description (TOML)")
        sp.add_argument("--image-path", metavar="DIR[:DIR]",
                        required=images_required,
                        help="directories searched for domain images NAME.elf, "
                        "NAME, NAME/NAME.elf (images are checked only if given)")
        sp.add_argument("--hyp", metavar="HYP.ELF", required=hyp_required,
                        help="hypervisor ELF (its end fixes the memory layout)")

    sp = command("check", "validate a system description",
                 "Validate a system description: every error as FILE:LINE: "
                 "reason, warnings as FILE:LINE: warning: reason. With "
                 "--image-path the images are found and checked too; with "
                 "--hyp the memory layout is checked against the real "
                 "hypervisor.")
    common(sp)
    sp.set_defaults(func=cmd_check)
    sp = command("guest", "validate a guest configuration "
                 "(docs/dynamic-guests.md)",
                 "Validate a guest configuration file, the input of dom0's "
                 "`create`: every error as FILE:LINE: reason naming the field.")
    sp.add_argument("file", metavar="FILE", help="guest configuration (TOML)")
    sp.set_defaults(func=cmd_guest_check)
    sp = command("compile", "compile a description into a policy",
                 "Validate a description and write its binary policy "
                 "(docs/system-description.md, 'The compiled policy').")
    common(sp)
    sp.add_argument("-o", "--output", required=True, metavar="POLICY.BIN")
    sp.set_defaults(func=cmd_compile)
    sp = command("pack", "pack hypervisor, policy and images",
                 "Validate a description and write a boot image: the "
                 "hypervisor ELF with the policy and every domain image in "
                 "its boot bundle.")
    common(sp, hyp_required=True, images_required=True)
    sp.add_argument("-o", "--output", required=True, metavar="IMAGE.ELF")
    sp.add_argument("--ram", metavar="SIZE",
                    help="the RAM of the machine the image is for (QEMU's -m): "
                    "refuse the description if its [system] ram differs")
    sp.set_defaults(func=cmd_pack, parser=sp)
    sp = command("inspect", "print the bundle of an image, or a policy",
                 "Print what a boot image's bundle (or a bundle, or a policy) "
                 "holds: domains, objects, caps, images, policy hash.")
    sp.add_argument("file", metavar="FILE", help="boot image, bundle or policy")
    sp.add_argument("--json", action="store_true", help="machine-readable output")
    sp.set_defaults(func=cmd_inspect)
    sp = command("audit", "audit the capability policy of a description "
                 "(docs/auditing.md)",
                 "Audit the capability policy of a description: who can reach "
                 "what, and the invariants of docs/auditing.md; with --image "
                 "and --live, the policy hash of an image and a running "
                 "system's capability dump.")
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
    sp = command("ctl", "run a dom0 shell command from the host (docs/dom0.md)",
                 "Run one command of dom0's shell (list, create CONFIG, "
                 "destroy NAME, stats, ...) on a system booted with "
                 "`toolstack/run --ctl SOCKET` and print its output; exit 0 "
                 "when dom0 reports success, 1 on a refusal, 2 with no answer.")
    sp.add_argument("words", nargs="*", metavar="COMMAND", help="the command and its words")
    sp.add_argument("--socket", metavar="PATH",
                    help="the console socket (default $CLOISON_CTL, else "
                    "$CLOISON_BUILD/cloison-ctl.sock, build/ by default)")
    sp.add_argument("--timeout", type=float, default=60.0, metavar="S",
                    help="seconds to wait for dom0 (default 60)")
    sp.add_argument("--send", action="append", default=[], metavar="LINE",
                    help="with `console NAME`: type LINE (and Enter) to the "
                    "attached domain; repeatable")
    sp.add_argument("--expect", metavar="REGEX",
                    help="with `console NAME`: print the domain's lines until "
                    "one matches REGEX (exit 1 if none does within --timeout), "
                    "then detach with Ctrl-]")
    sp.set_defaults(func=cmd_ctl)
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
    except KeyboardInterrupt:
        print("%s: interrupted" % PROG, file=sys.stderr)
        return 2
    except (Exception, RecursionError, MemoryError) as exc:
        # An input the checks above did not foresee: one line, never a
        # traceback (the bug is still ours: the message says so).
        print("%s: %s: cannot handle this input (%s: %s); please report it"
              % (PROG, args.command, type(exc).__name__, _one_line(exc)),
              file=sys.stderr)
        return 2
    return status


def _one_line(exc):
    text = " ".join(str(exc).split())
    return text[:200] + "..." if len(text) > 200 else text
