"""A PDF render leaves no temporary files: WeasyPrint's copies of the CJK fonts (~21 MB per render, in a
mkdtemp() folder only a finaliser removes) filled the disk when every render ran in a child ended by os._exit()."""

import multiprocessing
import tempfile

from django.conf import settings

from reports import _render
from reports.pdf import font_face_css


def test_a_render_leaves_no_temporary_folder(tmp_path, monkeypatch):
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    receiver, sender = multiprocessing.Pipe(duplex=False)
    html = f"<html><head><style>{font_face_css()} body {{ font-family: 'Noto Sans SC'; }}</style></head><body>工作室</body></html>"
    _render.render_to_pipe(html, str(settings.BASE_DIR), sender)  # in this process: no gc.collect() before the check
    ok, payload = receiver.recv()
    assert ok and payload.startswith(b"%PDF-")
    assert list(tmp_path.iterdir()) == []
    assert tempfile.tempdir == str(tmp_path)
