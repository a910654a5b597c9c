# SPDX-License-Identifier: MIT
"""A domain's schedule: a budget of CPU time per period, and a priority.

A period below SHORT_PERIOD_US is allowed but warned about: it is most
likely milliseconds typed as microseconds (period_us = 10 for 10 ms), and
the scheduler would spend the machine switching domains."""

from .. import description as D

SHORT_PERIOD_US = 100


def read(r, dom, t, path, ctx):
    period = r.integer(t, "period_us", path, ctx, default=D.DEFAULT_PERIOD_US)
    if period is not None and not 1 <= period <= D.PERIOD_MAX_US:
        r.err(path + ("period_us",), "bad-schedule",
              "%s: period_us %d must be between 1 and %d"
              % (ctx, period, D.PERIOD_MAX_US))
        period = None
    budget = r.integer(t, "budget_us", path, ctx)
    if budget is not None and budget == 0:
        r.err(path + ("budget_us",), "bad-schedule",
              "%s: budget_us must not be zero" % ctx)
    elif budget is not None and period is not None and budget > period:
        r.err(path + ("budget_us",), "bad-schedule",
              "%s: budget_us (%d) is larger than period_us (%d)"
              % (ctx, budget, period))
    prio = r.integer(t, "priority", path, ctx, default=D.DEFAULT_PRIORITY)
    if prio is not None and prio > D.PRIORITY_MAX:
        r.err(path + ("priority",), "bad-schedule",
              "%s: priority %d must be between 0 and %d"
              % (ctx, prio, D.PRIORITY_MAX))
    if period is not None and period < SHORT_PERIOD_US:
        r.warn(path + ("period_us",), "short-period",
               "%s: period_us %d is %d microseconds%s; periods and budgets are "
               "in microseconds (10 ms is period_us = 10000)"
               % (ctx, period, period, " (budget_us %d)" % budget
                  if budget else ""))
    dom.period_us = period or D.DEFAULT_PERIOD_US
    dom.budget_us = budget if budget else dom.period_us
    dom.priority = prio if prio is not None else D.DEFAULT_PRIORITY
