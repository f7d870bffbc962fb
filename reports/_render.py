"""Runs in the fork server's children (reports.pdf.html_to_pdf): no Django here, only WeasyPrint."""

import logging

import weasyprint  # imported once by the fork server, shared by every render

logging.getLogger("weasyprint").setLevel(logging.WARNING)


def render_to_pipe(html, base_url, connection):
    try:
        connection.send((True, weasyprint.HTML(string=html, base_url=base_url).write_pdf()))
    except Exception as exc:  # report to the parent; it raises
        connection.send((False, f"{type(exc).__name__}: {exc}"))
    finally:
        connection.close()
