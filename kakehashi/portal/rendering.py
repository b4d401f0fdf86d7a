"""Markdown written by staff → HTML a visitor's browser may safely show.

Markdown passes raw HTML through, so the rendered HTML is sanitised with nh3 (an allow-list: no script, no
event handlers, no style, no iframes; links only http(s)/mailto/relative, with rel="noopener noreferrer" and
external links opened as they are). Images may only come from the portal's own image view, so an article
cannot embed a tracking pixel or a third-party picture.
"""

import markdown
import nh3

ALLOWED_TAGS = {
    "p", "br", "hr", "h2", "h3", "h4", "strong", "em", "del", "code", "pre", "blockquote",
    "ul", "ol", "li", "a", "img", "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title", "width", "height"},
    "th": {"align"},
    "td": {"align"},
}
URL_SCHEMES = {"http", "https", "mailto"}
IMAGE_PREFIX = "/portal/images/"
MARKDOWN_EXTENSIONS = ["tables", "sane_lists", "fenced_code"]


def _attribute_filter(tag: str, attribute: str, value: str) -> str | None:
    if tag == "img" and attribute == "src" and not value.startswith(IMAGE_PREFIX):
        return None  # only the portal's own images
    if attribute in {"width", "height"} and not value.isdigit():
        return None
    return value


def render_markdown(text: str) -> str:
    """Sanitised HTML for `text`. Headings start at h2 (the page's h1 is the article title)."""
    html = markdown.markdown(text or "", extensions=MARKDOWN_EXTENSIONS, output_format="html")
    html = html.replace("<h1>", "<h2>").replace("</h1>", "</h2>")
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        attribute_filter=_attribute_filter,
        url_schemes=URL_SCHEMES,
        clean_content_tags={"script", "style"},
        link_rel="noopener noreferrer",
    )


def plain_text(text: str) -> str:
    """The words of a Markdown text without markup (for search), sanitised to no tags at all."""
    html = markdown.markdown(text or "", extensions=MARKDOWN_EXTENSIONS)
    return nh3.clean(html, tags=set(), clean_content_tags={"script", "style"})
