# SPDX-License-Identifier: MIT
"""The audit as text, Graphviz DOT and a self-contained HTML page.

All three are pure functions of the audit (no dates, no host names, no
dictionary or set order), so the same input gives the same bytes. The HTML
embeds the graph as SVG when Graphviz's `dot` is installed ($CLOISON_DOT
names another program; an empty value means "do not use dot"), and the DOT
source otherwise: nothing here requires Graphviz.
"""

import html
import os
import shutil
import subprocess

from .checks import HELD, NOT_CHECKED, VIOLATED
from .model import ROLE_ORDER, fmt_range
from .reach import describe_holding, link_text
from ..description import fmt_size

TAG = {HELD: "held", VIOLATED: "VIOLATED", NOT_CHECKED: "not checked"}


def _table(rows, indent="  "):
    """Left-aligned columns; the last column is not padded."""
    if not rows:
        return []
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]) - 1)]
    out = []
    for r in rows:
        cells = [c.ljust(w) for c, w in zip(r, widths)] + [r[-1]]
        out.append((indent + "  ".join(cells)).rstrip())
    return out


def _rights(m, kind, mask):
    return ",".join(m.names(kind, mask)) or "none"


def matrix_rows(a):
    """(domain, object label, rights, how) for every object each domain can
    reach: boot caps first, then caps obtainable through grant."""
    m, reach = a.model, a.reach
    rows = []
    for dom in m.domains:
        for cap in dom.caps:
            rows.append((dom, cap.obj, cap.mask, "slot %d, cap '%s'"
                         % (cap.slot, cap.name), True))
        for h in reach.of(dom):
            boot = 0
            for c in h.caps:
                boot |= c.mask
            if h.mask & ~boot:
                rows.append((dom, h.obj, h.mask, describe_holding(m, h), False))
    return rows


def send_links(a):
    """Rule S1 links and domain caps acting on domains, one line each."""
    m = a.model
    out = []
    for ln in a.reach.links():
        out.append("%s -> %s over %s" % (ln.src.name, ln.dst.name, link_text(m, ln)))
    for h in a.reach.holdings.values():
        if h.obj.kind == "domain" and h.obj.domain is not None and \
                h.obj.domain is not h.dom:
            out.append("%s acts on %s: %s" % (h.dom.name, h.obj.domain.name,
                                             describe_holding(m, h)))
    return out


def summary_line(a):
    v = [c.id for c in a.checks if c.status == VIOLATED]
    n = [c.id for c in a.checks if c.status == NOT_CHECKED]
    held = len(a.checks) - len(v) - len(n)
    s = "%d of %d invariants held" % (held, len(a.checks))
    if v:
        s += ", %d VIOLATED (%s)" % (len(v), ", ".join(v))
    if n:
        s += ", %d not checked (%s)" % (len(n), ", ".join(n))
    return s


def header_lines(a):
    m = a.model
    out = ["description  %s" % a.desc_path,
           "system       '%s' (ABI %s)" % (m.system, m.abi_version),
           "policy       sha256 %s" % m.sha256]
    if m.flags:
        out.append("             compiled %s: not the hash of a bootable image "
                   "(give --hyp and --image-path as for pack)"
                   % ", ".join(m.flags))
    for d in m.tolerated:
        out.append("note         `cloison check` refuses it: line %d: %s"
                   % (d.line, d.message))
    return out


def memory_rows(a):
    """(domain, physical range, size, what) for the memory each domain can
    map, then the hypervisor's own."""
    from .checks import mappable
    m = a.model
    rows = []
    for dom, lo, hi, what, _, _ in mappable(m, a.reach):
        rows.append((dom.name, fmt_range(lo, hi), fmt_size(hi - lo), what))
    rows.append(("(hypervisor)", fmt_range(*m.hyp), fmt_size(m.hyp[1] - m.hyp[0]),
                 "hypervisor image and boot bundle"))
    rows.append(("(hypervisor)", fmt_range(*m.pool), fmt_size(m.pool[1] - m.pool[0]),
                 "hypervisor pool"))
    return rows


def hardware_rows(a):
    """(object, where, who can reach it) for every device and irq object."""
    rows = []
    for o in a.model.objects:
        if o.kind not in ("device", "irq"):
            continue
        where = fmt_range(*o.range()) if o.kind == "device" else "INTID %d" % o.intid
        hs = a.reach.holders(o)
        rows.append((o.label(), where, ", ".join(h.dom.name for h in hs) or "nobody"))
    return rows


def text(a):
    m = a.model
    out = ["Cloison capability-policy audit", ""]
    out += ["  " + x for x in header_lines(a)]
    out += ["", "Domains (roles: docs/auditing.md)"]
    rows = [("domain", "name", "role", "memory", "caps", "why")]
    for d in m.domains:
        rows.append((str(d.index), d.name, d.role, "%s %s" % (fmt_range(*d.ram()), fmt_size(d.mem_size)),
                     str(len(d.caps)), d.role_why))
    out += _table(rows)
    out += ["", "Capability matrix (every object each domain can reach, with rights)"]
    rows = [("domain", "object", "rights", "how")]
    for dom, obj, mask, how, _ in matrix_rows(a):
        rows.append((dom.name, obj.label(), _rights(m, obj.kind, mask), how))
    out += _table(rows)
    out += ["", "Memory each domain can map (physical)"]
    out += _table(memory_rows(a))
    hw = hardware_rows(a)
    if hw:
        out += ["", "Devices and IRQs"]
        out += _table(hw)
    out += ["", "Links between domains (who can send to or act on whom)"]
    out += ["  " + x for x in send_links(a)] or ["  none"]
    out += ["", "Invariants (docs/auditing.md)"]
    for c in a.checks:
        out.append("  [%s] %s: %s" % (TAG[c.status], c.id, c.title))
        if c.summary:
            out.append("      " + c.summary)
        for f in c.findings:
            out.append("      - " + f.message)
            for s in f.steps:
                out.append("          " + s)
        for n in c.notes:
            out.append("      note: " + n)
    out += ["", "Result: " + summary_line(a)]
    return "\n".join(out) + "\n"


# -- DOT ---------------------------------------------------------------------------

ROLE_COLOUR = {"control": "#f9d9a8", "driver": "#c9daf8", "guest": "#d9ead3"}
KIND_SHAPE = {"device": "box3d", "irq": "diamond", "channel": "hexagon",
              "notification": "octagon", "untyped": "folder",
              "console": "note", "system": "note"}


def _offending(a):
    pairs = set()
    for c in a.checks:
        for f in c.findings:
            for d in f.domains:
                for o in f.objects:
                    pairs.add((d, o))
    return pairs


def dot(a):
    m = a.model
    bad = _offending(a)
    out = ["digraph cloison {",
           '  graph [rankdir=LR, fontname="Helvetica", labelloc=t, label="%s: %s"];'
           % (_q(m.system), _q(summary_line(a))),
           '  node [fontname="Helvetica", fontsize=10];',
           '  edge [fontname="Helvetica", fontsize=9];']
    for role in ROLE_ORDER:
        for d in m.domains_by_role(role):
            out.append('  "d:%s" [label="%s\\n%s", shape=box, style="rounded,filled", '
                       'fillcolor="%s"];' % (d.name, d.name, role, ROLE_COLOUR[role]))
    for o in m.objects:
        if o.kind == "domain" or (o.kind in ("console", "system")
                                  and not a.reach.holders(o)):
            continue
        extra = ""
        if o.kind == "device":
            extra = "\\n%s" % fmt_range(*o.range())
        elif o.kind == "irq":
            extra = "\\nINTID %d" % o.intid
        elif o.range() is not None:
            extra = "\\n%s" % fmt_size(o.size)
        out.append('  "o:%s" [label="%s\\n%s%s", shape=%s];'
                   % (o.name, o.kind, o.name, extra, KIND_SHAPE.get(o.kind, "ellipse")))
    for h in a.reach.holdings.values():
        boot = 0
        for c in h.caps:
            boot |= c.mask
        dst = ("d:%s" % h.obj.domain.name if h.obj.kind == "domain" and h.obj.domain
               else "o:%s" % h.obj.name)
        attrs = ['label="%s"' % _rights(m, h.obj.kind, h.mask)]
        if not h.caps:
            attrs.append("style=dashed")
        elif h.mask & ~boot:
            attrs.append("style=bold")
        if (h.dom.name, h.obj.name) in bad:
            attrs.append('color="#cc0000", fontcolor="#cc0000", penwidth=2')
        out.append('  "d:%s" -> "%s" [%s];' % (h.dom.name, dst, ", ".join(attrs)))
    out.append("}")
    return "\n".join(out) + "\n"


def _q(s):
    return s.replace("\\", "\\\\").replace('"', '\\"')


def render_svg(dot_text):
    """SVG from Graphviz, or None when dot is not available."""
    prog = os.environ.get("CLOISON_DOT")
    if prog is None:
        prog = shutil.which("dot")
    if not prog:
        return None
    try:
        res = subprocess.run([prog, "-Tsvg"], input=dot_text.encode(),
                             capture_output=True, timeout=60)
    except (OSError, subprocess.TimeoutExpired):
        return None
    if res.returncode != 0:
        return None
    svg = res.stdout.decode("utf-8", "replace")
    i = svg.find("<svg")
    return svg[i:] if i >= 0 else None


# -- HTML --------------------------------------------------------------------------

CSS = """
body{font-family:system-ui,Helvetica,Arial,sans-serif;margin:2em;color:#222;max-width:1200px}
h1{font-size:1.5em}h2{font-size:1.2em;margin-top:2em;border-bottom:1px solid #ccc}
table{border-collapse:collapse;margin:.5em 0;max-width:100%}
td,th{border:1px solid #ccc;padding:.25em .5em;font-size:.9em;vertical-align:top;
overflow-wrap:break-word}
td.held,td.violated,td.notchecked{white-space:nowrap}
table.matrix td,table.matrix th{overflow-wrap:anywhere}
th{background:#f3f3f3;text-align:left}
.mono,pre,td.r{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:.85em}
.held{color:#1b6e20;font-weight:bold}.violated{color:#b00;font-weight:bold}
.notchecked{color:#777;font-weight:bold}
tr.violated td{background:#fdecea}
td.obt{background:#fff4e0}td.bad{background:#fdecea}
.control{background:#f9d9a8}.driver{background:#c9daf8}.guest{background:#d9ead3}
pre{background:#f7f7f7;padding:1em;white-space:pre-wrap;overflow-wrap:anywhere}
.graph svg{max-width:100%;height:auto}
.legend td{vertical-align:middle}
@media print{body{margin:0;max-width:none}h2{break-after:avoid}tr{break-inside:avoid}
*{-webkit-print-color-adjust:exact;print-color-adjust:exact}}
"""


def _wrappable(rights):
    """Rights escaped, with a line-break opportunity after each comma, so a
    wide matrix wraps between rights rather than inside one."""
    return _e(rights).replace(",", ",<wbr>")


def _e(s):
    return html.escape(str(s), quote=True)


def _html_table(title, head, rows, cls, empty=None):
    out = ['<h2>%s</h2>' % _e(title)]
    if not rows and empty:
        return out[0] + '<p>%s</p>' % _e(empty)
    out.append('<table class="%s"><tr>%s</tr>' % (cls, "".join("<th>%s</th>" % _e(h)
                                                             for h in head)))
    for r in rows:
        out.append('<tr>%s</tr>' % "".join('<td%s>%s</td>' % (' class="r"' if 0 < i < 3
                                                               else "", _e(c))
                                            for i, c in enumerate(r)))
    out.append('</table>')
    return "".join(out)


def _legend():
    """What the graph's colours, shapes and lines mean, drawn with small
    inline SVG swatches (no script, nothing hover-only)."""
    def swatch(shape, fill="#fff", dash="", width=1, colour="#000"):
        if shape == "line":
            return ('<svg width="40" height="12"><line x1="2" y1="6" x2="38" y2="6" '
                    'stroke="%s" stroke-width="%d"%s/></svg>'
                    % (colour, width, ' stroke-dasharray="4 3"' if dash else ""))
        return ('<svg width="40" height="20"><rect x="2" y="2" width="36" height="16" rx="4" '
                'fill="%s" stroke="#000"/></svg>' % fill)
    rows = [(swatch("box", ROLE_COLOUR[r]), "%s domain" % r) for r in ROLE_ORDER]
    shapes = {"box3d": "3-D box", "diamond": "diamond", "hexagon": "hexagon",
              "octagon": "octagon", "folder": "folder", "note": "sheet with a folded corner"}
    rows += [("<i>%s</i>" % shapes.get(shape, shape), "%s object" % kind)
             for kind, shape in sorted(KIND_SHAPE.items())]
    rows += [(swatch("line"), "a cap the domain holds at boot, labelled with its rights"),
             (swatch("line", width=3), "held at boot, with more rights obtainable "
              "through grant (rule H2)"),
             (swatch("line", dash=True), "obtainable through grant only (rule H2)"),
             (swatch("line", colour="#cc0000", width=2), "named by a violated invariant")]
    return ('<table class="legend"><tr><th colspan="2">Legend</th></tr>%s</table>'
            % "".join("<tr><td>%s</td><td>%s</td></tr>" % r for r in rows))


def html_page(a):
    m = a.model
    bad = _offending(a)
    p = ['<!DOCTYPE html>', '<html lang="en"><head><meta charset="utf-8">',
         '<title>Cloison audit: %s</title>' % _e(m.system),
         '<style>%s</style></head><body>' % CSS,
         '<h1>Cloison capability-policy audit: system &lsquo;%s&rsquo;</h1>' % _e(m.system),
         '<p class="%s">%s</p>' % ("violated" if a.violated() else "held",
                                   _e(summary_line(a))),
         '<pre>%s</pre>' % _e("\n".join(header_lines(a)))]
    p.append('<h2>Invariants</h2><table><tr><th>status</th><th>invariant</th>'
             '<th>details</th></tr>')
    for c in a.checks:
        cls = {HELD: "held", VIOLATED: "violated", NOT_CHECKED: "notchecked"}[c.status]
        det = []
        if c.summary:
            det.append("<p>%s</p>" % _e(c.summary))
        if c.findings:
            det.append("<ul>")
            for f in c.findings:
                det.append("<li>%s" % _e(f.message))
                if f.steps:
                    det.append("<ol>%s</ol>" % "".join("<li>%s</li>" % _e(s)
                                                       for s in f.steps))
                det.append("</li>")
            det.append("</ul>")
        if c.notes:
            det.append("<ul>%s</ul>" % "".join("<li><i>note:</i> %s</li>" % _e(n)
                                               for n in c.notes))
        p.append('<tr class="%s"><td class="%s">%s</td><td><b>%s</b><br>%s</td>'
                 '<td>%s</td></tr>' % (cls if c.status == VIOLATED else "", cls,
                                       _e(TAG[c.status]), _e(c.id), _e(c.title),
                                       "".join(det)))
    p.append('</table>')
    p.append('<h2>Domains</h2><table><tr><th>domain</th><th>name</th><th>role</th>'
             '<th>why</th><th>memory</th><th>image</th><th>caps</th></tr>')
    for d in m.domains:
        p.append('<tr class="domain"><td>%d</td><td>%s</td><td class="%s">%s</td><td>%s</td>'
                 '<td class="r">%s %s</td><td>%s</td><td>%d</td></tr>'
                 % (d.index, _e(d.name), d.role, d.role, _e(d.role_why),
                    _e(fmt_range(*d.ram())), _e(fmt_size(d.mem_size)), _e(d.image),
                    len(d.caps)))
    p.append('</table>')
    p.append(_html_table("Memory each domain can map (physical)",
                         ("domain", "range", "size", "what"), memory_rows(a), "memory"))
    p.append(_html_table("Devices and IRQs", ("object", "where", "reachable by"),
                         hardware_rows(a), "hw", "none declared"))
    # Grid: domains x objects, cell = rights (orange: obtainable through grant).
    cells = {}
    for dom, obj, mask, how, boot in matrix_rows(a):
        key = (dom.name, obj.name)
        cells.setdefault(key, []).append((mask, how, boot, obj.kind))
    objs = [o for o in m.objects if any((d.name, o.name) in cells for d in m.domains)]
    p.append('<h2>Capability matrix</h2><p>Rows: domains; columns: every object '
             'some domain can reach. Orange: obtainable through grant (rule H2); '
             'red: named by a violated invariant. The table after it names the cap '
             'behind each cell.</p>')
    p.append('<table class="matrix"><tr><th></th>%s</tr>' % "".join(
        '<th>%s<br><span class="mono">%s</span></th>' % (_e(o.name), _e(o.kind))
        for o in objs))
    for d in m.domains:
        row = ['<tr><th>%s</th>' % _e(d.name)]
        for o in objs:
            entries = cells.get((d.name, o.name))
            if not entries:
                row.append('<td></td>')
                continue
            cls = "r"
            if any(not e[2] for e in entries):
                cls += " obt"
            if (d.name, o.name) in bad:
                cls += " bad"
            row.append('<td class="%s" title="%s">%s</td>' % (
                cls, _e("; ".join(e[1] for e in entries)),
                "<br>".join(_wrappable(_rights(m, e[3], e[0])) for e in entries)))
        row.append('</tr>')
        p.append("".join(row))
    p.append('</table>')
    p.append('<h2>Capabilities</h2><table><tr><th>domain</th><th>object</th>'
             '<th>rights</th><th>how</th></tr>')
    for dom, obj, mask, how, boot in matrix_rows(a):
        p.append('<tr><td>%s</td><td>%s</td><td class="r%s">%s</td><td>%s</td></tr>'
                 % (_e(dom.name), _e(obj.label()), "" if boot else " obt",
                    _e(_rights(m, obj.kind, mask)), _e(how)))
    p.append('</table>')
    p.append('<h2>Links between domains</h2><ul>%s</ul>' % (
        "".join("<li>%s</li>" % _e(x) for x in send_links(a)) or "<li>none</li>"))
    dot_text = dot(a)
    svg = render_svg(dot_text)
    p.append('<h2>Graph</h2>')
    if svg is not None:
        p.append('<div class="graph">%s</div>' % svg)
        p.append(_legend())
    else:
        p.append('<p>Graphviz <code>dot</code> is not installed here: render this '
                 'source with <code>dot -Tsvg</code> (or any Graphviz viewer).</p>')
        p.append('<pre>%s</pre>' % _e(dot_text))
    p.append('</body></html>')
    return "\n".join(p) + "\n"
