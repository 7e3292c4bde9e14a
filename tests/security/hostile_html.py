"""Hostile Markdown and HTML for the sanitising tests: XSS vectors in every form we could find.

Assembled for Claimlens from the vectors in OWASP's XSS filter evasion cheat sheet, the big
list of naughty strings' script-injection section, html5sec.org and the attacks that worked
here (escaped markup after a block tag the sanitiser strips). Every vector calls alert(), so a
browser test can count executions with one dialog hook.
"""

from __future__ import annotations

import html

from hypothesis import strategies as st

VECTORS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//xss.example/x.js></SCRIPT>",
    "<img src=x onerror=alert(1)>",
    '<img src=x onerror="alert(1)"/>',
    '<IMG SRC="javascript:alert(1);">',
    "<IMG SRC=javascript:alert(1)>",
    "<IMG SRC=JaVaScRiPt:alert(1)>",
    "<IMG SRC=`javascript:alert(1)`>",
    '<IMG """><SCRIPT>alert(1)</SCRIPT>"\\>',
    "<IMG SRC=&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)>",
    "<IMG SRC=&#x6A&#x61&#x76&#x61&#x73&#x63&#x72&#x69&#x70&#x74&#x3A;alert(1)>",
    '<IMG SRC="jav\tascript:alert(1);">',
    '<IMG SRC="jav&#x0A;ascript:alert(1);">',
    "<svg onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    "<svg><animate onbegin=alert(1) attributeName=x dur=1s>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "<body onload=alert(1)>",
    '<iframe src="javascript:alert(1)"></iframe>',
    '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
    '<object data="javascript:alert(1)"></object>',
    '<embed src="javascript:alert(1)">',
    '<a href="javascript:alert(1)">link</a>',
    '<a href="JAVASCRIPT:alert(1)">link</a>',
    '<a href="&#106;avascript:alert(1)">link</a>',
    '<a href=" javascript:alert(1)">link</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">link</a>',
    '<a href="vbscript:alert(1)">link</a>',
    "<a href=x onmouseover=alert(1)>hover</a>",
    '<p style="background:url(javascript:alert(1))">styled</p>',
    '<div style="width: expression(alert(1));">old IE</div>',
    "<style>@import 'javascript:alert(1)';</style>",
    '<link rel=stylesheet href="javascript:alert(1)">',
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    '<base href="javascript:alert(1)//">',
    '<form action="javascript:alert(1)"><button>go</button></form>',
    "<input onfocus=alert(1) autofocus>",
    "<select onfocus=alert(1) autofocus>",
    "<textarea onfocus=alert(1) autofocus>",
    "<keygen onfocus=alert(1) autofocus>",
    '<video><source onerror="alert(1)"></video>',
    "<audio src=x onerror=alert(1)>",
    "<details open ontoggle=alert(1)>",
    "<marquee onstart=alert(1)>",
    "<isindex type=image src=1 onerror=alert(1)>",
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
    "<xmp><img src=x onerror=alert(1)></xmp>",
    "<plaintext><img src=x onerror=alert(1)>",
    "<template><img src=x onerror=alert(1)></template>",
    "<title><img src=x onerror=alert(1)></title>",
    "<!--<img src=x onerror=alert(1)>-->",
    "<![CDATA[<img src=x onerror=alert(1)>]]>",
    "<scr<script>ipt>alert(1)</scr</script>ipt>",
    "<<script>alert(1);//<</script>",
    "<img src=x:alert(1) onerror=eval(src)>",
    "<img/src=x/onerror=alert(1)>",
    "<img src=x onerror\x0b=alert(1)>",
    "<img src=x onerror\x00=alert(1)>",
    '"><img src=x onerror=alert(1)>',
    "'><img src=x onerror=alert(1)>",
    "</p><img src=x onerror=alert(1)><p>",
    "[link](javascript:alert(1))",
    "[link](JaVaScRiPt:alert(1))",
    "[link](javascript&#58;alert(1))",
    "[link](<javascript:alert(1)>)",
    '![image](x" onerror="alert(1))',
    "[ref]\n\n[ref]: javascript:alert(1)",
    "<javascript:alert(1)>",
    "`<img src=x onerror=alert(1)>`",
    "```\n<script>alert(1)</script>\n```",
    '[a](https://example.org "title" onmouseover="alert(1)")',
    '<a href="https://example.org" title="x" onclick="alert(1)">x</a>',
    '<q cite="javascript:alert(1)">q</q>',
    '<time datetime="x" onmouseover="alert(1)">t</time>',
    '<abbr title="&quot; onmouseover=&quot;alert(1)">a</abbr>',
    '<td colspan="1 onmouseover=alert(1)">c</td>',
    '<p class="caption" id="b1" data-start="0" onclick="alert(1)">forged block</p>',
    '<p data-start="9999" id="article-body">forged offsets</p>',
]

# Block tags the sanitiser strips while keeping their content: the stored XSS of issue 12
# lived after them, when their (entity-decoded) text was re-parsed as HTML.
STRIPPED_BLOCKS = [
    "article", "aside", "nav", "header", "footer", "main", "details", "summary", "address",
    "center", "fieldset", "hgroup", "search", "dialog", "menu", "font",
]  # fmt: skip


def escaped(vector: str) -> str:
    """Return the vector as escaped text: what must stay text, however it is re-read."""
    return html.escape(vector, quote=False)


def double_escaped(vector: str) -> str:
    return html.escape(html.escape(vector, quote=False), quote=False)


MARKDOWN_PIECES = [
    "\n\n", "\n", "> ", "- ", "1. ", "# ", "    ", "**", "*", "_", "`", "[", "](", ")", "|",
    "---\n", "~~~\n", "{: .caption }", "\\", "&amp;", "&lt;", "&#60;", "&#x3C;", " ", "word",
    "mot", "Wort", "слово", "كلمة", "词",
]  # fmt: skip


@st.composite
def hostile_documents(draw) -> str:
    """Return a document mixing vectors (raw, escaped, double escaped), blocks and Markdown."""
    parts = []
    for _ in range(draw(st.integers(min_value=1, max_value=4))):
        vector = draw(st.sampled_from(VECTORS))
        form = draw(st.sampled_from([str, escaped, double_escaped]))
        piece = form(vector)
        for _ in range(draw(st.integers(min_value=0, max_value=3))):
            tag = draw(st.sampled_from(STRIPPED_BLOCKS + ["div", "blockquote", "p", "li", "b"]))
            piece = f"<{tag}>{draw(st.sampled_from(['', 'Hi ', 'x', '&amp; ']))}{piece}</{tag}>"
        parts.append(piece)
        parts.append("".join(draw(st.lists(st.sampled_from(MARKDOWN_PIECES), max_size=6))))
    return "".join(parts)


def importable(document: str) -> str:
    """Return the document without control characters, which file imports refuse outright."""
    return "".join(c for c in document if c.isprintable() or c in "\t\n")


def every_vector_once() -> str:
    """Return one document holding every vector raw, escaped and after a stripped block."""
    sections = []
    for number, vector in enumerate(VECTORS):
        block = STRIPPED_BLOCKS[number % len(STRIPPED_BLOCKS)]
        sections.append(f"Vector {number}: {vector}")
        sections.append(f"<{block}>Hi {escaped(vector)} there</{block}>")
        sections.append(f"<{block}>{double_escaped(vector)}</{block}>")
    return "\n\n".join(sections)
