# SPDX-License-Identifier: MIT
"""Read files out of a Debian package with the standard library only.

A .deb is an ar(5) archive whose members are debian-binary, control.tar.*
and data.tar.* (deb(5)); the files are in data.tar, compressed with xz, gzip,
zstd or nothing (zstd is refused: the standard library has no decoder)."""
import io
import tarfile

AR_MAGIC = b"!<arch>\n"


def ar_members(blob):
    """Yield (name, bytes) for each member of an ar archive."""
    if not blob.startswith(AR_MAGIC):
        raise ValueError("not an ar archive")
    pos = len(AR_MAGIC)
    while pos + 60 <= len(blob):
        hdr = blob[pos:pos + 60]
        if hdr[58:60] != b"`\n":
            raise ValueError(f"bad ar member header at {pos}")
        name = hdr[0:16].decode("ascii").strip().rstrip("/")
        size = int(hdr[48:58].decode("ascii").strip())
        pos += 60
        yield name, blob[pos:pos + size]
        pos += size + (size & 1)   # members are 2-byte aligned


def data_tar(blob):
    """The package's data.tar as an open tarfile."""
    for name, data in ar_members(blob):
        if name.startswith("data.tar"):
            if name.endswith(".zst"):
                raise ValueError("zstd-compressed data.tar is not supported")
            return tarfile.open(fileobj=io.BytesIO(data), mode="r:*")
    raise ValueError("no data.tar member")


def read_file(blob, path, follow_links=True):
    """Bytes of one regular file of the package (path without leading ./)."""
    tar = data_tar(blob)
    members = {m.name.lstrip("./"): m for m in tar.getmembers()}
    path = path.lstrip("/")
    for _ in range(8):
        m = members.get(path)
        if m is None:
            raise KeyError(path)
        if m.issym() and follow_links:
            base = path.rsplit("/", 1)[0] if "/" in path else ""
            target = m.linkname
            path = target.lstrip("/") if target.startswith("/") else f"{base}/{target}"
            continue
        if not m.isfile():
            raise KeyError(f"{path}: not a regular file")
        return tar.extractfile(m).read()
    raise KeyError(f"{path}: too many symbolic links")


def list_files(blob):
    return [m.name.lstrip("./") for m in data_tar(blob).getmembers()]
