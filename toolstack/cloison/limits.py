# SPDX-License-Identifier: MIT
"""The boot contract as the toolstack sees it: every limit of a system
description and the layouts of the bundle, the policy and the start-info
page. They are written once, in hyp/abi/cloison-boot.toml; this module reads
them from the cloison_abi.py that hyp/abi/gen_abi.py generates from it (the
same module, found the same way, as abi.py), so the toolstack refuses
exactly what the hypervisor's policy check refuses.

`limits.LIMITS["domains_max"]`, or the attribute form `limits.DOMAINS_MAX`.
"""

from . import abi as _abi

_mod = _abi._find_module()
if _mod is None:
    raise _abi.AbiError("ABI definition not found: expected %s" % _abi._GEN)

LIMITS = dict(_mod.LIMITS)
LIMIT_DOCS = dict(_mod.LIMIT_DOCS)
BOOT = dict(_mod.BOOT)
FLAGS = dict(_mod.FLAGS)
LAYOUTS = dict(_mod.LAYOUTS)
OFFSETS = dict(_mod.OFFSETS)
BUNDLE_VERSION = _mod.BUNDLE_VERSION
POLICY_VERSION = _mod.POLICY_VERSION
START_INFO_VERSION = _mod.START_INFO_VERSION

globals().update({k.upper(): v for k, v in LIMITS.items()})


def pool_needed(domains, objects, cspace_slots):
    """Bytes of the hypervisor pool a policy needs: what the loader carves
    from [pool_base, RAM end) at boot (hyp/core/boot/policy_check.c computes
    the same sum from the same numbers), rounded up to a 4 KiB page."""
    need = (LIMITS["pool_fixed"] + domains * LIMITS["pool_per_domain"]
            + objects * LIMITS["pool_per_object"] + cspace_slots * LIMITS["pool_per_slot"])
    return (need + 4095) // 4096 * 4096
