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
    r"chamado|chamada|apelidado|apelidada|apelidados|conhecido\s+como|"
    # renamed: "ribattezzato «…»", "rebautizado como «…»", "renamed “…”"
    r"renamed|rebaptisé|rebaptisée|umbenannt|rebautizado|rebautizada|ribattezzato|"
    r"ribattezzata|rebatizado|rebatizada)"
    # "chiamano affettuosamente «…»": an adverb may come between; "bautizado por la
    # consejería como «…»", "dubbed by residents as “…”": who named it, then "as"
    r"(?:\s+[\w]+(?:mente|ment|ly|weise)"
    r"|\s+(?:by|por|par|da|dal|dalla|von|vom|pelo|pela)\s+[^,;:.“”\"«»„]{1,40}?"
    r"\s+(?:as|como|comme|come|als))?\s*,?\s*$",
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
# A bare article before a quote makes it a term, never a statement: a “crossing fee”, la
# "tassa sul panino", die „Wende“, l'« exception ».
TERM_BEFORE = re.compile(
    r"(?:^|[\s(])(?:the|a|an|la|le|les|il|lo|el|los|las|o|os|der|die|das|den|dem|un|une|"
    r"una|uno|ein|eine|einen|um|uma|[Ll]['’])\s*$",
    re.IGNORECASE,
)
# A title right after the thing it names, with no verb and no punctuation between: "del
# ricettario «A pranzo con la nonna»", "of the brochure “Safe at Home”".
NOUN_BEFORE = re.compile(
    r"\b(?:of\s+the|of\s+a|del|della|dello|dei|delle|du|des|de\s+la|de\s+los|de\s+las|"
    r"do|da|dos|das|der|des|eines|einer)\s+([a-zà-ÿ]{3,})\s*$"
)
