# SPDX-License-Identifier: MIT
"""The line scanner that gives tomllib's data their positions."""

import tomllib
import unittest

try:  # as tests.toolstack.X (-t .) or as a top-level module (-s only)
    from . import support  # noqa: F401  (sets the import path)
except ImportError:
    import support  # noqa: F401
from cloison.tomlpos import Positions

TEXT = '''# comment [not = a table]
[system]
ram = "512M"   # trailing = comment
note = """multi
[[domain]]
name = "fake" """
'quoted.key' = 1
"esc\\"aped" = 'x'

[[domain]]
name = "a"
dotted.inner.key = true
list = [
  "x",
  { k = 1, j = [1,
     2] },
]

  [[domain.cap]]
  name = "c0"

[[domain]]
name = "b"
[[domain.cap]]
name = "c1"
[[domain.cap]]
name = "c2"
[domain.extra]
v = 1
'''


class PositionsTest(unittest.TestCase):
    def test_lines(self):
        tomllib.loads(TEXT)     # the fixture is valid TOML
        p = Positions(TEXT)
        cases = {
            ("system",): 2, ("system", "ram"): 3, ("system", "note"): 4,
            ("system", "quoted.key"): 7, ("system", 'esc"aped'): 8,
            ("domain",): 10, ("domain", 0): 10, ("domain", 0, "name"): 11,
            ("domain", 0, "dotted"): 12, ("domain", 0, "dotted", "inner", "key"): 12,
            ("domain", 0, "list", 0): 14, ("domain", 0, "list", 1): 15,
            ("domain", 0, "list", 1, "j", 1): 16,
            ("domain", 0, "cap", 0): 19, ("domain", 0, "cap", 0, "name"): 20,
            ("domain", 1, "name"): 23, ("domain", 1, "cap", 0, "name"): 25,
            ("domain", 1, "cap", 1): 26, ("domain", 1, "cap", 1, "name"): 27,
            ("domain", 1, "extra", "v"): 29,
        }
        for path, line in cases.items():
            self.assertEqual(p.exact(path), line, path)
        # A path that is not in the text falls back to its closest ancestor.
        self.assertEqual(p.line(("domain", 1, "cap", 1, "rights")), 26)
        self.assertEqual(p.line(("nothing",)), 1)
        # The fake header inside the multi-line string was not taken as one.
        self.assertIsNone(p.exact(("domain", 2)))


if __name__ == "__main__":
    unittest.main()
