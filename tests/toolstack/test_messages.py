# SPDX-License-Identifier: MIT
"""How messages show what the user wrote (errors.show) and the hints for
unknown keys (check/suggest.py). The fixtures check whole messages; these
check the edges."""

import unittest

try:  # as tests.toolstack.X (-t .) or as a top-level module (-s only)
    from . import support  # noqa: F401  (sets the import path)
except ImportError:
    import support  # noqa: F401
from cloison import description
from cloison.check import suggest
from cloison.errors import show


class ShowTest(unittest.TestCase):
    def test_plain_names_are_only_quoted(self):
        self.assertEqual(show("guest-1.a_b"), "'guest-1.a_b'")

    def test_escapes(self):
        self.assertEqual(show("it's\\"), "'it\\'s\\\\'")
        self.assertEqual(show("a\nb\tc\rd"), "'a\\nb\\tc\\rd'")
        self.assertEqual(show("\x00\x7f\x9b"), "'\\x00\\x7f\\x9b'")
        self.assertEqual(show("\u202e\u2066\ufeff"), "'\\u202e\\u2066\\ufeff'")
        self.assertEqual(show("\U000e0041"), "'\\U000e0041'")
        self.assertEqual(show("é名"), "'é名'")       # printable stays readable

    def test_cut(self):
        self.assertEqual(show("x" * 40), "'%s'" % ("x" * 40))
        self.assertEqual(show("x" * 41), "'%s'... (41 characters)" % ("x" * 40))
        # the cut is of characters, before escaping: output stays bounded
        self.assertLess(len(show("\x1b" * 10**6)), 200)


class SuggestTest(unittest.TestCase):
    def test_close_field(self):
        self.assertEqual(suggest.field("budget", ("budget_us", "period_us"), {}, ()),
                         ("; did you mean 'budget_us'?", "budget_us"))

    def test_nothing_close(self):
        self.assertEqual(suggest.field("zzz", ("name", "size"), {}, ()), ("", None))

    def test_plural_array_of_tables(self):
        hint, close = suggest.field("caps", ("name", "cap"), {"caps": [{}]},
                                    ("domain", 0))
        self.assertEqual(close, "cap")
        self.assertIn("write [[domain.cap]] (singular)", hint)

    def test_misspelt_cap_table_in_a_description(self):
        desc, diags = description.parse("f.toml", '[[domain]]\nname = "a"\n'
                                        'image = "x"\nmemory = "2M"\n'
                                        '[[domain.caps]]\nname = "c"\n')
        self.assertEqual([d.format("f.toml") for d in diags], [
            "f.toml:5: unknown field 'caps' in domain 'a'; each cap is a table "
            "of its own: write [[domain.cap]] (singular) above each one"])


if __name__ == "__main__":
    unittest.main()
