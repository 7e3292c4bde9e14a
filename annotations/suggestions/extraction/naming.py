"""What names a thing rather than quoting someone: titles of works, nicknames, slogans, terms
("the film “…”", "known as “…”", "la «…»"), so that they are never suggested as statements."""

from __future__ import annotations

import re

# Words that name what follows: always a title, a name or a term, never a statement.
NAMING_BEFORE = re.compile(
    r"\b(?:headlined|titled|entitled|called|named|dubbed|so-called|hashtag|slogan|motto|"
    r"nicknamed|known\s+as|label(?:led|ed)?|branded|intitulé|Titel|título|term|word|words|"
    r"phrase|"
    # what people call something: "gli isolani chiamano «la Lumaca»", "apelidados de"
    r"appelé|appelée|appellent|appelle|surnommé|surnommée|surnomment|surnomme|baptisé|baptisée|"
    r"genannt|getauft|nennen|nennt|call|calls|chamam|chama|"
    r"llaman|llamado|llamada|apodado|apodada|conocido\s+como|bautizado|"
    r"chiamano|chiamato|chiamata|soprannominato|soprannominata|detto|detta|"
    r"chamado|chamada|apelidado|apelidada|apelidados|conhecido\s+como)"
    # "chiamano affettuosamente «…»": an adverb may come between
    r"(?:\s+[\w]+(?:mente|ment|ly|weise))?\s*,?\s*$",
    re.IGNORECASE,
)
# Works and plans: "the film “…”", "le plan « Ville verte »". A long quote that goes on in
# lower case after them is what someone said of them: "the plan “shifts the burden onto …”".
WORK_BEFORE = re.compile(
    r"\b(?:film|movie|book|novel|song|album|series|show|play|documentary|report|article|"
    r"essay|headline|banner|sign|programme|program|podcast|column|poem|exhibition|operation|"
    r"plan|plano|piano|programa|projet|proyecto|progetto|projeto|loi|ley|legge|Gesetz|"
    r"campagne|campaña|campagna|campanha)\s*,?\s*$",
    re.IGNORECASE,
)
# "la prima esecuzione di «Canti del fiume», brano scritto per l'occasione": a work's title.
WORK_AFTER = re.compile(
    r"^[\s,]*(?:(?:a|an|the|un|une|una|uno|il|el|la|le|o|um|uma|ein|eine|der|die|das)\s+)?"
    r"(?:brano|canzone|song|film|movie|book|novel|album|libro|livre|chanson|roman|Lied|Buch|"
    r"Roman|canción|novela|película|canção|livro|poem|poema|opera|play|pièce|obra|"
    r"documentary|documentaire|documental|documentario|série|serie|series)\b(?![’'])",
    re.IGNORECASE,
)
