"""HTML → PDF with WeasyPrint; Noto Sans SC (npm, TTF) is declared with @font-face file:// URLs and embedded."""

from django.conf import settings
from django.template.loader import render_to_string


def font_face_css():
    base = settings.CJK_FONT_DIR
    regular = (base / "400Regular" / "NotoSansSC_400Regular.ttf").as_uri()
    bold = (base / "700Bold" / "NotoSansSC_700Bold.ttf").as_uri()
    return (
        f'@font-face {{ font-family: "Noto Sans SC"; font-weight: 400; src: url("{regular}") format("truetype"); }}\n'
        f'@font-face {{ font-family: "Noto Sans SC"; font-weight: 700; src: url("{bold}") format("truetype"); }}\n'
    )


def render_pdf(template_name, context) -> bytes:
    """Render a template of templates/reports/ to PDF bytes (every glyph from the embedded CJK font)."""
    import weasyprint

    html = render_to_string(template_name, {**context, "font_face_css": font_face_css()})
    return weasyprint.HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()
