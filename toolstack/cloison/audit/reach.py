# SPDX-License-Identifier: MIT
"""Who can reach what: caps that can be handed on, and paths between domains.

The rules are written out in docs/auditing.md ("Reachability rules"); in
short, and always erring on the side of reporting more:

  H1  a domain holds every cap the boot policy gives it;
  S1  domain X can SEND to domain Y when X can affect an object that Y can
      observe: both hold caps on the same channel, untyped pool, device or
      irq (any rights), or X may signal a notification Y may wait on; or X
      holds build or connect on Y's domain object;
  H2  if X holds (or may obtain) a cap with grant and X can send to Y, then
      Y may obtain a cap on the same object with the same rights (grant
      included, so it can be passed on again). Repeated until nothing
      changes.

The ABI needs more than this to place a cap in another CSpace (a cnode cap
with write on it), so H2 over-approximates on purpose: a policy passes
only if it stays safe even if every channel could carry caps.

Paths are directed. Edges (F marks an edge that carries influence):
  domain D -> object O    D holds or may obtain a cap on O; F unless the
                          cap only observes (a notification without signal,
                          a domain cap with only query and/or grant)
  object O -> domain D    F, when D holds a cap on a channel, untyped,
                          device or irq O, or may wait on notification O
  domain object E -> E    F, a cap on E acts on E
console and system have no outgoing edges: console output goes to the
UART and its input comes from the operator, not from another domain.
"""

import collections

SHARED = ("channel", "untyped", "device", "irq")      # both ways
RELAY_LINKS = ("build", "connect")                    # S1 through a domain cap


class Holding:
    """Domain `dom` holds (or may obtain) caps on `obj` with rights `mask`."""

    def __init__(self, dom, obj, mask, caps=(), via=None):
        self.dom = dom
        self.obj = obj
        self.mask = mask
        self.caps = list(caps)      # boot caps (empty if only obtainable)
        self.via = via              # Via, if it is not held at boot

    def held(self):
        return bool(self.caps)

    def key(self):
        return (self.dom.index, self.obj.index)


class Link:
    """X can send to Y (rule S1), through object `obj`."""

    def __init__(self, src, dst, obj, src_h, dst_h):
        self.src = src
        self.dst = dst
        self.obj = obj
        self.src_h = src_h
        self.dst_h = dst_h


class Via:
    """How a holding can be obtained (rule H2)."""

    def __init__(self, giver_h, link):
        self.giver_h = giver_h
        self.link = link


class Edge:
    def __init__(self, src, dst, flow, kind, holding=None):
        self.src = src          # node: ("d", index) or ("o", index)
        self.dst = dst
        self.flow = flow
        self.kind = kind        # "holds", "shared", "acts"
        self.holding = holding


def affects(model, obj, mask):
    if obj.kind == "notification":
        return model.has("notification", mask, "signal")
    if obj.kind == "domain":
        return any(model.has("domain", mask, r) for r in
                   ("build", "start", "stop", "resume", "destroy", "connect"))
    return mask & ~model.bit(obj.kind, "grant") != 0


def receives(model, obj, mask):
    if obj.kind == "notification":
        return model.has("notification", mask, "wait")
    return obj.kind in SHARED


class Reach:
    """The closure of the boot holdings under H2, and the path graph."""

    def __init__(self, model):
        self.m = model
        self.holdings = collections.OrderedDict()
        for cap in model.caps:
            k = (cap.holder.index, cap.obj.index)
            h = self.holdings.get(k)
            if h is None:
                self.holdings[k] = Holding(cap.holder, cap.obj, cap.mask, [cap])
            else:
                h.mask |= cap.mask
                h.caps.append(cap)
        self._close()
        self._graph()

    # -- H2 ------------------------------------------------------------------

    def links(self):
        """Every (X -> Y) send link of rule S1, in a fixed order."""
        m = self.m
        by_obj = collections.defaultdict(list)
        for k in sorted(self.holdings):
            h = self.holdings[k]
            by_obj[h.obj.index].append(h)
        out = []
        for oi in sorted(by_obj):
            hs = by_obj[oi]
            obj = m.objects[oi]
            if obj.kind == "domain":
                target = obj.domain
                for h in hs:
                    if target is not None and h.dom is not target and any(
                            m.has("domain", h.mask, r) for r in RELAY_LINKS):
                        out.append(Link(h.dom, target, obj, h, None))
                continue
            if obj.kind not in SHARED + ("notification",):
                continue
            for a in hs:
                if not affects(m, obj, a.mask):
                    continue
                for b in hs:
                    if b.dom is not a.dom and receives(m, obj, b.mask):
                        out.append(Link(a.dom, b.dom, obj, a, b))
        return out

    def _close(self):
        m = self.m
        while True:
            changed = False
            links = self.links()
            sends = collections.defaultdict(list)
            for ln in links:
                sends[ln.src.index].append(ln)
            for k in sorted(self.holdings):
                h = self.holdings[k]
                if not m.has(h.obj.kind, h.mask, "grant"):
                    continue
                for ln in sends[h.dom.index]:
                    k2 = (ln.dst.index, h.obj.index)
                    other = self.holdings.get(k2)
                    if other is None:
                        self.holdings[k2] = Holding(ln.dst, h.obj, h.mask,
                                                    via=Via(h, ln))
                        changed = True
                    elif h.mask & ~other.mask:
                        other.mask |= h.mask
                        if other.via is None:
                            other.via = Via(h, ln)
                        changed = True
            if not changed:
                break
        self.holdings = collections.OrderedDict(sorted(self.holdings.items()))

    def obtainable(self):
        """Holdings that are not (entirely) boot caps: gained through H2."""
        out = []
        for h in self.holdings.values():
            boot = 0
            for c in h.caps:
                boot |= c.mask
            if h.via is not None and h.mask & ~boot:
                out.append(h)
        return out

    def of(self, dom):
        return [h for h in self.holdings.values() if h.dom is dom]

    def holders(self, obj):
        return [h for h in self.holdings.values() if h.obj is obj]

    # -- graph ---------------------------------------------------------------

    def _graph(self):
        m = self.m
        adj = collections.defaultdict(list)
        for h in self.holdings.values():
            d, o = ("d", h.dom.index), ("o", h.obj.index)
            adj[d].append(Edge(d, o, affects(m, h.obj, h.mask), "holds", h))
            if h.obj.kind != "domain" and receives(m, h.obj, h.mask):
                adj[o].append(Edge(o, d, True, "shared", h))
        for obj in m.objects:
            if obj.kind == "domain" and obj.domain is not None:
                o = ("o", obj.index)
                adj[o].append(Edge(o, ("d", obj.domain.index), True, "acts"))
        self.adj = {k: sorted(v, key=lambda e: (e.dst, e.kind))
                    for k, v in adj.items()}

    def _bfs(self, start, expand):
        """Shortest flow paths from `start`; `expand(node)` says whether the
        search may go on from a node it reached. Returns {node: edge in}."""
        parent = {start: None}
        queue = collections.deque([start])
        while queue:
            node = queue.popleft()
            if node != start and not expand(node):
                continue
            for e in self.adj.get(node, ()):
                if e.flow and e.dst not in parent:
                    parent[e.dst] = e
                    queue.append(e.dst)
        return parent

    @staticmethod
    def _path(parent, node):
        out = []
        while parent[node] is not None:
            e = parent[node]
            out.append(e)
            node = e.src
        return out[::-1]

    def query(self, src_dom, target):
        """Can domain `src_dom` reach `target` (an Obj, or a Dom)? Returns the
        list of edges of a shortest path, or None. A domain is reached
        through its domain object too (they share a name)."""
        start = ("d", src_dom.index)
        goals = set()
        if hasattr(target, "caps"):         # a Dom
            goals.add(("d", target.index))
            if target.obj is not None:
                goals.add(("o", target.obj.index))
        else:
            goals.add(("o", target.index))
            if target.domain is not None:
                goals.add(("d", target.domain.index))
        if start in goals:
            return []
        parent = self._bfs(start, lambda n: True)
        best = None
        for g in sorted(goals):
            if g in parent:
                p = self._path(parent, g)
                if best is None or len(p) < len(best):
                    best = p
        # The last step may be a cap that only observes (query, wait).
        for node in sorted(parent, key=lambda n: len(self._path(parent, n))):
            if node[0] != "d":
                continue
            for e in self.adj.get(node, ()):
                if e.dst in goals and not e.flow:
                    p = self._path(parent, node) + [e]
                    if best is None or len(p) < len(best):
                        best = p
        return best

    def guest_paths(self):
        """Paths from a guest to another guest that pass through no driver
        domain: [(guest, other guest, edges)], in a fixed order."""
        m = self.m
        out = []
        for g in m.domains:
            if g.role != "guest":
                continue
            start = ("d", g.index)

            def expand(node):
                if node[0] == "o":
                    return True
                return m.domains[node[1]].role not in ("driver", "guest")

            parent = self._bfs(start, expand)
            for node in sorted(parent):
                if node[0] == "d" and node != start and \
                        m.domains[node[1]].role == "guest":
                    out.append((g, m.domains[node[1]], self._path(parent, node)))
        return out


# -- text --------------------------------------------------------------------

def node_label(m, node):
    if node[0] == "d":
        return m.domains[node[1]].name
    obj = m.objects[node[1]]
    return obj.label()


def rights_text(m, kind, mask):
    return ",".join(m.names(kind, mask)) or "none"


def describe_holding(m, h):
    """How h.dom has h: its boot caps, or how it may obtain the rights."""
    if h.caps:
        caps = ", ".join(c.label() for c in h.caps)
        text = "holds %s [%s]" % (caps, rights_text(m, h.obj.kind, h.mask))
        boot = 0
        for c in h.caps:
            boot |= c.mask
        if h.mask & ~boot and h.via is not None:
            text += " (boot rights [%s]; more %s)" % (
                rights_text(m, h.obj.kind, boot), _via_text(m, h.via))
        return text
    return "could obtain a cap [%s] %s" % (rights_text(m, h.obj.kind, h.mask),
                                          _via_text(m, h.via))


def link_text(m, ln):
    if ln.obj.kind == "domain":
        caps = ", ".join(c.label() for c in ln.src_h.caps) or "its cap"
        return "its %s on domain '%s' [%s]" % (
            caps, ln.obj.name, rights_text(m, "domain", ln.src_h.mask))
    return ln.obj.label()


def _via_text(m, via):
    giver = via.giver_h
    src = ("%s, with grant" % ", ".join(c.label() for c in giver.caps)
           if giver.caps else "which could obtain it itself")
    return "from %s (%s) over %s" % (giver.dom.name, src, link_text(m, via.link))


def step_text(m, e):
    """One step of a path: "FROM -> TO: why"."""
    head = "%s -> %s: " % (node_label(m, e.src), node_label(m, e.dst))
    if e.kind == "holds":
        return head + describe_holding(m, e.holding)
    if e.kind == "shared":
        return head + "%s %s on it" % (e.holding.dom.name,
                                       describe_holding(m, e.holding))
    return head + "a cap on a domain acts on that domain"


def path_text(m, edges):
    return " -> ".join([node_label(m, edges[0].src)] +
                       [node_label(m, e.dst) for e in edges])
