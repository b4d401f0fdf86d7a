"""Markdown written by staff must never put script into a visitor's page."""

import re
from html.parser import HTMLParser

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kakehashi.portal.rendering import ALLOWED_ATTRIBUTES, ALLOWED_TAGS, plain_text, render_markdown

ATTACKS = [
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(1)">',
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    '<a href="javascript:alert(1)">x</a>',
    "<iframe src='https://evil.example'></iframe>",
    '<div style="background:url(javascript:alert(1))">x</div>',
    "![pixel](https://tracker.example/p.gif)",
    '<svg onload="alert(1)"></svg>',
    "<object data='x.swf'></object>",
    '<a href="https://example.jp" onclick="steal()">x</a>',
    "<form action='https://evil.example'><input name=p></form>",
    "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
]
FORBIDDEN = [
    "<script",
    "onerror",
    "onload",
    "onclick",
    "javascript:",
    "<iframe",
    "style=",
    "<svg",
    "<object",
    "<form",
    "data:text",
    "tracker.example",
]


@pytest.mark.parametrize("attack", ATTACKS)
def test_attacks_are_neutralised(attack):
    html = render_markdown(f"本文\n\n{attack}\n").lower()
    for bad in FORBIDDEN:
        assert bad not in html, (attack, html)


def test_markdown_features_survive():
    html = render_markdown(
        "# 見出し\n\n- 一つ目\n- 二つ目\n\n[公式サイト](https://www.example.jp)\n\n"
        "| 項目 | 金額 |\n|---|---|\n| 上限 | 100万円 |\n\n"
        "![グラフ](/portal/images/0b7c1f6e-4a1e-4c55-9a55-3b1f6a2d9c10/)"
    )
    assert "<h2>見出し</h2>" in html  # h1 is the page title
    assert "<li>一つ目</li>" in html
    assert '<a href="https://www.example.jp" rel="noopener noreferrer">公式サイト</a>' in html
    assert "<table>" in html
    assert "<td>100万円</td>" in html
    assert 'src="/portal/images/0b7c1f6e-4a1e-4c55-9a55-3b1f6a2d9c10/"' in html
    assert 'alt="グラフ"' in html


def test_plain_text_drops_markup():
    assert plain_text("## 補助金\n\n**上限**<script>x</script>").split() == ["補助金", "上限"]


class _Collector(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, list]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, attrs))


PIECES = st.sampled_from(
    [
        "<script>",
        "</script>",
        "<img src=x onerror=alert(1)>",
        "javascript:",
        "[a](",
        ")",
        "![i](",
        "<a href=",
        '"',
        "'",
        "<svg onload=x>",
        "<style>",
        "<iframe>",
        " onclick=",
        "&#106;avascript:",
        "\n",
        "**",
        "# ",
        "<",
        ">",
        "=",
        "本文",
    ]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(PIECES | st.text(max_size=5), max_size=25).map("".join))
def test_generated_markdown_never_yields_script(text):
    collector = _Collector()
    collector.feed(render_markdown(text))
    for tag, attrs in collector.tags:
        assert tag in ALLOWED_TAGS
        for name, value in attrs:
            assert not name.startswith("on")
            assert name in ALLOWED_ATTRIBUTES.get(tag, set()) | ({"rel"} if tag == "a" else set())
            if name in {"href", "src"} and value:
                # What a browser takes as the scheme: tabs/newlines removed, leading controls and spaces stripped.
                cleaned = re.sub(r"[\t\n\r]", "", value).lstrip("".join(chr(c) for c in range(0x21)))
                scheme = re.match(r"([a-zA-Z][a-zA-Z0-9+.-]*):", cleaned)
                assert scheme is None or scheme.group(1).lower() in {"http", "https", "mailto"}
            if tag == "img" and name == "src":
                assert value.startswith("/portal/images/")
