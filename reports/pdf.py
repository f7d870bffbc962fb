"""HTML → PDF with WeasyPrint; Noto Sans SC (npm, TTF) is declared with @font-face file:// URLs and embedded.

Rendering is bounded in time: WeasyPrint runs in a child process forked from a small fork server (which imported
WeasyPrint once), and a render that takes longer than DOCUMENT_TIMEOUT_S seconds is killed and refused with
DocumentTimeout (a Chinese message). The text limits of the models (core.fields) keep ordinary documents far below it.
"""

import multiprocessing

from django.conf import settings
from django.template.loader import render_to_string

from core.refusals import Refusal

from .safetext import strip_bidi_controls

PDF = "application/pdf"


class DocumentTimeout(Refusal):
    """A document took longer than DOCUMENT_TIMEOUT_S to generate; nothing was produced (a 503 page in Chinese)."""

    status = 503
    title = "文书生成超时"

    def __init__(self, seconds):
        super().__init__(f"文书生成超过 {seconds:g} 秒仍未完成，已停止。请精简内容后重试，或联系系统管理员。")


def font_face_css():
    base = settings.CJK_FONT_DIR
    regular = (base / "400Regular" / "NotoSansSC_400Regular.ttf").as_uri()
    bold = (base / "700Bold" / "NotoSansSC_700Bold.ttf").as_uri()
    return (
        f'@font-face {{ font-family: "Noto Sans SC"; font-weight: 400; src: url("{regular}") format("truetype"); }}\n'
        f'@font-face {{ font-family: "Noto Sans SC"; font-weight: 700; src: url("{bold}") format("truetype"); }}\n'
    )


_context = None


def _process_context():
    """A forkserver context that has WeasyPrint imported: each render is a cheap fork of a single-threaded server
    (forking the threaded web worker itself is unsafe)."""
    global _context
    if _context is None:
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(["weasyprint", "reports._render"])
        _context = context
    return _context


def html_to_pdf(html, base_url, timeout=None) -> bytes:
    """PDF bytes of html, or DocumentTimeout after `timeout` (default DOCUMENT_TIMEOUT_S) seconds."""
    from ._render import render_to_pipe

    timeout = settings.DOCUMENT_TIMEOUT_S if timeout is None else timeout
    context = _process_context()
    receiver, sender = context.Pipe(duplex=False)
    process = context.Process(target=render_to_pipe, args=(html, base_url, sender), daemon=True)
    process.start()
    sender.close()
    try:
        if not receiver.poll(timeout):
            raise DocumentTimeout(timeout)
        ok, payload = receiver.recv()
    except EOFError:
        ok, payload = False, "渲染进程意外退出"
    finally:
        if process.is_alive():
            process.kill()
        process.join(5)
        receiver.close()
    if not ok:
        raise RuntimeError(f"PDF rendering failed: {payload}")
    return payload


def render_pdf(template_name, context) -> bytes:
    """Render a template of templates/reports/ to PDF bytes (every glyph from the embedded CJK font). Bidi override
    characters are stripped from the whole HTML (reports.safetext), so user text cannot reverse a date."""
    html = render_to_string(template_name, {**context, "font_face_css": font_face_css()})
    return html_to_pdf(strip_bidi_controls(html), str(settings.BASE_DIR))
