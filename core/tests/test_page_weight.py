"""Page weight (issue 9 item 15): a page on school Wi-Fi on a phone needs less than 100 KiB cold. Measured as the
browser would fetch 我的工作台 in production mode (DEBUG off, WhiteNoise's compressed, hashed static files): the
HTML, every stylesheet and script it references, and every file those stylesheets load (fonts, images) — gzip sizes."""

import gzip
import re
from pathlib import Path

import pytest
from django.conf import settings as django_settings

pytestmark = pytest.mark.django_db
LIMIT = 100 * 1024
ASSET = re.compile(r"""(?:href|src)=["'](/static/[^"']+)["']""")
CSS_URL = re.compile(r"""url\(\s*["']?(?!data:)([^"')]+)["']?\s*\)""")


def _gzip_size(path: Path) -> int:
    compressed = path.with_name(path.name + ".gz")
    return compressed.stat().st_size if compressed.exists() else len(gzip.compress(path.read_bytes(), 9))


def _static_path(url: str) -> Path:
    return Path(django_settings.STATIC_ROOT) / url.removeprefix(django_settings.STATIC_URL).split("?")[0].split("#")[0]


def transfer(html: str) -> dict:
    """{url: gzip bytes} of what a cold browser downloads for this HTML."""
    sizes = {"(page)": len(gzip.compress(html.encode(), 9))}
    pending = list(dict.fromkeys(ASSET.findall(html)))
    while pending:
        url = pending.pop()
        if url in sizes:
            continue
        path = _static_path(url)
        assert path.exists(), f"{url} is referenced but not collected (make static)"
        sizes[url] = _gzip_size(path)
        if path.suffix == ".css":
            base = url.rsplit("/", 1)[0]
            for ref in CSS_URL.findall(path.read_text(encoding="utf-8")):
                if not ref.startswith("/"):
                    ref = f"{base}/{ref}"
                pending.append(re.sub(r"/[^/]+/\.\./", "/", ref))
    return sizes


def test_workbench_cold_transfer_is_below_100_kib(login, applicant, settings):
    settings.DEBUG = False
    response = login(applicant).get("/")
    assert response.status_code == 200
    sizes = transfer(response.content.decode())
    total = sum(sizes.values())
    assert any("bootstrap.min.css" in url for url in sizes) and any(".js" in url for url in sizes)
    assert not any(url.endswith((".woff", ".woff2")) for url in sizes), "no icon font: icons are inline SVG"
    print(f"workbench cold transfer: {total / 1024:.1f} KiB")
    assert total < LIMIT, f"{total / 1024:.1f} KiB: " + ", ".join(f"{u} {s / 1024:.1f}" for u, s in sizes.items())


def test_every_icon_a_page_shows_is_in_the_icon_subset(login, teaching_affairs, settings):
    """The icon stylesheet holds only the icons the sources name (core/iconset.py): each bi-* class on the pages of a
    busy role must have its rule, or the icon would silently be blank."""
    from django.contrib.staticfiles import finders

    icons_css = Path(finders.find("vendor/icons/icons.css") or "")
    assert icons_css.is_file(), "make deps builds assets/vendor/icons/icons.css (core/iconset.py)"
    defined = set(re.findall(r"\.bi-([a-z0-9-]+)\{", icons_css.read_text(encoding="utf-8")))
    client = login(teaching_affairs)
    used = set()
    for url in ("/", "/applications/", "/applications/calls/", "/notifications/", "/accounts/me/", "/studios/"):
        used |= set(re.findall(r"\bbi-([a-z0-9-]+)", client.get(url).content.decode()))
    assert used and used <= defined, sorted(used - defined)
