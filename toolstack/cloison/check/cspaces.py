# SPDX-License-Identifier: MIT
"""Each domain's CSpace: its caps take slots 1, 2, ... in order (slot 0
stays empty so that a zeroed register names nothing), and must fit both the
CSpace and the start-info page that lists them by name."""

from .. import description as D


def check(r):
    for dom in r.d.domains:
        for n, cap in enumerate(dom.caps):
            cap.slot = n + 1
        if dom.connect_inbox and dom.connect_inbox + len(dom.caps) > dom.cspace_slots - 1:
            r.err(dom.connect_inbox_line, "too-many-caps",
                  "%s: connect_inbox %d does not fit: %d caps and the inbox, "
                  "but a CSpace of %d slots holds %d (slot 0 stays empty)"
                  % (dom.ctx, dom.connect_inbox, len(dom.caps),
                     dom.cspace_slots, dom.cspace_slots - 1))
        elif len(dom.caps) > dom.cspace_slots - 1:
            cap = dom.caps[dom.cspace_slots - 1]
            r.err(cap.line, "too-many-caps",
                  "%s: cap '%s' does not fit: %d caps, but a CSpace "
                  "of %d slots holds %d (slot 0 stays empty)"
                  % (dom.ctx, cap.name, len(dom.caps), dom.cspace_slots,
                     dom.cspace_slots - 1))
        elif len(dom.caps) > D.START_INFO_MAX_CAPS:
            cap = dom.caps[D.START_INFO_MAX_CAPS]
            r.err(cap.line, "too-many-caps",
                  "%s: cap '%s' does not fit: %d caps, but the start-info "
                  "page lists at most %d"
                  % (dom.ctx, cap.name, len(dom.caps), D.START_INFO_MAX_CAPS))
