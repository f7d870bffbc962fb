from django.apps import AppConfig


class ReportsConfig(AppConfig):
    """Documents people print: PDFs (WeasyPrint + embedded Noto Sans SC), .docx forms (docxtpl), .xlsx lists."""

    name = "reports"
    verbose_name = "文书与导出"
