"""Gather the files of a DCE from a ZIP (nested ZIPs too), a folder or loose files, safely.

Everything stays in memory: nothing is ever written to disk, so a hostile entry name ("../x",
"/etc/x", a link) can never land outside the import. Hostile entries are refused one by one with a
French reason; the rest of the archive is still read.
"""

from __future__ import annotations

import hashlib
import io
import logging
import os
import re
import stat
import zipfile
import zlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from app.dce.names import decode_entry_name
from app.domain.progress import CancelToken

log = logging.getLogger(__name__)

MIB = 1024 * 1024


@dataclass(frozen=True, slots=True)
class ArchiveLimits:
    max_entries: int = 2000  # per archive
    max_entry_size: int = 256 * MIB
    max_total_size: int = 400 * MIB  # everything read from all archives and folders
    max_ratio: float = 200.0  # uncompressed / compressed, checked past ratio_floor
    ratio_floor: int = 2 * MIB
    max_depth: int = 3  # ZIPs nested inside the imported ZIP


@dataclass(frozen=True, slots=True)
class SourceFile:
    path: str  # '/'-separated path inside the DCE
    data: bytes
    sha256: str
    raw_name: bytes | None = None  # the name's bytes on disk when they were not valid UTF-8

    @property
    def meta(self) -> dict[str, str] | None:
        return None if self.raw_name is None else {"original_name_hex": self.raw_name.hex()}

    @property
    def size(self) -> int:
        return len(self.data)

    @property
    def name(self) -> str:
        return self.path.rsplit("/", 1)[-1]


@dataclass(frozen=True, slots=True)
class SourceProblem:
    path: str
    message: str  # French, shown to the user


@dataclass(slots=True)
class Sources:
    source_name: str
    files: list[SourceFile] = field(default_factory=list)
    problems: list[SourceProblem] = field(default_factory=list)


class _Refused(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


# Files every OS sprinkles into folders and archives: never pieces of the DCE.
_JUNK_NAMES = {".ds_store", "thumbs.db", "desktop.ini"}
_DRIVE = re.compile(r"^[A-Za-z]:")


def _is_junk(path: str) -> bool:
    parts = path.split("/")
    name = parts[-1].lower()
    return "__MACOSX" in parts or name in _JUNK_NAMES or name.startswith("~$") or name.startswith("._")


def _is_zip_name(name: str) -> bool:
    return name.lower().endswith(".zip")


def safe_relative(name: str) -> str:
    """The entry path, or _Refused when it would leave the import (absolute, drive, '..')."""
    name = name.replace("\\", "/")
    if name.startswith("/") or _DRIVE.match(name):
        raise _Refused("chemin absolu refusé (l'archive tente d'écrire hors du dossier d'import)")
    parts = [p for p in name.split("/") if p not in ("", ".")]
    if any(p == ".." for p in parts):
        raise _Refused("chemin « .. » refusé (l'archive tente d'écrire hors du dossier d'import)")
    return "/".join(parts)


class _Collector:
    def __init__(self, limits: ArchiveLimits, cancel: CancelToken | None) -> None:
        self.limits = limits
        self.cancel = cancel
        self.total = 0
        self.files: list[SourceFile] = []
        self.problems: list[SourceProblem] = []
        self._paths: set[str] = set()

    def problem(self, path: str, message: str) -> None:
        log.info("import refused an entry: %s", message)
        self.problems.append(SourceProblem(safe_name(path)[0], message))

    def _budget(self, size: int) -> None:
        if self.total + size > self.limits.max_total_size:
            raise _Refused(
                f"taille totale du DCE dépassée (plus de {self.limits.max_total_size // MIB} Mo) : fichier ignoré"
            )

    def add(self, path: str, data: bytes, depth: int, raw_name: bytes | None = None) -> None:
        if self.cancel is not None:
            self.cancel.raise_if_cancelled()
        if _is_zip_name(path):
            self.add_zip(path, data, depth + 1)
            return
        self._budget(len(data))
        self.total += len(data)
        unique = path
        counter = 2
        while unique in self._paths:
            stem, dot, ext = path.rpartition(".")
            unique = f"{stem} ({counter}).{ext}" if dot else f"{path} ({counter})"
            counter += 1
        self._paths.add(unique)
        self.files.append(SourceFile(unique, data, hashlib.sha256(data).hexdigest(), raw_name))

    def add_zip(self, path: str, data: bytes, depth: int, label: str = "") -> None:
        """Read a ZIP found at `path` ("" for the imported archive itself: its content is the root)."""
        label = path or label or "archive"
        if depth > self.limits.max_depth:
            self.problem(
                path,
                f"archive imbriquée trop profonde (plus de {self.limits.max_depth} niveaux) : non ouverte",
            )
            return
        try:
            zf = zipfile.ZipFile(io.BytesIO(data))
        except (zipfile.BadZipFile, OSError, ValueError):
            self.problem(label, "archive ZIP illisible ou endommagée : non ouverte")
            return
        with zf:
            infos = zf.infolist()
            if len(infos) > self.limits.max_entries:
                self.problem(
                    label,
                    f"l'archive contient trop de fichiers ({len(infos)}, maximum {self.limits.max_entries}) : refusée",
                )
                return
            prefix = path[: -len(".zip")] + "/" if path else ""
            for info in infos:
                self._add_entry(zf, info, prefix, depth)

    def _add_entry(self, zf: zipfile.ZipFile, info: zipfile.ZipInfo, prefix: str, depth: int) -> None:
        raw_name = decode_entry_name(info)
        shown = prefix + raw_name
        try:
            rel = safe_relative(raw_name)
            if not rel or raw_name.endswith("/") or info.is_dir():
                return
            path = prefix + rel
            shown = path
            if _is_junk(path):
                return
            mode = info.external_attr >> 16
            if stat.S_ISLNK(mode):
                raise _Refused("lien symbolique refusé")
            if info.flag_bits & 0x1:
                raise _Refused("fichier protégé par un mot de passe dans l'archive : non lu")
            data = self._read(zf, info)
        except _Refused as exc:
            self.problem(shown, exc.message)
            return
        except (zipfile.BadZipFile, zlib.error, OSError, EOFError, NotImplementedError, RuntimeError):
            self.problem(shown, "fichier endommagé dans l'archive : non lu")
            return
        try:
            self.add(path, data, depth)
        except _Refused as exc:
            self.problem(path, exc.message)

    def _read(self, zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes:
        limits = self.limits
        too_big = f"fichier trop volumineux une fois décompressé (plus de {limits.max_entry_size // MIB} Mo) : refusé"
        if info.file_size > limits.max_entry_size:
            raise _Refused(too_big)
        self._budget(info.file_size)
        # Headers can lie: count what really comes out and stop as soon as a cap is crossed.
        out = bytearray()
        with zf.open(info) as fh:
            while chunk := fh.read(MIB):
                out += chunk
                size = len(out)
                if size > limits.max_entry_size:
                    raise _Refused(too_big)
                if size > limits.ratio_floor and size > limits.max_ratio * max(info.compress_size, 1):
                    raise _Refused(
                        "taux de compression anormal (bombe de décompression probable) : fichier refusé"
                    )
                self._budget(size)
        return bytes(out)


def collect_sources(
    paths: Sequence[Path],
    *,
    limits: ArchiveLimits | None = None,
    cancel: CancelToken | None = None,
) -> Sources:
    """Read the DCE given as one ZIP, one folder, or several files (ZIPs among them are opened)."""
    limits = limits or ArchiveLimits()
    collector = _Collector(limits, cancel)
    paths = [Path(p) for p in paths]
    name = safe_name(paths[0].name)[0] if len(paths) == 1 else f"{len(paths)} fichiers"
    for p in paths:
        if p.is_symlink():
            collector.problem(p.name, "lien symbolique refusé")
        elif p.is_dir():
            _collect_folder(collector, p)
        elif p.is_file():
            single_zip = len(paths) == 1 and _is_zip_name(p.name)
            data = _read_file(collector, p, p.name)
            if data is None:
                continue
            if single_zip:
                collector.add_zip("", data, 0, label=p.name)
            else:
                _add_safely(collector, p.name, data)
        else:
            collector.problem(p.name, "fichier introuvable")
    collector.files.sort(key=lambda f: f.path.lower())
    return Sources(name, collector.files, collector.problems)


def safe_name(name: str) -> tuple[str, bytes | None]:
    """A name that can be stored and shown, and the original bytes when they were not valid UTF-8.

    File names are bytes on POSIX: Python hands undecodable ones over with surrogates, which no
    database or screen takes. Such bytes become "_" in the name shown; the bytes are kept."""
    try:
        name.encode("utf-8")
        return name, None
    except UnicodeEncodeError:
        raw = os.fsencode(name)
        return raw.decode("utf-8", errors="replace").replace("\ufffd", "_"), raw


def _add_safely(collector: _Collector, path: str, data: bytes) -> None:
    path, raw = safe_name(path)
    if raw is not None:
        log.info("file name not valid UTF-8: imported under a replacement name")
    try:
        collector.add(path, data, 0, raw)
    except _Refused as exc:
        collector.problem(path, exc.message)


def _read_file(collector: _Collector, path: Path, shown: str) -> bytes | None:
    try:
        size = path.stat().st_size
        if size > collector.limits.max_entry_size:
            collector.problem(
                shown,
                f"fichier trop volumineux (plus de {collector.limits.max_entry_size // MIB} Mo) : refusé",
            )
            return None
        collector._budget(size)
        return path.read_bytes()
    except _Refused as exc:
        collector.problem(shown, exc.message)
    except OSError:
        collector.problem(shown, "fichier illisible (droits d'accès ?)")
    return None


def _collect_folder(collector: _Collector, root: Path) -> None:
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
        here = Path(dirpath)
        for d in list(dirnames):
            if (here / d).is_symlink():
                dirnames.remove(d)
                rel = (here / d).relative_to(root).as_posix()
                collector.problem(rel, "lien symbolique refusé")
        dirnames.sort()
        for fname in sorted(filenames):
            full = here / fname
            rel = PurePosixPath(full.relative_to(root).as_posix()).as_posix()
            if _is_junk(rel):
                continue
            if full.is_symlink():
                collector.problem(rel, "lien symbolique refusé")
                continue
            data = _read_file(collector, full, rel)
            if data is not None:
                _add_safely(collector, rel, data)
