"""ID-card numbers: zero plaintext occurrences in a database dump, any page, any export, any log line, or the 公示.

The person of the matrix world (persona staff) gets a real-format number through the HR service; then every GET row
of the permission matrix is requested as that person, HR, teaching affairs and the admin, every download is opened
(PDF text, docx/xlsx XML), every table of the database is dumped, and every log record is captured.
"""

import io
import logging
import zipfile

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from tests.security.matrix import TARGETS, all_endpoints, build_world, load_matrix, prepare_targets

pytestmark = pytest.mark.django_db
ID_NUMBER = "11010519491231002X"  # the standard's own example; valid check digit


def _variants(number):
    return {number, number.lower(), number[:-1], " ".join(number), f"{number[:6]} {number[6:14]} {number[14:]}"}


def _texts(response):
    """Everything a person could read in the response: HTML/JSON, or the text inside a PDF/docx/xlsx."""
    body = b"".join(response.streaming_content) if response.streaming else response.content
    yield body.decode("utf-8", "replace")
    if body.startswith(b"%PDF") and b"startxref" in body:  # a generated document (stored test files are stubs)
        from pypdf import PdfReader

        yield "".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(body)).pages)
    elif body.startswith(b"PK") and zipfile.is_zipfile(io.BytesIO(body)):
        with zipfile.ZipFile(io.BytesIO(body)) as archive:
            for name in archive.namelist():
                yield archive.read(name).decode("utf-8", "replace")


def _dump_database():
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608 - catalog names
            for row in cursor.fetchall():
                yield table, " ".join(str(v) for v in row)


class _Capture(logging.Handler):
    def __init__(self):
        super().__init__(level=logging.DEBUG)
        self.records = []

    def emit(self, record):
        self.records.append(self.format(record))


def test_id_number_never_appears_in_clear(settings):
    from people import services as people_services

    world = build_world()
    prepare_targets(world)
    person = world.users["staff"]
    people_services.save_profile(by=world.users["hr"], user=person, data={}, id_number=ID_NUMBER)
    needles = _variants(ID_NUMBER)
    # Put the person's application on the 公示 list, so the publicity page and its PDF name them.
    from applications.models import Application
    from tests.security import objects

    publicity = objects.publicity(world)
    Application.objects.filter(pk=objects.application(world, "own").pk).update(
        status="in_publicity", publicity=publicity
    )

    handler = _Capture()
    root = logging.getLogger()
    root.addHandler(handler)
    old_level = root.level
    root.setLevel(logging.DEBUG)
    leaks, pages = [], 0
    try:
        names = {e.name for e in all_endpoints()}
        for viewer in ("staff", "hr", "teaching_affairs", "admin", "inspector"):
            client = Client(raise_request_exception=False)
            client.force_login(world.users[viewer])
            for row in load_matrix():
                if row.method != "GET" or "*" in row.url or ":<" in row.url or row.url not in names:
                    continue
                kwargs = {} if row.target == "-" else TARGETS[row.target.split(":")[0]](world, row.target.split(":")[1])
                url = reverse(row.url, kwargs=kwargs)
                response = client.get(url)
                pages += 1
                for text in _texts(response):
                    leaks += [f"{viewer} {url}" for n in needles if n in text]
            response = client.get(f"/api/v1/people/{person.pk}")
            leaks += [f"{viewer} API person" for text in _texts(response) for n in needles if n in text]
    finally:
        root.removeHandler(handler)
        root.setLevel(old_level)
    leaks += [f"log: {line[:120]}" for line in handler.records for n in needles if n in line]
    leaks += [f"database {table}" for table, text in _dump_database() for n in needles if n in text]
    print(f"\n身份证号扫描：{pages} 个页面/下载、{len(handler.records)} 条日志、整库导出；明文出现 {len(leaks)} 次")
    assert pages > 100
    assert not leaks, leaks[:10]
    # …and it is really stored (encrypted), shown masked to the person themselves.
    client = Client()
    client.force_login(person)
    assert "110***********002X" in client.get(reverse("people:my_record")).content.decode()
    notice = client.get(reverse("applications:publicity_pdf", kwargs={"pk": publicity.pk}))
    assert person.display_name in "".join(_texts(notice))  # the 公示 PDF was really read
