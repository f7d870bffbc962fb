"""Runs in the fork server's children (reports.pdf.html_to_pdf): no Django here, only WeasyPrint.

WeasyPrint is imported by the fork server (reports.pdf preloads it) and so shared by every render; this module does
not import it at the top, because the parent — a web or background worker — imports this module too (to name
render_to_pipe to the fork server) and would otherwise carry WeasyPrint's ~22 MB in every process for nothing.
"""

import logging
import tempfile

logging.getLogger("weasyprint").setLevel(logging.WARNING)


def render_to_pipe(html, base_url, connection):
    import weasyprint  # already imported in the fork server: a dictionary lookup here

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
