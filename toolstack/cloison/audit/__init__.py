# SPDX-License-Identifier: MIT
"""`cloison audit`: the capability-policy auditor (docs/auditing.md).

  session   run an audit (load, compile, model, checks) and answer queries
  model     who holds which cap on which object, and each domain's role
  reach     caps that can be handed on, and paths between domains
  checks    the policy invariants of the model (docs/auditing.md)
  policy_hash  the image's or live dump's policy hash against the audited one
  live      the hypervisor's capability dump against the policy
  report    text, DOT and HTML reports
"""

from .policy_hash import check_hash, policy_diff
from .session import TOLERATED, Audit, load_model, query, read_hyp, run

__all__ = ["run", "query", "load_model", "read_hyp", "policy_diff",
           "check_hash", "Audit", "TOLERATED"]
