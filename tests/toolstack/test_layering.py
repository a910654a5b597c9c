# SPDX-License-Identifier: MIT
"""Dependencies run one way (docs/architecture.md, "Source layout"):

- what is compiled into a domain image (domains/, drivers/, storage-dom/,
  net-dom/) uses nothing of hyp/ but hyp/abi (the ABI and the shared
  library, hyp/abi/std);
- generic core code (hyp/core) uses no arch's and no board's own files, only
  the declared interfaces (hyp/arch/include, hyp/plat/include).

Checked on ninja's dependency records of the real build (every file the
compiler read), so an include through any path or a source compiled from
another directory is caught; and on the meson files of those directories.
"""

import os
import re
import subprocess
import unittest

try:
    from . import support
except ImportError:
    import support

ROOT = support.ROOT
BUILD = os.environ.get("CLOISON_BUILD", os.path.join(ROOT, "build"))
DOMAIN_DIRS = ("domains/", "drivers/", "storage-dom/", "net-dom/")


def deps():
    """{object file: [source files it was built from]} of the whole build."""
    out = subprocess.run(["ninja", "-C", BUILD, "-t", "deps"], check=True,
                         capture_output=True, text=True).stdout
    table, current = {}, None
    for line in out.splitlines():
        if line and not line.startswith(" "):
            current = line.split(":")[0]
            table[current] = []
        elif current and line.strip():
            path = os.path.normpath(os.path.join(BUILD, line.strip()))
            table[current].append(os.path.relpath(path, ROOT))
    return table


class LayeringTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        if not os.path.exists(os.path.join(BUILD, "build.ninja")):
            raise AssertionError(f"no build in {BUILD}: run ./tests/run")
        cls.deps = deps()

    def objects_under(self, prefixes):
        """Objects whose first dependency (the source) lies under one of prefixes."""
        return {o: d for o, d in self.deps.items()
                if d and d[0].startswith(prefixes)}

    def test_domain_code_sees_only_the_abi(self):
        objs = self.objects_under(DOMAIN_DIRS)
        self.assertGreater(len(objs), 20, "no domain objects in the build records")
        bad = set()
        for obj, files in objs.items():
            for f in files:
                inside_hyp = f.startswith("hyp/") or f.startswith("build/hyp/")
                abi = f.startswith("hyp/abi/") or f.startswith("build/hyp/abi/")
                if inside_hyp and not abi:
                    bad.add(f"{files[0]} uses {f}")
        self.assertEqual(sorted(bad), [])

    def test_shared_library_sources_are_from_hyp_abi(self):
        # A domain image's objects compiled from hyp/ (the formatter, the
        # string functions) come from the shared library only.
        for obj, files in self.deps.items():
            if "domains/" in obj.split(".p/")[0] and files and files[0].startswith("hyp/"):
                self.assertTrue(files[0].startswith("hyp/abi/"), f"{obj}: {files[0]}")

    def test_generic_core_uses_interfaces_only(self):
        objs = self.objects_under(("hyp/core/",))
        self.assertGreater(len(objs), 20, "no core objects in the build records")
        bad = set()
        for obj, files in objs.items():
            for f in files:
                board = f.startswith("hyp/plat/") and not f.startswith("hyp/plat/include/")
                arch = (f.startswith("hyp/arch/") and not f.startswith("hyp/arch/include/")
                        # the type definitions each arch provides behind the interface
                        and not re.match(r"hyp/arch/[^/]+/include/arch/types\.h$", f)
                        # host builds of the core compile against the fake arch
                        and not f.startswith("hyp/arch/fake/"))
                if board or arch:
                    bad.add(f"{files[0]} uses {f}")
        self.assertEqual(sorted(bad), [])

    def test_meson_files_name_no_hypervisor_internals(self):
        pattern = re.compile(r"\b(hyp_inc|arch_inc|core_inc|plat_inc)\b|hyp/(?!abi)")
        found = []
        for top in DOMAIN_DIRS:
            for dirpath, _, names in os.walk(os.path.join(ROOT, top)):
                for n in names:
                    if n == "meson.build":
                        p = os.path.join(dirpath, n)
                        for i, line in enumerate(open(p, encoding="utf-8").read().splitlines(), 1):
                            code = line.split("#", 1)[0]
                            if pattern.search(code):
                                found.append(f"{os.path.relpath(p, ROOT)}:{i}: {line.strip()}")
        self.assertEqual(found, [])


if __name__ == "__main__":
    unittest.main()
