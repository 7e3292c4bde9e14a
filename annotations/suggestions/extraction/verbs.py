"""The speech verbs the attribution rules know, in English, French, German, Spanish, Italian
and Portuguese, and finding them in a text."""

from __future__ import annotations

import re

_VERB_WORDS = (
    "said says say saying told tells tell added adds explained explains stated states declared "
    "declares announced announces insisted insists argued argues warned warns claimed claims "
    "noted notes stressed stresses emphasized emphasised emphasizes emphasises asked asks "
    "wrote writes recalled recalls concluded concludes replied replies answered answers "
    "admitted admits acknowledged acknowledges maintained maintains suggested suggests "
    "confirmed confirms denied denies alleged alleges asserted asserts observed remarked "
    "continued continues urged urges demanded demands tweeted posted predicted predicts "
    "promised promises commented comments contended contends complained complains cautioned "
    "conceded concedes affirmed affirms reiterated reiterates denounced denounces detailed "
    "details assured assures lamented laments shouted shouts responded responds vowed vows "
    "boasted boasted countered counters quipped mused recounted recounts testified testifies "
    "insisted believes believed thinks thought reported reports "
    # "…,” he said, adding that …": a participle that opens a reported clause
    "adding noting insisting arguing explaining warning claiming stressing "
    # French, German, Spanish, Italian
    "dit déclaré affirmé expliqué ajouté souligné estimé indiqué assuré explique affirme "
    "déclare ajoute estime souligne raconte "
    "sagte sagt erklärte erklärt betonte betont sagten meinte meint fügte warnte "
    "dijo afirmó explicó añadió aseguró señaló declaró advirtió indicó dice explica afirma "
    "asegura "
    "detto dichiarato spiegato affermato aggiunto commentato sottolineato precisato "
    "annunciato ribadito sostenuto ammesso avvertito osservato raccontato "
    "dice dichiara spiega afferma aggiunge sostiene racconta "
    "précisé rappelé reconnu insisté confié prévenu dénoncé regretté répondu assure précise "
    "rappelle reconnaît insiste "
    "versicherte berichtete schrieb antwortete ergänzte räumte kritisierte forderte "
    "betonten erklärten warnten "
    "reconoció contó insistió subrayó sostuvo recordó apuntó agregó respondió lamentó "
    "denunció admitió aseguraron dijeron afirmaron "
    "assicurato replicato confermato evidenziato scritto risposto ricordato "
    "disse afirmou declarou explicou acrescentou garantiu destacou ressaltou contou admitiu "
    "alertou defendeu respondeu sublinhou afirma diz disseram afirmaram anunciou anunció "
    "annoncé annonce kündigte confirmé confirme "
    "cuenta relata relató resume resumió sostiene advierte recuerda lamenta insiste reconoce "
    "subraya apunta comenta comentó añade detalla detalló precisó opina opinó denuncia "
    "lancé glisse glissé confie lâché lâche tranche tranché résume résumé poursuit martèle "
    "soufflé avancé admis admet jugé raconté témoigne témoigné "
    "erzählt erzählte berichtet kritisiert warnt fordert findet glaubt ergänzt teilte teilt "
    "schreibt "
    "sottolinea osserva ricorda avverte conclude commenta ammette confida denuncia "
    "explica conta lembra lembrou avisou sublinha acrescenta garante admite reconhece "
    "reconheceu considera considerou relata relatou frisou salientou "
    # asking and calling for, defending, describing: what news reports as someone's words
    "pediu pede pidió pide chiesto chiede demandé demande defendió defiende défend défendu "
    "verteidigte verteidigt defendeu definito definita definì definisce calificó califica "
    "qualifié qualifie described describes "
    "informó informa informou informaram informaron comunicó comunicou anunciaron alertó "
    "advertiu informé afirmam dizem alegam explicam afirman aseguran explican dicen "
    "affirment expliquent disent sagen erklären dicono affermano spiegano "
    "decía decían comentaba comentaban contaba contaban aseguraba aseguraban "
    "slammed blasted hailed praised criticised criticized condemned räumte räumt "
    "wies weist teilte teilten reminded ironizó ironizou ironizza ironise soupire soupiré "
    "desabafou desabafa adiantou anticipó anticipa recordou lamentou"
    # putting forward and stressing a view; accusing; "informed that" (Indian English)
    " manifestó manifestaron manifiesta planteó plantea plantearon enfatizó enfatiza "
    "ponderó pondera ponderou enfatizou manifestou "
    "accusa accusò accusé accusent acusó acusa acusou "
    "informed informs mitteilte mitteilten mitgeteilt"
)
VERB = r"(?:" + "|".join(sorted(set(_VERB_WORDS.split()), key=len, reverse=True)) + r")"
VERBS = frozenset(_VERB_WORDS.split())
_WORD = re.compile(r"[^\W\d_]+")


def verbs_in(text: str, start: int = 0, end: int | None = None) -> list[re.Match]:
    """Return the speech verbs of text[start:end], as matches (a set lookup per word: one
    regular expression of every verb would try each of them at every position)."""
    words = _WORD.finditer(text, start, len(text) if end is None else end)
    return [
        word
        for word in words
        if word.group().lower() in VERBS
        # "One of the counters", "una denuncia": after an article, a noun
        and not _ARTICLE_BEFORE.search(text, max(0, word.start() - 8), word.start())
    ]


_ARTICLE_BEFORE = re.compile(
    # not "le", "la", "lo", "il": also pronouns ("a-t-il dit", "lo resume así")
    r"\b(?:the|an|their|its|our|el|los|las|une|una|um|uma)\s+$",
    re.IGNORECASE,
)
