"""The stylesheets: split by what they style, and no rule fighting another.

static/css/claimlens.css holds what every page shares (tokens, chrome, components) and is linked
by base.html; each family of pages adds one stylesheet of its own in {% block styles %}. These
tests read the CSS with a small regex-based rule splitter, so they need no CSS library.
"""

import re
from pathlib import Path

import pytest
from django.urls import reverse

from tests.factories import make_article

ROOT = Path(__file__).resolve().parents[1]
CSS_DIR = ROOT / "static" / "css"
TEMPLATES = ROOT / "templates"
SHARED = "claimlens.css"

# Each page template (by file name, so that moving it to another folder keeps its family) and
# the stylesheet of its family; None for the pages that need only the shared one.
FAMILIES = {
    "reader.css": {"article_detail.html"},
    "article-list.css": {"article_list.html", "search.html"},
    "claims.css": {
        "claim_list.html",
        "claim_detail.html",
        "claim_edit.html",
        "label_list.html",
        "label_edit.html",
        "annotation_create.html",
        "annotation_edit.html",
    },
    "collab.css": {
        "agreement.html",
        "annotation_discussion.html",
        "claim_discussion.html",
        "claim_verdicts.html",
        "flag_form.html",
        "history.html",
        "moderation.html",
        "my_claims.html",
        "queues.html",
        "notifications.html",
        "person.html",
        "reply_edit.html",
    },
    "revisions.css": {"revision_list.html", "revision_detail.html", "revision_diff.html"},
    "interop.css": {
        "annotation_import.html",
        "apitoken_list.html",
        "export_page.html",
        "api_constraints.html",
    },
    "suggestions.css": {"where_else.html", "claimant.html"},
    "ingestion.css": {"job_list.html", "job_detail.html", "feed_list.html"},
    None: {"login.html", "lockout.html", "400.html", "429.html"},
}
FAMILY_OF = {name: css for css, names in FAMILIES.items() for name in names}
# The reader page links no stylesheet itself: its styles block holds a slot (articles.reader_hooks)
# that the annotations app fills with this partial, which links the reader's sheet.
# The suggestions capability plugs its panel, and its sheet, into the same page the same way.
STYLE_SLOTS = {
    "article_detail.html": (
        (TEMPLATES / "annotations/reader/includes/_reader_page.html", "reader-styles"),
        (TEMPLATES / "annotations/suggestions/includes/_panel.html", "suggestions-styles"),
    )
}
# What a page loads beyond its family's sheet: the sheets of what plugs into it.
PLUGGED = {"article_detail.html": ["suggestions.css"]}

LINK = re.compile(r"""<link rel="stylesheet" href="{% static ["']css/([\w.-]+\.css)["'] %}">""")
STYLES_BLOCK = re.compile(r"{% block styles %}(.*?){% endblock %}", re.S)

# --- a small CSS reader ----------------------------------------------------------------------

COMMENT = re.compile(r"/\*.*?\*/", re.S)
# Text up to the next brace or semicolon, and that character: preludes end at "{",
# declarations at ";" or at the "}" that closes their block.
TOKEN = re.compile(r"([^{};]*)([{};])")
# A comma between selectors, not one inside :is(), :has() or :not().
SELECTOR_COMMA = re.compile(r",(?![^()]*\))")


def declarations(text: str, source: str = ""):
    """Yield (context, selector, property, value, source) for each declaration of a stylesheet.

    context is the tuple of the @media / @supports (or @keyframes) blocks around the rule; a
    rule for "a, b" yields its declarations once for "a" and once for "b".
    """
    stack: list[str] = []
    for chunk, sep in TOKEN.findall(COMMENT.sub("", text)):
        chunk = " ".join(chunk.split())
        if sep == "{":
            stack.append(chunk)
            continue
        if chunk and ":" in chunk and stack and not stack[-1].startswith("@"):
            prop, value = (part.strip() for part in chunk.split(":", 1))
            *context, selectors = stack
            for selector in SELECTOR_COMMA.split(selectors):
                yield tuple(context), " ".join(selector.split()), prop.lower(), value, source
        if sep == "}":
            if not stack:
                raise ValueError(f"{source}: a '}}' closes nothing")
            stack.pop()
    if stack:
        raise ValueError(f"{source}: {stack[-1]!r} is never closed")


def conflicts(sheets: dict[str, str]) -> list[str]:
    """Return where a selector, in the same context, sets a property to two different values.

    sheets maps a name to the text of each stylesheet loaded together on one page.
    """
    seen: dict[tuple, set[tuple[str, str]]] = {}
    for name, text in sheets.items():
        for context, selector, prop, value, source in declarations(text, name):
            seen.setdefault((context, selector, prop), set()).add((value, source))
    found = []
    for (context, selector, prop), settings in sorted(seen.items()):
        if len({value for value, _ in settings}) > 1:
            where = " / ".join(context) or "top level"
            values = "; ".join(f"{value} ({source})" for value, source in sorted(settings))
            found.append(f"{selector} {{ {prop} }} in {where}: {values}")
    return found


# --- what each page loads --------------------------------------------------------------------


def page_templates() -> dict[str, Path]:
    """Return the templates that extend base.html, by file name."""
    pages: dict[str, Path] = {}
    for path in sorted(TEMPLATES.rglob("*.html")):
        if '{% extends "base.html" %}' in path.read_text():
            assert path.name not in pages, f"two page templates named {path.name}"
            pages[path.name] = path
    return pages


def styles_of(path: Path) -> list[str]:
    """Return the stylesheets a page template adds, after checking they are in its styles block."""
    text = path.read_text()
    in_block = [css for block in STYLES_BLOCK.findall(text) for css in LINK.findall(block)]
    assert LINK.findall(text) == in_block, f"{path}: a stylesheet outside {{% block styles %}}"
    for filler, partial in STYLE_SLOTS.get(path.name, ()):
        assert "reader_slots.styles" in "".join(STYLES_BLOCK.findall(text)), path
        filled = filler.read_text()
        slot = re.findall(rf"{{% partialdef {partial} %}}(.*?){{% endpartialdef %}}", filled, re.S)
        in_slot = [css for block in slot for css in LINK.findall(block)]
        assert LINK.findall(filled) == in_slot, f"{filler}: a stylesheet outside #{partial}"
        in_block += in_slot
    return in_block


def load_sets() -> dict[str, list[str]]:
    """Return, for every page template, the stylesheets a browser loads for it, in order."""
    base = LINK.findall((TEMPLATES / "base.html").read_text())
    sets = {name: base + styles_of(path) for name, path in page_templates().items()}
    sets["503.html"] = LINK.findall((TEMPLATES / "503.html").read_text())
    return sets


def test_base_links_the_shared_sheet_and_leaves_a_block_for_the_page():
    base = (TEMPLATES / "base.html").read_text()
    assert LINK.findall(base) == [SHARED]
    assert "{% block styles %}{% endblock %}" in base
    # The outage page stands alone (no base.html) and needs only the shared look.
    assert LINK.findall((TEMPLATES / "503.html").read_text()) == [SHARED]


def test_each_page_links_only_the_shared_sheet_and_its_familys_own():
    pages = page_templates()
    unclassified = sorted(set(pages) - set(FAMILY_OF))
    assert not unclassified, f"say which family these pages belong to (FAMILIES): {unclassified}"
    gone = sorted(set(FAMILY_OF) - set(pages))
    assert not gone, f"no page template of these names any more: {gone}"
    for name, path in pages.items():
        family = FAMILY_OF[name]
        own = [family] if family else []
        assert styles_of(path) == own + PLUGGED.get(name, []), path


# Sheets of admin pages, which stand on the admin's own styles, not on the site's.
ADMIN_SHEETS = {"import-preview.css": TEMPLATES / "admin/articles/article/import.html"}


def test_every_stylesheet_is_loaded_somewhere_and_every_link_finds_its_file():
    linked = {css for sheets in load_sets().values() for css in sheets}
    present = {path.name for path in CSS_DIR.glob("*.css")} - set(ADMIN_SHEETS)
    assert linked == present
    assert set(FAMILIES) - {None} | {SHARED} == present
    for sheet, page in ADMIN_SHEETS.items():
        assert (CSS_DIR / sheet).exists() and f"css/{sheet}" in page.read_text()


def test_no_selector_sets_a_property_two_ways_on_any_page():
    texts = {path.name: path.read_text() for path in CSS_DIR.glob("*.css")}
    problems = {}
    for sheets in {tuple(s) for s in load_sets().values()}:
        found = conflicts({name: texts[name] for name in sheets})
        if found:
            problems[" + ".join(sheets)] = found
    assert not problems, problems


def test_the_conflict_finder_sees_a_conflict_across_files_lists_and_media():
    first = """
        /* .stack { gap: 9rem } is a comment */
        .stack, .card > div { display: grid; gap: 0.6rem }
        @media (min-width: 40rem) { .stack { gap: 2rem } }
        main:not(:has(> .page, > .list-page)) { margin: 0 auto }
    """
    second = """
        .stack { display: grid; gap: 0.4rem; }
        @media (min-width: 40rem) { .stack { gap: 2rem; } }
        main:not(:has(> .page, > .list-page)) { margin: 0 }
        @supports selector(::details-content) { @media (min-width: 40rem) { .stack { gap: 0 } } }
    """
    assert conflicts({"a.css": first, "b.css": second}) == [
        ".stack { gap } in top level: 0.4rem (b.css); 0.6rem (a.css)",
        "main:not(:has(> .page, > .list-page)) { margin } in top level: 0 (b.css); 0 auto (a.css)",
    ]
    assert conflicts({"a.css": first}) == []
    with pytest.raises(ValueError, match="never closed"):
        list(declarations(".stack { gap: 0", "broken.css"))


# --- the pages as served ------------------------------------------------------------------


def served_stylesheets(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return re.findall(r'<link rel="stylesheet" href="/static/css/([\w.-]+\.css)">', response.text)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("url_name", "family"),
    [
        ("articles:list", "article-list.css"),
        ("annotations:claim-list", "claims.css"),
        ("collab:agreement", "collab.css"),
        ("interop:export-page", "interop.css"),
        ("login", None),
    ],
)
def test_a_page_is_served_with_the_shared_sheet_then_its_own(client, url_name, family):
    assert served_stylesheets(client, reverse(url_name)) == [SHARED] + ([family] if family else [])


@pytest.mark.django_db
def test_the_reader_and_a_revision_load_the_reader_and_the_revision_sheets(client):
    article = make_article()
    reader = served_stylesheets(client, article.get_absolute_url())
    assert reader == [SHARED, "reader.css", "suggestions.css"]
    revision = reverse("articles:revision-list", args=[article.pk])
    assert served_stylesheets(client, revision) == [SHARED, "revisions.css"]
