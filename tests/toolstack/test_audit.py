# SPDX-License-Identifier: MIT
"""`cloison audit`: the invariant checks on fixtures, the default system,
the policy hash of an image, deterministic text/DOT/HTML, the CLI.

Each fixture in tests/toolstack/audit/*.toml says which invariants it
violates (`# violates: ID ...` or `none`) and the exact findings expected
(`# expect: ID: MESSAGE`, in report order). The test asserts the exit
status, the exact set of violated invariants, the exact findings of each,
and that the text report prints each finding."""

import glob
import os
import re
import shutil
import subprocess
import sys
import tempfile
import unittest

try:  # as tests.toolstack.X (-t .) or as a top-level module (-s only)
    from . import support
except ImportError:
    import support
from cloison import audit
from cloison.audit import checks as audit_checks, model as audit_model
from cloison.audit import reach as audit_reach, report as audit_report
from cloison import compiler, description

AUDIT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "audit")
HEADER = re.compile(r"^# (violates|expect): (.*)$", re.M)
CHECK_IDS = ["device-exclusive", "memory-exclusive", "derived-rights",
             "control-domain", "guest-paths", "channel-ends", "dynamic-bound",
             "net-relay", "vmm-guest", "policy-hash", "live-subset"]


def read_fixture(path):
    violates, expect = None, []
    with open(path, encoding="utf-8") as f:
        for key, val in HEADER.findall(f.read()):
            if key == "violates":
                violates = [] if val.strip() == "none" else val.split()
            else:
                ident, msg = val.split(": ", 1)
                expect.append((ident, msg))
    return violates, expect


class FixtureTest(unittest.TestCase):
    def check_fixture(self, path):
        violates, expect = read_fixture(path)
        self.assertIsNotNone(violates, "%s: no '# violates:' line" % path)
        a = audit.run(path)
        got = [c.id for c in a.checks if c.status == audit_checks.VIOLATED]
        self.assertEqual(got, [i for i in CHECK_IDS if i in violates])
        for ident in violates:
            want = [msg for i, msg in expect if i == ident]
            self.assertTrue(want, "%s: no '# expect: %s:' line" % (path, ident))
            self.assertEqual([f.message for f in a.check(ident).findings], want)
        status, out, err = support.run("audit", path)
        self.assertEqual((status, err), (1 if violates else 0, ""))
        for ident, msg in expect:
            self.assertIn("\n      - %s\n" % msg, out)
        for ident in CHECK_IDS:
            tag = "VIOLATED" if ident in violates else (
                "not checked" if ident in ("policy-hash", "live-subset") else "held")
            self.assertIn("  [%s] %s: " % (tag, ident), out)

    def test_fixtures_cover_each_policy_invariant(self):
        """Every invariant the description alone decides has a fixture that
        violates it and nothing else (derived-rights: see RightsTest)."""
        alone = {}
        for p in glob.glob(os.path.join(AUDIT, "*.toml")):
            v, _ = read_fixture(p)
            if len(v) == 1:
                alone.setdefault(v[0], []).append(os.path.basename(p))
        for ident in ("device-exclusive", "memory-exclusive", "control-domain",
                      "guest-paths", "channel-ends", "dynamic-bound", "net-relay",
                      "vmm-guest"):
            self.assertIn(ident, alone)

    def test_switch_ports_shown(self):
        """The audit shows the switch's uplink and ports with their modes
        and addresses, as the net-relay check's notes."""
        a = audit.run(os.path.join(AUDIT, "net-switch.toml"))
        self.assertEqual(a.check("net-relay").notes, [
            "switch 'net': uplink device 'nic' (ip 10.0.2.15; vlan 1; gateway 10.0.2.2)",
            "switch 'net': port channel 'g-net' -> domain 'web' (nat; mac "
            "02:00:00:00:00:10; ip 192.168.1.10; inside gateway 192.168.1.1; quota default; "
            "forward tcp:8080->80)"])
        self.assertEqual(a.check("net-relay").summary, "1 switch port, none relayed to a device")


def _add_fixture_tests():
    for path in sorted(glob.glob(os.path.join(AUDIT, "*.toml"))):
        name = "test_" + os.path.basename(path)[:-5].replace("-", "_")
        setattr(FixtureTest, name, lambda self, p=path: self.check_fixture(p))


_add_fixture_tests()


class DefaultSystemTest(unittest.TestCase):
    def test_default_system_passes(self):
        a = audit.run(support.DEFAULT_TOML)
        bad = ["%s: %s" % (c.id, f.message) for c in a.violated() for f in c.findings]
        self.assertEqual(bad, [], "toolstack/systems/default.toml fails the audit")

    def test_default_roles(self):
        a = audit.run(support.DEFAULT_TOML)
        roles = {d.name: d.role for d in a.model.domains}
        self.assertEqual(roles.get("dom0"), "control")
        self.assertGreaterEqual(sum(1 for r in roles.values() if r == "guest"), 2)


class RolesTest(unittest.TestCase):
    def audit_text(self, text):
        d = tempfile.mkdtemp(prefix="cloison-audit-")
        self.addCleanup(shutil.rmtree, d)
        p = os.path.join(d, "sys.toml")
        with open(p, "w") as f:
            f.write(text)
        return audit.run(p)

    BASE = """
[[device]]
name = "blk0"
base = 0x0a000000
size = "4K"
[[domain]]
name = "a"
image = "x"
memory = "2M"
%s
  [[domain.cap]]
  name = "b"
  object = "b"
  rights = [%s]
[[domain]]
name = "b"
image = "x"
memory = "2M"
  [[domain.cap]]
  name = "blk0"
  object = "blk0"
  rights = ["read"]
"""

    def test_lifecycle_rights_without_a_role_make_a_control_domain(self):
        a = self.audit_text(self.BASE % ("", '"stop"'))
        d = a.model.dom_by_name["a"]
        self.assertEqual((d.role, d.role_why),
                         ("control", "holds lifecycle rights over b"))
        self.assertEqual(a.check("control-domain").findings, [])

    def test_declared_guest_with_lifecycle_rights_is_reported_not_promoted(self):
        a = self.audit_text(self.BASE % ('role = "guest"', '"stop", "query"'))
        d = a.model.dom_by_name["a"]
        self.assertEqual((d.role, d.role_why),
                         ("guest", "declared guest; holds lifecycle rights over b"))
        c = a.check("control-domain")
        self.assertEqual([f.message for f in c.findings], [
            "guest 'a' has lifecycle rights [stop] over domain 'b': it holds cap "
            "'b' (slot 1) [stop,query]; only a control domain may build, start, "
            "stop, resume or destroy another domain, and a is not one (it "
            "declares role = \"guest\")"])
        self.assertEqual(c.findings[0].domains, ["a", "b"])

    def test_managed_domain_with_lifecycle_rights_is_reported(self):
        """dom0 manages a and b; a can also stop b: a is a guest of dom0 that
        holds a control domain's rights, not a second control domain."""
        text = self.BASE % ("", '"stop"') + """
[[domain]]
name = "dom0"
image = "x"
memory = "2M"
  [[domain.cap]]
  name = "a"
  object = "a"
  rights = ["start", "stop"]
"""
        a = self.audit_text(text)
        roles = {d.name: (d.role, d.role_why) for d in a.model.domains}
        self.assertEqual(roles["dom0"], ("control", "holds lifecycle rights over a"))
        self.assertEqual(roles["a"], ("guest", "holds lifecycle rights over b, "
                                      "but is managed by dom0"))
        c = a.check("control-domain")
        self.assertEqual([f.message for f in c.findings], [
            "guest 'a' has lifecycle rights [stop] over domain 'b': it holds cap "
            "'b' (slot 1) [stop]; only a control domain may build, start, stop, "
            "resume or destroy another domain, and a is not one (dom0 manages it)"])

    def test_query_alone_is_not_control(self):
        a = self.audit_text(self.BASE % ("", '"query"'))
        self.assertEqual(a.model.dom_by_name["a"].role, "guest")

    def test_device_makes_a_driver_unless_declared(self):
        a = self.audit_text(self.BASE % ("", '"query"'))
        self.assertEqual(a.model.dom_by_name["b"].role_why, "holds device 'blk0'")
        a = self.audit_text(self.BASE.replace('name = "b"\nimage = "x"\nmemory = "2M"',
                                              'name = "b"\nimage = "x"\nmemory = "2M"\n'
                                              'role = "guest"') % ("", '"query"'))
        self.assertEqual(a.model.dom_by_name["b"].role, "guest")

    def test_declared_control_gets_the_dom0_rules(self):
        a = self.audit_text(self.BASE.replace(
            'name = "b"\nimage = "x"\nmemory = "2M"',
            'name = "b"\nimage = "x"\nmemory = "2M"\nrole = "control"') % ("", '"query"'))
        c = a.check("control-domain")
        self.assertEqual([f.message for f in c.findings],
                         ["control domain 'b' can reach device 'blk0': it holds "
                          "cap 'blk0' (slot 1) [read]"])


class RightsTest(unittest.TestCase):
    """Boot caps are roots: their rights must lie within the object type's.
    The description cannot express a wider right (the validator refuses an
    unknown right name), so the check is fed a policy with a stray bit, as a
    tampered or miscompiled policy would carry."""

    def model(self, mutate):
        desc = description.load(os.path.join(AUDIT, "live.toml"))
        comp = compiler.compile_description(desc)
        mutate(comp.policy)
        return audit_model.from_policy(comp.policy, "0" * 64)

    def test_right_outside_the_type(self):
        def widen(pol):
            pol["caps"][0]["rights"] |= 1 << 9
        m = self.model(widen)
        c = audit_checks.check_rights(m, audit_reach.Reach(m))
        self.assertEqual(c.status, audit_checks.VIOLATED)
        self.assertEqual([f.message for f in c.findings],
                         ["domain 'dom0' cap 'console' (slot 1) on console 'console' "
                          "has rights 0x200 outside its type (console rights: grant, "
                          "write, input)"])
        self.assertEqual(m.caps[0].rights, ["write", "input", "0x200"])

    def test_badge_on_a_channel(self):
        def badge(pol):
            for c in pol["caps"]:
                if c["name"] == "ring":
                    c["badge"] = 5
                    break
        m = self.model(badge)
        c = audit_checks.check_rights(m, audit_reach.Reach(m))
        self.assertEqual([f.message for f in c.findings],
                         ["domain 'storage' cap 'ring' (slot 2) on channel 'ring' "
                          "carries badge 0x5: only notification caps have a badge"])

    def test_untouched_policy_holds(self):
        m = self.model(lambda pol: None)
        c = audit_checks.check_rights(m, audit_reach.Reach(m))
        self.assertEqual(c.status, audit_checks.HELD)


class ImageHashTest(support.WorkDirTest):
    PREFIX = "cloison-audit-image-"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        for n, name in enumerate(("storage-dom", "net-dom")):
            with open(os.path.join(cls.images, name + ".elf"), "wb") as f:
                f.write(support.domain_elf(50 + n))
        cls.desc = os.path.join(AUDIT, "live.toml")
        cls.image = os.path.join(cls.tmp, "image.elf")
        status, out, err = support.run("pack", cls.desc, "--hyp", cls.hyp,
                                       "--image-path", cls.images, "-o", cls.image)
        assert status == 0, err

    def test_same_options_same_hash(self):
        a = audit.run(self.desc, [self.images], self.hyp, image=self.image)
        c = a.check("policy-hash")
        self.assertEqual(c.status, audit_checks.HELD)
        self.assertEqual(c.summary, "%s (boot bundle): policy sha256 %s, the audited "
                         "policy's" % (self.image, a.model.sha256))
        status, out, err = support.run("audit", self.desc, "--hyp", self.hyp,
                                       "--image-path", self.images, "--image", self.image)
        self.assertEqual((status, err), (0, ""))
        self.assertIn("  [held] policy-hash: ", out)

    def test_without_hyp_and_images_the_hash_differs_and_says_why(self):
        a = audit.run(self.desc, image=self.image)
        c = a.check("policy-hash")
        self.assertEqual(c.status, audit_checks.VIOLATED)
        self.assertTrue(c.findings[0].message.startswith(
            "%s (boot bundle) carries policy sha256 " % self.image))
        self.assertIn("flags: [no-images,no-hypervisor] here, [] there",
                      c.findings[0].steps)
        self.assertEqual(c.notes, [
            "the audited policy is marked no-images, no-hypervisor: it was compiled "
            "without --image-path and --hyp; give audit the same --hyp and "
            "--image-path as `cloison pack`"])

    def test_another_description_names_the_differences(self):
        d = tempfile.mkdtemp(prefix="cloison-audit-")
        self.addCleanup(shutil.rmtree, d)
        p = os.path.join(d, "live.toml")
        with open(self.desc) as f:
            text = f.read()
        with open(p, "w") as f:     # dom0 loses resume on guest1
            f.write(text.replace('rights = ["start", "stop", "resume", "destroy", "query"]',
                                 'rights = ["start", "stop", "destroy", "query"]'))
        status, out, err = support.run("audit", p, "--hyp", self.hyp, "--image-path",
                                       self.images, "--image", self.image)
        self.assertEqual(status, 1)
        self.assertIn("  [VIOLATED] policy-hash: ", out)
        self.assertIn("          domain 'dom0' slot 2: domain 'guest1' "
                      "[start,stop,destroy,query] here, domain 'guest1' "
                      "[start,stop,resume,destroy,query] there\n", out)

    def test_bare_policy_file(self):
        pol = os.path.join(self.tmp, "policy.bin")
        status, _, err = support.run("compile", self.desc, "--hyp", self.hyp,
                                     "--image-path", self.images, "-o", pol)
        self.assertEqual(status, 0, err)
        a = audit.run(self.desc, [self.images], self.hyp, image=pol)
        self.assertEqual(a.check("policy-hash").status, audit_checks.HELD)

    def test_corrupt_policy_is_reported_not_crashed_on(self):
        from cloison import policy as fmt
        pol = os.path.join(self.tmp, "bad-policy.bin")
        status, _, err = support.run("compile", self.desc, "-o", pol)
        self.assertEqual(status, 0, err)
        with open(pol, "rb") as f:
            blob = bytearray(f.read())
        hdr = fmt.POLICY_HEADER.unpack(blob, 0)
        off = hdr["caps_offset"] + fmt.CAP.offsets()["object"]
        blob[off:off + 4] = (999).to_bytes(4, "little")
        with open(pol, "wb") as f:
            f.write(blob)
        a = audit.run(self.desc, image=pol)
        f = a.check("policy-hash").findings[0]
        self.assertEqual(f.steps, ["the image's policy cannot be compared: policy: cap "
                                   "'console' of domain 'dom0' names object 999, beyond "
                                   "the 8 objects"])

    def test_not_an_image(self):
        status, out, err = support.run("audit", self.desc, "--image", self.desc)
        self.assertEqual((status, out), (1, ""))
        self.assertEqual(err, "cloison: %s: not a Cloison image, bundle or policy\n"
                         % self.desc)


class OutputTest(unittest.TestCase):
    """Text, DOT and HTML: same input, same bytes, in separate processes
    with different hash seeds; the HTML is self-contained."""

    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="cloison-audit-out-")
        self.addCleanup(shutil.rmtree, self.tmp)

    def cli(self, tag, desc, env_extra=None, seed="1"):
        dot = os.path.join(self.tmp, tag + ".dot")
        page = os.path.join(self.tmp, tag + ".html")
        env = dict(os.environ, PYTHONPATH=support.TOOLSTACK, PYTHONHASHSEED=seed)
        env.update(env_extra or {})
        res = subprocess.run([sys.executable, "-m", "cloison", "audit", desc,
                              "--dot", dot, "--html", page],
                             capture_output=True, env=env, cwd=support.ROOT)
        with open(dot, "rb") as f1, open(page, "rb") as f2:
            return res.returncode, res.stdout, f1.read(), f2.read()

    def test_deterministic_without_dot(self):
        desc = os.path.join(AUDIT, "guest-grant.toml")
        one = self.cli("a", desc, {"CLOISON_DOT": ""}, seed="1")
        two = self.cli("b", desc, {"CLOISON_DOT": ""}, seed="4242")
        self.assertEqual(one, two)
        status, text, dot, page = one
        self.assertEqual(status, 1)
        self.assertTrue(dot.startswith(b"digraph cloison {\n"))
        self.assertIn(b'"d:guest2" -> "o:ring1" [label="grant,read,write", style=dashed, '
                      b'color="#cc0000"', dot)
        self.assertIn(b"<pre>digraph cloison {", page)
        self.assertNotIn(b"<svg", page)
        for external in (b"<script", b"<link", b"src=", b"http://", b"https://"):
            self.assertNotIn(external, page)

    def test_embeds_svg_from_dot(self):
        """A stand-in `dot` (so the test does not need Graphviz): the page
        embeds what it prints, without the XML prolog."""
        fake = os.path.join(self.tmp, "fake-dot")
        with open(fake, "w") as f:
            f.write("#!%s\nimport sys\nsrc = sys.stdin.read()\n"
                    "print('<?xml version=\"1.0\"?>')\n"
                    "print('<svg xmlns=\"http://www.w3.org/2000/svg\"><!-- %%d bytes -->"
                    "</svg>' %% len(src))\n" % sys.executable)
        os.chmod(fake, 0o755)
        desc = support.DEFAULT_TOML
        one = self.cli("a", desc, {"CLOISON_DOT": fake}, seed="7")
        two = self.cli("b", desc, {"CLOISON_DOT": fake}, seed="8")
        self.assertEqual(one, two)
        page = one[3]
        self.assertIn(b'<div class="graph"><svg xmlns="http://www.w3.org/2000/svg">'
                      b'<!-- %d bytes -->' % len(one[2]), page)
        self.assertNotIn(b"<?xml", page)

    @unittest.skipUnless(shutil.which("dot"), "Graphviz dot is not installed")
    def test_real_dot_is_deterministic(self):
        desc = os.path.join(AUDIT, "storage.toml")
        one = self.cli("a", desc, {}, seed="1")
        two = self.cli("b", desc, {}, seed="2")
        self.assertEqual(one, two)
        self.assertIn(b"<svg", one[3])

    def test_text_matches_api(self):
        a = audit.run(os.path.join(AUDIT, "storage.toml"))
        status, out, err = support.run("audit", os.path.join(AUDIT, "storage.toml"))
        self.assertEqual((status, out, err), (0, audit_report.text(a), ""))
        self.assertTrue(out.endswith("\nResult: 9 of 11 invariants held, 2 not checked "
                                     "(policy-hash, live-subset)\n"))


class DocsTest(unittest.TestCase):
    def test_example_report_in_docs_is_current(self):
        """docs/auditing.md shows the full report of storage.toml: it must be
        what the command prints today."""
        with open(os.path.join(support.ROOT, "docs", "auditing.md")) as f:
            doc = f.read()
        cmd = "$ toolstack/bin/cloison audit tests/toolstack/audit/storage.toml\n"
        start = doc.index(cmd) + len(cmd)
        shown = doc[start:doc.index("\n```", start) + 1]
        cwd = os.getcwd()
        os.chdir(support.ROOT)
        try:
            status, out, err = support.run("audit", "tests/toolstack/audit/storage.toml")
        finally:
            os.chdir(cwd)
        self.assertEqual((status, err), (0, ""))
        self.assertEqual(shown, out)


class CliTest(unittest.TestCase):
    def test_invalid_description_is_refused_like_check(self):
        bad = os.path.join(support.FIXTURES, "invalid", "unknown-object.toml")
        s1, o1, e1 = support.run("check", bad)
        s2, o2, e2 = support.run("audit", bad)
        self.assertEqual((s2, o2, e2), (s1, "", e1))
        self.assertEqual(s2, 1)

    def test_channel_ends_error_is_audited_not_refused(self):
        p = os.path.join(AUDIT, "channel-one-end.toml")
        status, out, err = support.run("check", p)
        self.assertEqual(status, 1)
        status, out, err = support.run("audit", p)
        self.assertEqual((status, err), (1, ""))
        self.assertIn("  note         `cloison check` refuses it: line 8: channel 'ring' "
                      "has 1 end; a channel needs exactly 2, held by two different "
                      "domains\n", out)

    def test_can_needs_reach(self):
        status, out, err = support.run("audit", support.DEFAULT_TOML, "--can", "dom0")
        self.assertEqual(status, 2)
        self.assertIn("--can and --reach go together", err)

    def test_unknown_names_in_a_query(self):
        status, out, err = support.run("audit", support.DEFAULT_TOML, "--can", "nobody",
                                       "--reach", "guest1")
        self.assertEqual((status, out), (1, ""))
        self.assertEqual(err, "cloison: --can 'nobody': no such domain (domains: dom0, "
                         "guest1, guest2, echo, pinger, storage, logger, linux, linux-guest, net, "
                         "web10, web20, webnat)\n")
        status, out, err = support.run("audit", support.DEFAULT_TOML, "--can", "dom0",
                                       "--reach", "nothing")
        self.assertEqual(err, "cloison: --reach 'nothing': no such domain or object\n")
        status, out, err = support.run("audit", support.DEFAULT_TOML, "--can",
                                       "dom0\x1b[2J\u202e", "--reach", "guest1")
        self.assertTrue(err.startswith("cloison: --can 'dom0\\x1b[2J\\u202e': no "
                                       "such domain"), err)

    def test_unwritable_output(self):
        status, out, err = support.run("audit", support.DEFAULT_TOML, "--dot",
                                       "/nonexistent-dir/x.dot")
        self.assertEqual((status, out), (1, ""))
        self.assertIn("/nonexistent-dir/x.dot: cannot write", err)


if __name__ == "__main__":
    unittest.main()
