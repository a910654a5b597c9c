# SPDX-License-Identifier: MIT
"""Where each device and channel cap is mapped in its domain (the IPA):
devices at their physical address unless given an `ipa`, channels one
after the other from CHANNEL_IPA_BASE. Mappings must be page aligned, stay
in the 4 GiB IPA space and overlap neither RAM nor each other."""

from .. import description as D


def place(r):
    for dom in r.d.domains:
        if dom.memory is None:
            continue
        mapped = [(D.DOMAIN_IPA_BASE, dom.ipa_end(), "its RAM")]
        cursor = D.CHANNEL_IPA_BASE
        for cap in dom.caps:
            obj = cap.obj
            if obj is None or obj.kind not in D.MAPPED_KINDS or not obj.size \
                    or (obj.kind == "device" and obj.phys is None):
                continue
            ctx = "%s: cap '%s'" % (dom.ctx, cap.name)
            if cap.ipa is None:
                cap.ipa = obj.phys if obj.kind == "device" else cursor
                if obj.kind == "channel":
                    cursor += obj.size
            lo, hi = cap.ipa, cap.ipa + obj.size
            if lo % D.PAGE:
                r.err(cap.ipa_line, "bad-ipa",
                      "%s: ipa 0x%x is not 4 KiB aligned" % (ctx, lo))
                continue
            if hi > D.IPA_LIMIT:
                r.err(cap.ipa_line, "bad-ipa",
                      "%s: mapping %s is beyond the 4 GiB IPA space%s"
                      % (ctx, D.fmt_range(lo, hi),
                         "; give the cap an 'ipa'"
                         if cap.ipa_line == cap.line else ""))
                continue
            clash = [w for a, b, w in mapped if lo < b and a < hi]
            if clash:
                r.err(cap.ipa_line, "bad-ipa", "%s: mapping %s overlaps %s"
                      % (ctx, D.fmt_range(lo, hi), clash[0]))
                continue
            mapped.append((lo, hi, "cap '%s'" % cap.name))
