# SPDX-License-Identifier: MIT
"""The systems toolstack/run boots: default-verbose.toml is default.toml
plus the "heartbeat" caps that turn the guests' console lines on, so the
two cannot drift apart."""

import os
import tomllib
import unittest

import support

SYSTEMS = os.path.join(support.TOOLSTACK, "systems")


def load(name):
    with open(os.path.join(SYSTEMS, name), "rb") as f:
        return tomllib.load(f)


class VerboseSystemTest(unittest.TestCase):
    def test_verbose_is_default_plus_heartbeat_caps(self):
        quiet, loud = load("default.toml"), load("default-verbose.toml")
        self.assertEqual((quiet["system"].pop("name"), loud["system"].pop("name")),
                         ("default", "default-verbose"))
        chatty = []
        for d in loud["domain"]:
            hb = [c for c in d.get("cap", []) if c["name"] == "heartbeat"]
            if hb:
                self.assertEqual(hb, [{"name": "heartbeat", "object": "console",
                                       "rights": ["write"]}])
                chatty.append(d["name"])
                d["cap"] = [c for c in d["cap"] if c["name"] != "heartbeat"]
        self.assertEqual(chatty, ["guest1", "guest2", "pinger", "web10", "web20", "webnat"])
        self.assertEqual(quiet, loud)

    def test_default_is_quiet(self):
        for d in load("default.toml")["domain"]:
            self.assertNotIn("heartbeat", [c["name"] for c in d.get("cap", [])])

    def test_dom0_can_query_every_other_domain(self):
        """So that its `list` shows the whole system (docs/dom0.md)."""
        doms = load("default.toml")["domain"]
        dom0 = [d for d in doms if d["name"] == "dom0"][0]
        held = {c["object"]: c["rights"] for c in dom0["cap"]}
        self.assertEqual(held["system"], ["audit"])  # the shell's audit, not poweroff
        for d in doms:
            if d["name"] != "dom0":
                self.assertIn("query", held.get(d["name"], []), d["name"])


if __name__ == "__main__":
    unittest.main()
