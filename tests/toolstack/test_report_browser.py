# SPDX-License-Identifier: MIT
"""The audit's HTML report seen by a real browser (headless Chromium):
every domain, device and IRQ is on the page, nothing overflows a 1280-pixel
wide window, the graph is drawn (Graphviz) and has a legend, and the page
prints to a PDF with pages. Chromium and Graphviz come from the install step
(toolstack/lib/deps.sh); without them these tests fail rather than skip."""

import os
import re
import shutil
import subprocess
import tempfile
import unittest

import support

CHROMIUM = shutil.which("chromium")
# Flags for a root, offline, one-shot run (no sandbox: root in a container).
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                  "--no-first-run", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync"]

# Measures the page after layout and writes the figures into the DOM, which
# --dump-dom then prints. Injected into a copy: the report itself has no script.
MEASURE = """<script>
window.addEventListener('load', function () {
  var r = document.createElement('div');
  var widest = 0, el = document.querySelectorAll('body *');
  for (var i = 0; i < el.length; i++) {
    var b = el[i].getBoundingClientRect();
    if (b.right > widest) widest = b.right;
  }
  r.id = 'measure';
  r.setAttribute('data-scroll-width', document.documentElement.scrollWidth);
  r.setAttribute('data-widest', Math.ceil(widest));
  r.setAttribute('data-svg', document.querySelectorAll('.graph svg g.node').length);
  document.body.appendChild(r);
});
</script>"""


def wide_system(path, n=9):
    """A system with many domains, devices and IRQs and long names: the
    capability matrix then has 2n + 2 columns, the widest report we make."""
    lines = ['[system]', 'name = "wide"', 'ram = "1G"']
    for i in range(n):
        lines += ['[[device]]', 'name = "virtio-blk-device-number-%d"' % i,
                  'base = 0x%x' % (0x0a000000 + i * 0x1000), 'size = "4K"',
                  '[[irq]]', 'name = "virtio-blk-interrupt-%d"' % i, 'intid = %d' % (48 + i)]
    lines += ['[[domain]]', 'name = "control-domain"', 'image = "dom0"', 'memory = "16M"']
    lines += ['  [[domain.cap]]', '  name = "console"', '  object = "console"',
              '  rights = ["write", "input"]']
    for i in range(n):
        lines += ['  [[domain.cap]]', '  name = "d%d"' % i,
                  '  object = "storage-driver-domain-%d"' % i,
                  '  rights = ["start", "stop", "resume", "destroy", "query"]']
    for i in range(n):
        lines += ['[[domain]]', 'name = "storage-driver-domain-%d"' % i, 'image = "drv"',
                  'memory = "16M"', 'role = "driver"',
                  '  [[domain.cap]]', '  name = "blk"',
                  '  object = "virtio-blk-device-number-%d"' % i, '  rights = ["read", "write"]',
                  '  [[domain.cap]]', '  name = "irq"',
                  '  object = "virtio-blk-interrupt-%d"' % i, '  rights = ["receive"]']
    with open(path, "w") as f:
        f.write("\n".join(lines) + "\n")


class ReportInBrowser(support.WorkDirTest):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.profile = tempfile.mkdtemp(prefix="chromium-", dir=cls.tmp)

    def chromium(self, *args):
        self.assertIsNotNone(CHROMIUM, "chromium is not installed: the install step "
                             "(toolstack/lib/deps.sh) installs it")
        res = subprocess.run([CHROMIUM] + CHROMIUM_FLAGS + ["--user-data-dir=" + self.profile]
                             + list(args), capture_output=True, timeout=120)
        self.assertEqual(res.returncode, 0, res.stderr.decode(errors="replace")[-2000:])
        return res.stdout.decode("utf-8", "replace")

    def report(self, desc):
        html = os.path.join(self.tmp, os.path.basename(desc) + ".html")
        status, _, err = support.run("audit", desc, "--html", html)
        self.assertIn(status, (0, 1), err)
        with open(html) as f:
            return html, f.read()

    def dom(self, page):
        measured = os.path.join(self.tmp, "measured.html")
        with open(measured, "w") as f:
            f.write(page.replace("</body>", MEASURE + "</body>"))
        out = self.chromium("--window-size=1280,900", "--dump-dom", "file://" + measured)
        m = re.search(r'<div id="measure" data-scroll-width="(\d+)" data-widest="(\d+)" '
                      r'data-svg="(\d+)">', out)
        self.assertIsNotNone(m, "the measuring script did not run:\n" + out[-1000:])
        return out, int(m.group(1)), int(m.group(2)), int(m.group(3))

    def check_page(self, desc):
        from cloison import audit
        a = audit.run(desc)
        _, page = self.report(desc)
        dom, scroll, widest, nodes = self.dom(page)
        # Everything the text report lists is on the rendered page.
        for d in a.model.domains:
            self.assertRegex(dom, r'<tr class="domain"><td>%d</td><td>%s</td>'
                             % (d.index, re.escape(d.name)))
        for o in a.model.objects:
            if o.kind in ("device", "irq"):
                where = ("INTID %d" % o.intid if o.kind == "irq"
                         else "[0x%x, 0x%x)" % o.range())
                self.assertIn("<td>%s &#x27;%s&#x27;</td><td class=\"r\">%s</td>"
                              % (o.kind, o.name, where), dom.replace("'", "&#x27;"))
        self.assertIn("<h2>Memory each domain can map (physical)</h2>", dom)
        self.assertIn("hypervisor pool", dom)
        # Fits a 1280-pixel window: no horizontal scrolling, no box beyond it.
        self.assertLessEqual(scroll, 1280)
        self.assertLessEqual(widest, 1280)
        # The graph is drawn by Graphviz (not the DOT source) and explained.
        self.assertGreater(nodes, len(a.model.domains) - 1)
        self.assertIn('<table class="legend">', dom)
        self.assertNotIn("Hover", dom)
        return a, dom

    def test_default_system(self):
        a, dom = self.check_page(support.DEFAULT_TOML)
        self.assertEqual([d.name for d in a.model.domains],
                         ["dom0", "guest1", "guest2", "echo", "pinger", "storage", "logger",
                          "linux", "linux-guest", "net", "web10", "web20", "webnat"])

    def test_storage_fixture_with_device_and_irq(self):
        a, dom = self.check_page(os.path.join(support.ROOT, "tests", "toolstack", "audit",
                                              "storage.toml"))
        self.assertTrue(any(o.kind == "device" for o in a.model.objects))
        self.assertTrue(any(o.kind == "irq" for o in a.model.objects))

    def test_wide_system_fits(self):
        desc = os.path.join(self.tmp, "wide.toml")
        wide_system(desc)
        a, dom = self.check_page(desc)
        self.assertEqual(sum(o.kind == "device" for o in a.model.objects), 9)

    def test_prints_to_pdf(self):
        html, _ = self.report(support.DEFAULT_TOML)
        pdf = os.path.join(self.tmp, "report.pdf")
        self.chromium("--no-pdf-header-footer", "--print-to-pdf=" + pdf, "file://" + html)
        data = support.read(pdf)
        self.assertTrue(data.startswith(b"%PDF-"))
        pages = len(re.findall(rb"/Type\s*/Page(?!s)", data))
        self.assertGreaterEqual(pages, 2, "the report is more than one page long")


if __name__ == "__main__":
    unittest.main()
