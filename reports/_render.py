"""Runs in the fork server's children (reports.pdf.html_to_pdf): no Django here, only WeasyPrint."""

import logging
import tempfile

import weasyprint  # imported once by the fork server, shared by every render

logging.getLogger("weasyprint").setLevel(logging.WARNING)


def render_to_pipe(html, base_url, connection):
    # WeasyPrint copies each @font-face font (Noto Sans SC: ~21 MB) into a mkdtemp() folder that only its
    # FontConfiguration.__del__ removes — which never runs in a child that ends with os._exit(). Every render
    # therefore gets its own temporary folder, removed here whatever happens.
    previous = tempfile.tempdir
    try:
        with tempfile.TemporaryDirectory(prefix="pdf-render-") as folder:
            tempfile.tempdir = folder
            try:
                connection.send((True, weasyprint.HTML(string=html, base_url=base_url).write_pdf()))
            except Exception as exc:  # report to the parent; it raises
                connection.send((False, f"{type(exc).__name__}: {exc}"))
            finally:
                tempfile.tempdir = previous
    finally:
        connection.close()
