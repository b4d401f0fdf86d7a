"""Template filters of the registry screens."""

from django import template

register = template.Library()

NTA_DETAIL_URL = "https://www.houjin-bangou.nta.go.jp/henkorireki-johoto.html?selHouzinNo={number}"


@register.filter
def corporate_number(value) -> str:
    """'7000012050002' → '7-0000-1205-0002' (check digit, then the base number in fours)."""
    if not value:
        return ""
    text = str(value)
    if len(text) != 13 or not text.isdigit():
        return text
    return f"{text[0]}-{text[1:5]}-{text[5:9]}-{text[9:]}"


@register.filter
def nta_url(value) -> str:
    """The corporate number's page on 国税庁 法人番号公表サイト."""
    return NTA_DETAIL_URL.format(number=value) if value else ""


@register.filter
def postal_code(value) -> str:
    """'9908570' → '〒990-8570'."""
    if not value or len(str(value)) != 7:
        return value or ""
    return f"〒{str(value)[:3]}-{str(value)[3:]}"
