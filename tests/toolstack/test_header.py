# SPDX-License-Identifier: MIT
"""policy.h and policy.py describe the same bytes: both are generated from
hyp/abi/cloison-boot.toml; generate the headers, compile them with the host C
compiler and compare every field offset, size, constant and limit."""

import os
import shutil
import subprocess
import sys
import tempfile
import unittest

try:  # as tests.toolstack.X (-t .) or as a top-level module (-s only)
    from . import support
except ImportError:
    import support
from cloison import description
from cloison import limits
from cloison import policy as fmt

HEADER_DIR = os.path.join(support.ROOT, "hyp", "abi", "include")
GEN = os.path.join(support.ROOT, "hyp", "abi", "gen_abi.py")
CC = shutil.which("cc") or shutil.which("gcc") or shutil.which("clang")
NESTED = {"domains", "objects", "caps", "segments"}

CONSTANTS = {
    "CLOISON_BUNDLE_MAGIC": int.from_bytes(fmt.BUNDLE_MAGIC, "little"),
    "CLOISON_POLICY_MAGIC": int.from_bytes(fmt.POLICY_MAGIC, "little"),
    "CLOISON_BUNDLE_VERSION": fmt.BUNDLE_VERSION,
    "CLOISON_POLICY_VERSION": fmt.POLICY_VERSION,
    "CLOISON_BUNDLE_ALIGN": fmt.BUNDLE_ALIGN,
    "CLOISON_POLICY_NAME_LEN": fmt.NAME_LEN,
    "CLOISON_POLICY_NAME_MAX": fmt.NAME_MAX,
    "CLOISON_POLICY_NO_IPA": fmt.NO_IPA,
    "CLOISON_POLICY_F_NO_IMAGES": fmt.POLICY_F_NO_IMAGES,
    "CLOISON_POLICY_F_NO_HYP": fmt.POLICY_F_NO_HYP,
    "CLOISON_DOMAIN_F_AUTOSTART": fmt.DOMAIN_F_AUTOSTART,
    "CLOISON_OBJECT_F_IRQ_EDGE": fmt.OBJECT_F_IRQ_EDGE,
    "CLOISON_SEG_F_X": fmt.SEG_F_X,
    "CLOISON_SEG_F_W": fmt.SEG_F_W,
    "CLOISON_SEG_F_R": fmt.SEG_F_R,
    # The start-info page the hypervisor builds from the policy: the
    # validator keeps images out of it and caps within its capacity.
    "CLOISON_START_INFO_SIZE": description.START_INFO_SIZE,
    "CLOISON_START_INFO_MAX_CAPS": description.START_INFO_MAX_CAPS,
    "CLOISON_START_INFO_NAME_LEN": fmt.NAME_LEN,
}
# Every limit, as the C side sees it.
CONSTANTS.update({"CLOISON_LIMIT_" + k.upper(): v for k, v in limits.LIMITS.items()})


def _c_member(layout, field):
    if layout.cname == "cloison_policy_header":
        for t in NESTED:
            if field.startswith(t + "_"):
                return t + "." + field[len(t) + 1:]
    return field


@unittest.skipUnless(CC, "no host C compiler")
class HeaderTest(unittest.TestCase):
    def test_layouts_match(self):
        lines = ["#include <stdio.h>", "#include <cloison/abi/policy.h>",
                 "#include <cloison/abi/start_info.h>", "#include <cloison/abi/boot_limits.h>",
                 "int main(void) {"]
        expect = []
        for lay in fmt.LAYOUTS:
            lines.append('printf("%%zu\\n", sizeof(struct %s));' % lay.cname)
            expect.append(lay.size)
            for field, off in lay.offsets().items():
                lines.append('printf("%%zu\\n", offsetof(struct %s, %s));'
                             % (lay.cname, _c_member(lay, field)))
                expect.append(off)
        for name, val in CONSTANTS.items():
            lines.append('printf("%%llu\\n", (unsigned long long)(%s));' % name)
            expect.append(val)
        lines.append("return 0; }")
        with tempfile.TemporaryDirectory() as tmp:
            gen = os.path.join(tmp, "include", "cloison", "abi")
            subprocess.run([sys.executable, GEN, "--header-dir", gen], check=True)
            src = os.path.join(tmp, "layout.c")
            exe = os.path.join(tmp, "layout")
            with open(src, "w") as f:
                f.write("\n".join(lines) + "\n")
            subprocess.run([CC, "-std=c11", "-Wall", "-Wextra", "-Werror",
                            "-I", os.path.join(tmp, "include"), "-I", HEADER_DIR, src,
                            "-o", exe], check=True)
            got = subprocess.run([exe], check=True, capture_output=True,
                                 text=True).stdout.split()
        self.assertEqual([int(x) for x in got], expect)


if __name__ == "__main__":
    unittest.main()
