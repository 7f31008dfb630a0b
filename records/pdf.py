"""The one PDF renderer: HTML → bytes with WeasyPrint, for every notice, receipt and report.

Three things every PDF needs are decided here, once:

- **What content may fetch.** ``safe_url_fetcher`` serves only our own static files and public
  media files (static read from disk by path after resolving ``..`` and links; media through the
  default storage: MEDIA_ROOT the same way, or S3's public location); ``data:`` images are
  allowed. Everything else — ``file://``, ``http(s)://`` to any host, other schemes, a path
  that escapes the static or media folders — is refused, so an ``<img src>`` typed into a
  rich-text block can neither read the server's files nor reach the network.
- **Fonts.** Chinese renders only with a CJK font installed (scripts/setup.sh installs them).
  ``FONT_ROLES`` names the stacks for the roles GB/T 9704 names, Windows names first so a
  machine that has the real 仿宋 / 小标宋 uses them; fontconfig falls through to what Debian has
  (measured: Noto Serif CJK bold title, AR PL UMing body standing in for 仿宋, WenQuanYi Micro
  Hei for 黑体, AR PL UKai for 楷体). ``missing_fonts()`` says which are absent.
- **No request object**: a plain function of HTML, so tasks and commands render the same.
"""

import mimetypes
import subprocess
from functools import lru_cache
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.exceptions import SuspiciousOperation
from django.core.files.storage import FileSystemStorage, default_storage

# Relative URLs in the HTML resolve against this; the fetcher maps it to our own files only.
BASE_URL = "https://zhidu.local/"
FONT_ROLES = {
    # 小标宋 (title), 仿宋 (body), 黑体 (headings), 楷体 (notes): Windows names, then Debian's.
    "title": ['"方正小标宋简体"', '"FZXiaoBiaoSong-B05S"', '"Noto Serif CJK SC"', "serif"],
    "body": ['"仿宋_GB2312"', '"FangSong"', '"AR PL UMing CN"', "serif"],
    "heading": ['"黑体"', '"SimHei"', '"WenQuanYi Micro Hei"', "sans-serif"],
    "kai": ['"楷体_GB2312"', '"KaiTi"', '"AR PL UKai CN"', "serif"],
}
INSTALLED_FAMILIES = ["Noto Serif CJK SC", "AR PL UMing CN", "WenQuanYi Micro Hei", "AR PL UKai CN"]
MAX_DATA_URL_BYTES = 2 * 1024 * 1024


class RefusedResource(ValueError):
    """Content asked for something the renderer never fetches."""


def font_css() -> str:
    """CSS custom properties for the font roles (templates use var(--font-body) etc.)."""
    rules = "".join(f"--font-{role}: {', '.join(stack)};" for role, stack in FONT_ROLES.items())
    return f":root {{{rules}}}"


@lru_cache(maxsize=1)
def installed_families() -> frozenset[str]:
    try:
        found = subprocess.run(
            ["fc-list", ":", "family"], capture_output=True, text=True, timeout=10, check=False
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return frozenset()
    return frozenset(name.strip() for line in found.splitlines() for name in line.split(","))


def missing_fonts() -> list[str]:
    """The CJK families the templates rely on that fontconfig does not have."""
    return [family for family in INSTALLED_FAMILIES if family not in installed_families()]


def _inside(path: Path, root: Path) -> bool:
    try:
        path.resolve().relative_to(root.resolve())
    except (ValueError, OSError):
        return False
    return True


def _static_file(relative: str) -> Path | None:
    if ".." in Path(relative).parts:
        return None
    found = finders.find(relative)
    if found:
        candidate = Path(found)
        roots = [Path(d) for d in settings.STATICFILES_DIRS] + [Path(settings.STATIC_ROOT)]
        roots += [Path(p).parent for p in finders.searched_locations]
        if any(_inside(candidate, root) for root in roots):
            return candidate
    return None


def _media_file(name: str) -> tuple[str, bytes] | None:
    """A public media file by its storage name: from MEDIA_ROOT (links resolved, never outside
    it) or, with S3 (settings/media.py), read from the public location through the storage."""
    if not name or name.startswith("/") or ".." in PurePosixPath(name).parts:
        return None
    if isinstance(default_storage, FileSystemStorage):
        root = Path(default_storage.location)
        candidate = root / name
        if _inside(candidate, root) and candidate.is_file():
            return candidate.name, candidate.read_bytes()
        return None
    try:
        with default_storage.open(name, "rb") as handle:
            return PurePosixPath(name).name, handle.read()
    except (OSError, ValueError, SuspiciousOperation):
        return None


def local_resource(url: str) -> tuple[str, bytes]:
    """(file name, bytes) of our own static or public media file for an absolute URL (after
    joining with BASE_URL), or RefusedResource."""
    parts = urlsplit(url)
    base = urlsplit(BASE_URL)
    if parts.scheme == base.scheme and parts.netloc == base.netloc:
        path = unquote(parts.path)
        static, media = settings.STATIC_URL, settings.MEDIA_URL
        if path.startswith(static):
            found = _static_file(path[len(static) :])
            if found is not None:
                return found.name, found.read_bytes()
        elif path.startswith(media):
            found = _media_file(path[len(media) :])
            if found is not None:
                return found
    raise RefusedResource(f"not fetched: {url[:200]}")


def _fetcher_class():
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class SafeURLFetcher(URLFetcher):
        """WeasyPrint's fetcher, allowed data: images and our own files and nothing else:
        urllib never sees another URL, so no file:// or network request can happen."""

        def fetch(self, url, headers=None):
            if urlsplit(url).scheme == "data":
                if len(url) > MAX_DATA_URL_BYTES * 2:
                    raise RefusedResource("data URL too large")
                return super().fetch(url, headers)
            name, data = local_resource(url)
            mime_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
            return URLFetcherResponse(url, data, {"Content-Type": mime_type}, status=200)

    return SafeURLFetcher


def safe_url_fetcher():
    """A fetcher for one rendering (records.pdf's rules)."""
    return _fetcher_class()(allowed_protocols=("data", "https"), allow_redirects=False)


def render_pdf(html: str) -> bytes:
    """The PDF of an HTML document (templates/notices/…), fetching only what is allowed."""
    from weasyprint import HTML

    return HTML(string=html, base_url=BASE_URL, url_fetcher=safe_url_fetcher()).write_pdf()
