# SPDX-License-Identifier: MIT
"""The live check: `cloison audit DESC --live LOG` on console logs.

tests/toolstack/audit/live/*.log are console logs of the system
tests/toolstack/audit/live.toml with a capability dump in them. Their header
says what the audit must report:
  # status: N                 exit status
  # violation: MESSAGE        a live-subset finding (all of them, in order)
  # note: MESSAGE             a live-subset note
  # hash-violated             the dump's policy hash is not the audited one
  # error: [LINE: ]MESSAGE    the log is refused: stderr names LOG:LINE
@POLICY@ in a log stands for the SHA-256 of the audited policy.

A last test boots a real system in QEMU (when the build and QEMU are
there), reads the dump the hypervisor prints at boot, and checks that it
matches, then that a cap minted behind the policy's back is reported."""

import glob
import os
import re
import shutil
import subprocess
import tempfile
import unittest

try:  # as tests.toolstack.X (-t .) or as a top-level module (-s only)
    from . import support
except ImportError:
    import support
from cloison import audit
from cloison.audit import checks as audit_checks, live as audit_live

AUDIT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "audit")
LIVE = os.path.join(AUDIT, "live")
DESC = os.path.join(AUDIT, "live.toml")
HEADER = re.compile(r"^# (status|violation|note|hash-violated|error)(?:: (.*))?$", re.M)


def read_header(path):
    meta = {"violation": [], "note": [], "error": None, "hash": False}
    with open(path, encoding="utf-8") as f:
        for key, val in HEADER.findall(f.read()):
            if key == "status":
                meta["status"] = int(val)
            elif key in ("violation", "note"):
                meta[key].append(val)
            elif key == "hash-violated":
                meta["hash"] = True
            else:
                meta["error"] = val
    return meta


class LiveFixtureTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="cloison-live-")
        cls.sha = audit.load_model(DESC).sha256

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp)

    def materialise(self, path):
        with open(path, encoding="utf-8") as f:
            text = f.read().replace("@POLICY@", self.sha)
        dest = os.path.join(self.tmp, os.path.basename(path))
        with open(dest, "w", encoding="utf-8") as f:
            f.write(text)
        return dest

    def check_log(self, path):
        meta = read_header(path)
        log = self.materialise(path)
        status, out, err = support.run("audit", DESC, "--live", log)
        self.assertEqual(status, meta["status"], err or out)
        if meta["error"] is not None:
            m = re.match(r"^(\d+): (.*)$", meta["error"])
            want = ("cloison: %s:%s: %s\n" % (log, m.group(1), m.group(2)) if m
                    else "cloison: %s: %s\n" % (log, meta["error"]))
            self.assertEqual((out, err), ("", want))
            return
        self.assertEqual(err, "")
        a = audit.run(DESC, live=log)
        live = a.check("live-subset")
        self.assertEqual([f.message for f in live.findings], meta["violation"])
        self.assertEqual(live.status, audit_checks.VIOLATED if meta["violation"]
                         else audit_checks.HELD)
        for n in meta["note"]:
            self.assertIn(n, live.notes)
        h = a.check("policy-hash")
        self.assertEqual(h.status, audit_checks.VIOLATED if meta["hash"]
                         else audit_checks.HELD)
        for msg in meta["violation"]:
            self.assertIn("\n      - %s\n" % msg, out)

    def test_required_fixtures_exist(self):
        names = {os.path.basename(p)[:-4] for p in glob.glob(os.path.join(LIVE, "*.log"))}
        for n in ("identical", "extra-cap", "wider-rights", "missing-cap",
                  "wrong-hash", "truncated"):
            self.assertIn(n, names)

    def test_wrong_hash_names_both(self):
        log = self.materialise(os.path.join(LIVE, "wrong-hash.log"))
        a = audit.run(DESC, live=log)
        h = a.check("policy-hash")
        self.assertEqual([f.message for f in h.findings], [
            "the live dump (%s line 8) reports policy sha256 %s; the description "
            "compiles to %s" % (log, "0123456789abcdef" * 4, self.sha)])
        self.assertIn("the dump comes from a system running policy %s, not the audited "
                      "%s (see policy-hash); caps are compared with the audited policy "
                      "all the same" % ("0123456789abcdef" * 4, self.sha),
                      a.check("live-subset").notes)

    def test_identical_summary(self):
        log = self.materialise(os.path.join(LIVE, "identical.log"))
        a = audit.run(DESC, live=log)
        self.assertEqual(a.check("live-subset").summary,
                         "9 caps in the dump (%s lines 7-20, from the hypervisor "
                         "console), each a cap of the policy with no more rights; 0 of "
                         "the policy's 9 caps revoked or deleted since boot" % log)

    def test_parser_accepts_prefixes_and_crlf(self):
        text = ("[dom0] CLOISON-CAPDUMP BEGIN policy=%s domains=1\r\n"
                "noise CLOISON-CAPDUMP in the middle of a line is not a dump line\r\n"
                "[dom0] CLOISON-CAPDUMP DOMAIN name=dom0 state=stopped slots=4\r\n"
                "[dom0] CLOISON-CAPDUMP CAP domain=dom0 slot=3 type=console "
                "object=console rights=0x2 badge=0x0\r\n"
                "[dom0] CLOISON-CAPDUMP END caps=1\r\n" % ("ab" * 32))
        d = audit_live.parse(text, {"console"})
        self.assertEqual((d.prefix, d.policy, d.begin_line, d.end_line), ("dom0", "ab" * 32, 1, 5))
        self.assertEqual([(c.domain, c.slot, c.type, c.object, c.rights, c.badge, c.line)
                          for c in d.caps], [("dom0", 3, "console", "console", 2, 0, 4)])

    def test_parser_errors(self):
        cases = [
            ("CLOISON-CAPDUMP END caps=0\n", 1,
             "END line outside a dump (no BEGIN before it)"),
            ("CLOISON-CAPDUMP BEGIN policy=%s domains=1\nCLOISON-CAPDUMP DOMAIN "
             "name=a state=running slots=2\nCLOISON-CAPDUMP CAP domain=a slot=2 "
             "type=console object=console rights=0x2 badge=0x0\n" % ("0" * 64), 3,
             "slot 2 is outside the 2-slot CSpace of domain 'a'"),
            ("CLOISON-CAPDUMP BEGIN policy=%s domains=1\nCLOISON-CAPDUMP CAP domain=a "
             "slot=1 type=console object=console rights=0x2 badge=0x0\n" % ("0" * 64), 2,
             "CAP of domain 'a' is not under its DOMAIN line"),
            ("CLOISON-CAPDUMP BEGIN policy=%s domains=1\nCLOISON-CAPDUMP DOMAIN "
             "name=a state=running slots=2\nCLOISON-CAPDUMP CAP domain=a slot=1 "
             "type=gizmo object=console rights=0x2 badge=0x0\n" % ("0" * 64), 3,
             "unknown object type 'gizmo'"),
            ("CLOISON-CAPDUMP BEGIN policy=%s domains=1\nCLOISON-CAPDUMP DOMAIN "
             "name=a state=dancing slots=2\n" % ("0" * 64), 2,
             "DOMAIN line: bad state 'dancing'"),
            ("CLOISON-CAPDUMP BEGIN policy=abc domains=1\n", 1,
             "BEGIN line: bad policy 'abc'"),
            # what a relaying domain wrote is shown escaped, never raw
            ("CLOISON-CAPDUMP BEGIN policy=\x1b[2J\u202e domains=1\n", 1,
             "BEGIN line: bad policy '\\x1b[2J\\u202e'"),
            ("CLOISON-CAPDUMP BEGIN domains=1 policy=%s\n" % ("0" * 64), 1,
             "BEGIN line: fields domains policy, expected policy domains"),
            ("CLOISON-CAPDUMP HELLO\n", 1, "not a valid CLOISON-CAPDUMP line: "
             "'CLOISON-CAPDUMP HELLO'"),
            ("CLOISON-CAPDUMP BEGIN policy=%s domains=0\nCLOISON-CAPDUMP BEGIN "
             "policy=%s domains=0\n" % ("0" * 64, "0" * 64), 2,
             "BEGIN, but the dump that began at line 1 has no END: it is truncated"),
        ]
        for text, line, msg in cases:
            with self.assertRaises(audit_live.DumpError) as cm:
                audit_live.parse(text, {"console"})
            self.assertEqual((cm.exception.line, cm.exception.message), (line, msg))


def _add_log_tests():
    for path in sorted(glob.glob(os.path.join(LIVE, "*.log"))):
        name = "test_" + os.path.basename(path)[:-4].replace("-", "_")
        setattr(LiveFixtureTest, name, lambda self, p=path: self.check_log(p))


_add_log_tests()


BUILD = os.environ.get("CLOISON_BUILD", os.path.join(support.ROOT, "build"))
QEMU = shutil.which("qemu-system-aarch64")
HC_IMAGE = os.path.join(BUILD, "tests", "system", "test-hypercalls.elf")
HC_HYP = os.path.join(BUILD, "hyp", "hyp-test.elf")
HC_DOMAINS = os.path.join(BUILD, "domains", "tests", "core")  # test domains live in domains/tests/core
HC_DESC = os.path.join(support.ROOT, "tests", "system", "systems", "hypercalls.toml")
DEFAULT_IMAGE = os.path.join(BUILD, "toolstack", "cloison-default.elf")
DEFAULT_HYP = os.path.join(BUILD, "hyp", "hyp.elf")
DEFAULT_DOMAINS = [os.path.join(BUILD, "domains", "dom0"), os.path.join(BUILD, "domains", "guests"),
                   os.path.join(BUILD, "storage-dom"), os.path.join(BUILD, "domains", "vmm"),
                   os.path.join(BUILD, "linux-guest"), os.path.join(BUILD, "net-dom")]


@unittest.skipUnless(QEMU and os.path.exists(HC_IMAGE) and os.path.exists(HC_HYP),
                     "needs QEMU and the built test image %s" % HC_IMAGE)
class QemuLiveTest(unittest.TestCase):
    """Boot the hypercall test system with capdump=boot; keep the console
    up to the end of the first dump (printed before any domain runs)."""

    def boot(self, append, image=HC_IMAGE):
        cmd = [QEMU, "-M", "virt,virtualization=on,gic-version=3", "-cpu", "cortex-a57",
               "-m", "512M", "-nographic", "-monitor", "none", "-serial", "stdio",
               "-nic", "none", "-semihosting", "-kernel", image, "-append", append]
        p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                             stdin=subprocess.DEVNULL)
        lines = []
        try:
            for raw in p.stdout:
                lines.append(raw.decode("utf-8", "replace"))
                if raw.startswith(b"CLOISON-CAPDUMP END"):
                    break
        finally:
            p.kill()
            p.wait()
            p.stdout.close()
        tmp = tempfile.mkdtemp(prefix="cloison-qemu-")
        self.addCleanup(shutil.rmtree, tmp)
        log = os.path.join(tmp, "console.log")
        with open(log, "w") as f:
            f.writelines(lines)
        return log

    def audit(self, log):
        return audit.run(HC_DESC, [HC_DOMAINS], HC_HYP, image=HC_IMAGE, live=log)

    def test_boot_dump_matches_the_policy(self):
        a = self.audit(self.boot("capdump=boot"))
        self.assertEqual(a.check("policy-hash").status, audit_checks.HELD)
        live = a.check("live-subset")
        self.assertEqual((live.status, live.findings), (audit_checks.HELD, []))
        self.assertIn(" 0 of the policy's ", live.summary)

    @unittest.skipUnless(os.path.exists(DEFAULT_IMAGE), "default image not built")
    def test_default_system_live_state_matches(self):
        """The README's default system (release hypervisor): boot, dump, compare."""
        log = self.boot("capdump=boot", DEFAULT_IMAGE)
        a = audit.run(support.DEFAULT_TOML, DEFAULT_DOMAINS, DEFAULT_HYP,
                      image=DEFAULT_IMAGE, live=log)
        self.assertEqual(a.check("policy-hash").status, audit_checks.HELD)
        live = a.check("live-subset")
        self.assertEqual((live.status, live.findings), (audit_checks.HELD, []))
        self.assertTrue(all(c.status != audit_checks.VIOLATED for c in a.checks))

    def test_extra_cap_is_a_difference(self):
        a = self.audit(self.boot("capdump=boot selftest=extra-cap"))
        live = a.check("live-subset")
        self.assertEqual(live.status, audit_checks.VIOLATED)
        self.assertEqual(len(live.findings), 1)
        self.assertRegex(live.findings[0].message,
                         r"^line \d+: domain 'hcall' slot \d+ holds console '[^']+' "
                         r"rights \[grant,write,input\] badge 0x0: the policy puts no "
                         r"cap in this slot")


FUZZ_IMAGE = os.path.join(BUILD, "domains", "system-hcfuzz.elf")
FUZZ_DESC = os.path.join(support.ROOT, "domains", "tests", "hcfuzz.toml")


@unittest.skipUnless(QEMU and os.path.exists(FUZZ_IMAGE), "needs QEMU and %s" % FUZZ_IMAGE)
class FuzzLiveTest(QemuLiveTest):
    """After 10^5 fuzzed hypercalls (domains/tests/hcfuzz.c) the fuzzer prints
    the live capability dump: it must still be a subset of the policy."""

    def test_live_state_after_fuzzing_matches_the_policy(self):
        log = self.boot("", FUZZ_IMAGE)
        with open(log) as f:
            text = f.read()
        self.assertIn("TEST-END hcfuzz passed=7 failed=0", text)
        a = audit.run(FUZZ_DESC, [os.path.join(BUILD, "domains", "tests")], DEFAULT_HYP,
                      image=FUZZ_IMAGE, live=log)
        self.assertEqual(a.check("policy-hash").status, audit_checks.HELD)
        live = a.check("live-subset")
        self.assertEqual((live.status, live.findings), (audit_checks.HELD, []))

    # The inherited boot-dump tests run once, in QemuLiveTest.
    test_boot_dump_matches_the_policy = None
    test_default_system_live_state_matches = None
    test_extra_cap_is_a_difference = None


if __name__ == "__main__":
    unittest.main()
