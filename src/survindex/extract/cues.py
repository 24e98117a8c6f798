"""Cue phrases: negation and denial, plans and speculation, stage, loan vs grant, supply and use."""

from __future__ import annotations

import re


def _rx(*alts: str) -> re.Pattern[str]:
    return re.compile(r"\b(?:" + "|".join(alts) + r")\b", re.IGNORECASE)


_NEG_VERB = (r"(?:own|use|used|using|have|deploy|deployed|operate|buy|bought|purchase|purchased|acquire|possess|"
             r"install|installed|employ|going to use|be used|been used|supply|supplied|sell|sold|provide|provided|"
             r"receive|received|get|obtain)")
_ADVERBS = r"(?:(?:currently|yet|ever|actually|presently|now|still|really|directly|officially|routinely)\s+){0,2}"
# Denials and refusals. A deployment in their scope is not claimed (see rules.deployment_claims).
NEGATION = _rx(r"(?:does|do|did|has|have|had|is|are|was|were|will|would|could)\s*(?:not|n[’']t)\s+" + _ADVERBS + _NEG_VERB,
               r"denied", r"denies", r"deny", r"no evidence", r"never " + _ADVERBS + _NEG_VERB,
               r"refused to", r"not " + _ADVERBS + r"(?:own|use|deploy)", r"no plans? to",
               r"declined to (?:buy|use|purchase|deploy|acquire)", r"(?:chose|opted|decided) not to (?:buy|use|purchase|"
               r"deploy|acquire|install)", r"rejected claims", r"false reports?",
               r"rejected (?:a |an |the )?(?:plan|proposal|offer|bid|purchase)s?",
               r"(?:abandoned|dropped|shelved|withdrew|scrapped) (?:a |an |the |its |their )?(?:plan|proposal|bid|idea)s? "
               r"(?:[\w,]+ ){0,3}?(?:to|for)",
               r"(?:voted against|voted down|turned down|blocked|vetoed|rejected) (?:a |an |the |its |their )?(?:proposed )?"
               r"(?:plan|proposal|pilot|purchase|contract|bid|offer|request)s?",
               r"(?:plan|proposal|bid|offer|request)s? (?:to|for) (?:[\w’'-]+ ){1,8}?(?:was|were|has been|have been|had been) "
               r"(?:rejected|abandoned|dropped|shelved|scrapped|withdrawn|blocked|vetoed|turned down|voted down)")
SPECULATION = _rx(r"plans? to", r"planned to", r"planning to", r"considering", r"considers?", r"may", r"might",
                  r"could", r"would", r"intends? to", r"hopes? to", r"proposed", r"proposes?", r"seeks? to",
                  r"sought", r"seeking", r"reportedly", r"allegedly", r"rumou?red", r"potential(?:ly)?",
                  r"expected to", r"aims? to", r"in talks", r"exploring", r"pitch(?:ed|es)?", r"interest in",
                  r"showing interest", r"whether")
# Stage cue words and phrases, strongest stage first (matched on lower-cased words).
STAGE_CUES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("cancelled", ("cancel", "cancelled", "canceled", "cancels", "cancellation", "scrapped", "terminated", "withdrew",
                   "withdrawn", "abandoned", "banned", "ban", "bans", "was rejected", "were rejected", "discontinued",
                   "ended its use", "ended the program", "ended the contract", "ended its contract", "not to renew",
                   "stopped using", "stopped use", "no longer uses", "no longer use", "no longer using")),
    ("suspended", ("suspend", "suspended", "suspends", "paused", "halted", "moratorium", "put on hold", "on hold",
                   "under review")),
    ("operational", ("use", "uses", "used", "using", "utilize", "utilizes", "utilise", "utilises", "operate", "operates", "operated", "operating", "deploys", "deployed",
                     "in use", "employ", "employs", "relies on", "flies", "fly", "flew", "monitor", "monitors",
                     "monitored", "has had", "runs", "running", "issues", "launched", "operational",
                     "went live", "requires all officers")),
    ("installed", ("installed", "installing", "delivered", "handed over", "equipped", "outfitted", "mounted",
                   "received", "acquired", "obtained", "completed", "set up", "affixes", "adopted", "placed")),
    ("contracted", ("purchased", "purchase", "bought", "contract", "contracted", "signed", "agreement", "approved",
                    "awarded", "procured", "spent", "spend", "budget", "loan", "grant", "financed", "finances",
                    "financing", "funded", "credit", "provide", "provides", "donates", "donated", "donation")),
    ("announced", ("plan to", "plans to", "planned", "announced", "announces", "intend", "intends", "will",
                   "proposed", "memorandum", "mou", "hope to", "hopes to", "seeking", "seeks", "pilot", "testing",
                   "test", "developing", "considering")),
)
_STAGE_SETS = tuple((name, frozenset(c for c in cs if " " not in c),
                     tuple((c.split()[0], c) for c in cs if " " in c)) for name, cs in STAGE_CUES)
_STAGE_WORDS = frozenset(w for _, singles, phrases in _STAGE_SETS for w in (*singles, *(f for f, _ in phrases)))
_WORD = re.compile(r"[a-z]+")
NEGATION_TRIGGERS = frozenset("not denied denies deny no never refused declined rejected false t abandoned dropped "
                               "shelved withdrew scrapped plan plans proposal proposals bid bids offer offers request "
                               "requests voted turned blocked vetoed".split())
SPECULATION_TRIGGERS = frozenset(
    "plan plans planned planning considering consider considers may might could would intend intends hope hopes "
    "proposed propose proposes seek seeks sought seeking reportedly allegedly rumored rumoured potential potentially "
    "expected aim aims talks exploring pitch pitched pitches interest whether".split())


_LETTERS_ONLY = bytes(c + 32 if 65 <= c <= 90 else c if 97 <= c <= 122 else 32 for c in range(256))


def words_of(text: str) -> frozenset[str]:
    """Lower-case words (runs of a-z) of ``text`` (for cheap trigger checks before a regex runs)."""
    if text.isascii():  # the same words, by a byte table instead of a regex
        return frozenset(text.encode("ascii").translate(_LETTERS_ONLY).decode("ascii").split())
    return frozenset(_WORD.findall(text.lower()))
LOAN = _rx(r"loans?", r"buyer[’']?s credit", r"export credit", r"credit line", r"line of credit", r"lending",
           r"lent", r"concessional", r"preferential", r"borrow(?:ed|s|ing)?", r"financing facility")
GRANT = _rx(r"grants?", r"granted", r"donat(?:es|ed|ion|ions|ing)", r"gifts?", r"gifted", r"aid", r"free of charge",
            r"gratis", r"in[- ]kind", r"handed over", r"contribut(?:es|ed|ion)")
NOT_MONEY_GRANT = _rx(r"grants? (?:access|permission|approval)")
FUNDING_ONLY = _rx(r"provides? funding", r"provided funding", r"financing", r"finances", r"funds")
FINANCE_VERB = _rx(r"provides?", r"provided", r"donat(?:es|ed)", r"grants?", r"granted", r"loans?", r"lends?",
                   r"lent", r"finances?", r"financed", r"funds?", r"funded", r"gives", r"gave", r"contributes",
                   r"hands? over", r"handed over", r"credit", r"financing")
SUPPLY_VERB = _rx(r"suppl(?:y|ies|ied|ying)", r"sold", r"sells?", r"selling", r"provided", r"provides?",
                  r"manufactured by", r"made by", r"built by", r"developed by", r"installed by", r"from",
                  r"contract with", r"agreement with", r"partnership with", r"partnered with", r"partners with",
                  r"partnering with", r"contracted with", r"uses?", r"used", r"using", r"tested", r"trial(?:l)?ed", r"trials? of", r"piloted", r"pilots? of", r"deploys?", r"deployed",
                  r"licen[cs]es?", r"subscri(?:bes?|bed|ption)", r"worked with",
                  r"working with", r"deal with", r"through", r"by", r"brand", r"vendor", r"purchased",
                  r"bought", r"acquired")
EXPORT_VERB = _rx(r"exports?", r"exported", r"exporters?", r"exporting", r"sells?", r"sold", r"suppl(?:y|ies|ied|ier|iers)",
                  r"supplying", r"is home to", r"based in", r"headquartered in", r"is a major supplier")
EXPORT_TRIGGERS = frozenset("export exports exported exporter exporters exporting sell sells sold supply supplies "
                            "supplied supplier suppliers supplying home based headquartered".split())
# Access without ownership: "does not own a cell-site simulator, but … can access one maintained by the Marshals"
ACCESS = _rx(r"access(?:es|ed|ing)?", r"borrow(?:s|ed|ing)?", r"shar(?:e|es|ed|ing) (?:with|by)", r"maintained by",
             r"owned by", r"operated by", r"on loan", r"loaned", r"relies on", r"rely on", r"through (?:the|a|an)")
STRONG_PREP = re.compile(r"(?:\b(?:in|around|across|throughout|to|for|within|of)\s+(?:the\s+)?)$", re.IGNORECASE)
USER_NOUN = _rx(r"police", r"authorities", r"government", r"ministry", r"army", r"military", r"security forces",
                r"law enforcement", r"officials", r"municipality", r"city", r"state", r"agencies", r"agency",
                r"force", r"interior ministry", r"public security", r"sheriff", r"department", r"cities",
                r"regime", r"administration", r"customs", r"border guards?")
ANAPHOR = _rx(r"the country", r"the nation", r"the government", r"the state", r"the authorities",
              r"the country[’']s", r"its government", r"the regime")
SURVEILLANCE_WORD = _rx(r"surveillance", r"technolog(?:y|ies)", r"ai", r"artificial intelligence", r"suppl(?:y|ying|ies|ier|iers)",
                        r"cameras?", r"facial", r"smart cit(?:y|ies)", r"safe cit(?:y|ies)", r"found in", r"exports?")
MANY_COUNTRIES = _rx(r"countries", r"nations", r"governments", r"around the world", r"worldwide", r"globally")
MANY_TRIGGERS = frozenset({"countries", "nations", "governments", "world", "worldwide", "globally"})
ANAPHOR_TRIGGERS = frozenset({"country", "nation", "government", "state", "authorities", "regime"})


def clause_separators(sentence: str, words: frozenset[str] | None = None) -> list[tuple[int, int]]:
    """Spans of clause separators; ``words`` (the sentence's lower-case words) lets punctuation-only text skip
    the contrastive-word search."""
    rx = _CLAUSE_PUNCT if words is not None and words.isdisjoint(_CONTRAST) else _CLAUSE
    return [m.span() for m in rx.finditer(sentence)]


def clause_bounds(sentence: str, pos: int, seps: list[tuple[int, int]] | None = None) -> tuple[int, int]:
    """The clause (between commas, semicolons, dashes or contrastive words) that contains ``pos``."""
    a, b = 0, len(sentence)
    for start, end in clause_separators(sentence) if seps is None else seps:
        if end <= pos:
            a = end
        elif start >= pos:
            b = start
            break
    return a, b


_CONTRAST = frozenset({"but", "while", "whereas", "although", "though", "however", "yet"})
_CLAUSE = re.compile(r"[;,:—–(]|\b(?:" + "|".join(sorted(_CONTRAST)) + r")\b", re.IGNORECASE)
_CLAUSE_PUNCT = re.compile(r"[;,:—–(]")


def stage_of(text: str, words: frozenset[str] | None = None) -> str:
    """The strongest stage cue in ``text`` (cancelled over suspended over operational …), else unknown."""
    low = text.lower()
    words = words if words is not None else frozenset(_WORD.findall(low))
    if words.isdisjoint(_STAGE_WORDS):
        return "unknown"  # no single cue word and no phrase's first word: nothing can match
    for name, singles, phrases in _STAGE_SETS:
        if not words.isdisjoint(singles):
            return name
        for first, phrase in phrases:
            if first in words and phrase in low:
                return name
    return "unknown"


def flow_type_of(text: str, words: frozenset[str] | None = None) -> str | None:
    """``loan`` or ``grant`` from the wording, or None (``words``: the text's lower-case words, to skip early)."""
    if words is not None and words.isdisjoint(FLOW_TRIGGERS):
        return None
    if LOAN.search(text):
        return "loan"
    if GRANT.search(text) and not NOT_MONEY_GRANT.search(text):
        return "grant"
    return None


def finance_verb(text: str, words: frozenset[str] | None = None) -> re.Match[str] | None:
    """The first funding verb ("provides", "grants", "lends" …) in ``text``."""
    if words is not None and words.isdisjoint(FINANCE_TRIGGERS):
        return None
    return FINANCE_VERB.search(text)


# Every word that can start a LOAN, GRANT or FINANCE_VERB match (a text with none of them cannot match).
FLOW_TRIGGERS = frozenset(
    "loan loans buyer buyers credit export lending lent concessional preferential borrow borrowed borrows borrowing "
    "financing grant grants granted donates donated donation donations donating gift gifts gifted aid free gratis "
    "kind handed contributes contributed contribution".split())
FINANCE_TRIGGERS = frozenset(
    "provide provides provided donates donated grant grants granted loan loans lend lends lent finance finances "
    "financed fund funds funded gives gave contributes hand hands handed credit financing".split())
