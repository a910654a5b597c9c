# SPDX-License-Identifier: MIT
"""Virtual disks: [[disk]] tables of the system description.

A virtual disk is an extent of the physical disk a block back end (storage-dom)
owns, served to one guest over a declared channel (docs/block-protocol.md):

    [[disk]]
    channel = "guest1-disk"   # a declared [[channel]]: end 0 = the back end
    start = "1M"              # byte offset of the extent on the physical disk
    size = "4M"               # its length

or, for a guest a control domain creates at run time, a named extent the back
end serves over a channel the core makes then (domain_connect,
docs/dynamic-guests.md):

    [[disk]]
    name = "web1-root"        # what a guest config's `disk` names
    backend = "storage"       # the back end domain (it needs a connect_inbox)
    start = "8M"
    size = "4M"

Checked here: the channel exists and is a channel with a data area (at least
8 KiB: the ring page plus one 4 KiB page), each channel serves at most one
disk, start and size are multiples of 4 KiB and size is not zero, and the
extents of one back end never overlap. The compiler hands each back end its
extent table (config_blob) as a segment of its image, below the start-info
page (BACKEND_CONFIG_OFFSET from the end of its RAM).
"""
import struct

DISK_KEYS = ("channel", "name", "backend", "start", "size")
SECTOR = 512
ALIGN = 4096
MIN_CHANNEL = 8192
# The back end's configuration page: the last-but-one 4 KiB page of its RAM.
BACKEND_CONFIG_OFFSET = 8192
CONFIG_MAGIC = b"CLBKCFG1"
CONFIG_VERSION = 2
CONFIG_HEADER = struct.Struct("<8sIHH")           # magic, version, count, inbox
RUN_TIME_MARK = b"@"    # an entry's name: "@" + a run-time disk's name
CONFIG_ENTRY = struct.Struct("<32sQQ")            # cap name, start, sectors
CONFIG_MAX = (4096 - CONFIG_HEADER.size) // CONFIG_ENTRY.size


class Disk:
    def __init__(self, line):
        self.line = line
        self.channel = None     # the channel Object
        self.name = None        # a run-time disk: its name ...
        self.backend = None     # ... and its back end Domain
        self.start = None       # bytes
        self.size = None

    @property
    def domain(self):
        """The back end's Domain."""
        return self.backend if self.backend is not None else self.channel.ends[0].domain

    @property
    def label(self):
        return ("disk '%s'" % self.name if self.name is not None
                else "disk on channel '%s'" % self.channel.name)

    @property
    def server(self):
        """The back end's cap on the channel (end 0)."""
        return self.channel.ends[0]

    @property
    def client(self):
        return self.channel.ends[1]


def backend_channel(checker, cname, path, ctx, kind, what, other, taken):
    """The declared channel named `cname` a back end serves something on
    (a disk, a switch port), or None with the reason reported as `kind`:
    not declared, under MIN_CHANNEL bytes, or already `taken` (a list of
    objects with a .channel)."""
    obj = checker.d.by_name.get(cname)
    if obj is None or obj.kind != "channel":
        checker.err(path + ("channel",), kind, "%s: no channel of that name is declared" % ctx)
    elif len(obj.ends) != 2:
        pass  # the channel check already says why
    elif obj.size is not None and obj.size < MIN_CHANNEL:
        checker.err(path + ("channel",), kind,
                    "%s: the channel is %d bytes; %s needs at least %d "
                    "(the ring page and a data page)" % (ctx, obj.size, what, MIN_CHANNEL))
    elif any(o.channel is obj for o in taken):
        checker.err(path + ("channel",), kind,
                    "%s: the channel already serves %s" % (ctx, other))
    else:
        return obj
    return None


def check(checker, data):
    """Fill checker.d.disks from [[disk]]; report errors through checker."""
    d = checker.d
    d.disks = []
    for n, t in enumerate(checker.tables(data, "disk", (), "the top level")):
        path = ("disk", n)
        ctx = "disk #%d" % (n + 1)
        checker.fields(t, path, DISK_KEYS, ctx)
        disk = Disk(checker.pos.line(path))
        cname = checker.string(t, "channel", path, ctx)
        name = checker.string(t, "name", path, ctx)
        bname = checker.string(t, "backend", path, ctx)
        disk.start = checker.size(t, "start", path, ctx, required=True)
        disk.size = checker.size(t, "size", path, ctx, required=True)
        if cname is not None and (name is not None or bname is not None):
            checker.err(path + ("name" if name is not None else "backend",), "bad-disk",
                        "%s: a disk has a channel or (for guests made at run time) a name "
                        "and a backend, not both" % ctx)
        elif cname is not None:
            ctx = "disk on channel '%s'" % cname
            disk.channel = backend_channel(checker, cname, path, ctx, "bad-disk",
                                           "a disk channel", "another disk", d.disks)
        elif name is None or bname is None:
            checker.err(path, "bad-disk", "%s: needs a channel, or a name and a backend"
                        % ctx)
        else:
            ctx = "disk '%s'" % name
            dom = next((x for x in d.domains if x.name == bname), None)
            if dom is None:
                checker.err(path + ("backend",), "bad-disk",
                            "%s: no domain named '%s'" % (ctx, bname))
            elif not dom.connect_inbox:
                checker.err(path + ("backend",), "bad-disk",
                            "%s: back end '%s' has no connect_inbox: it cannot take clients "
                            "at run time" % (ctx, bname))
            elif len(name) > 30 or any(k.name == name for k in d.disks):
                checker.err(path + ("name",), "bad-disk",
                            "%s: the name is longer than 30 characters or names another disk"
                            % ctx)
            else:
                disk.name, disk.backend = name, dom
        for key, v in (("start", disk.start), ("size", disk.size)):
            if v is not None and v % ALIGN:
                checker.err(path + (key,), "bad-disk",
                            "%s: %s %d is not a multiple of 4 KiB" % (ctx, key, v))
        if disk.size == 0:
            checker.err(path + ("size",), "bad-disk", "%s: size is 0" % ctx)
        if (disk.channel is None and disk.backend is None) or disk.start is None \
                or not disk.size:
            continue
        for other in d.disks:
            if (other.domain is disk.domain and
                    disk.start < other.start + other.size and
                    other.start < disk.start + disk.size):
                checker.err(path + ("start",), "disk-overlap",
                            "%s: extent [%#x, %#x) overlaps the %s "
                            "(line %d) of the same back end"
                            % (ctx, disk.start, disk.start + disk.size,
                               other.label, other.line))
                break
        else:
            d.disks.append(disk)
            disk.domain.serves_disks = True
    by_server = {}
    for disk in d.disks:
        by_server.setdefault(disk.domain.name, []).append(disk)
    for name, disks in by_server.items():
        if len(disks) > CONFIG_MAX:
            checker.err(disks[CONFIG_MAX].line, "bad-disk",
                        "back end '%s' serves %d disks; at most %d"
                        % (name, len(disks), CONFIG_MAX))


def config_blob(desc, dom):
    """The extent table of back end `dom` (bytes), or None if it serves none.
    Layout: docs/block-protocol.md, "Back-end configuration"."""
    disks = [k for k in getattr(desc, "disks", []) if k.domain is dom]
    if not disks:
        return None
    out = bytearray(CONFIG_HEADER.pack(CONFIG_MAGIC, CONFIG_VERSION, len(disks),
                                       dom.connect_inbox))
    for k in disks:
        name = RUN_TIME_MARK + k.name.encode() if k.name else k.server.name.encode()
        out += CONFIG_ENTRY.pack(name, k.start // SECTOR, k.size // SECTOR)
    return bytes(out)
