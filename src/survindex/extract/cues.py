"""Cue phrases: negation and denial, plans and speculation, stage, loan vs grant, supply and use."""

from __future__ import annotations

import re


def _rx(*alts: str) -> re.Pattern[str]:
    return re.compile(r"\b(?:" + "|".join(alts) + r")\b", re.IGNORECASE)


NEGATION = _rx(r"(?:does|do|did|has|have|had|is|are|was|were|will|would|could)\s*(?:not|n[’']t)\s+"
               r"(?:own|use|used|using|have|deploy|deployed|operate|buy|bought|purchase|purchased|acquire|"
               r"possess|install|installed|employ|going to use|be used|been used)",
               r"denied", r"denies", r"deny", r"no evidence", r"never (?:used|deployed|bought|purchased|acquired)",
               r"refused to (?:buy|use|deploy|purchase)", r"not (?:own|use|deploy)", r"no longer uses?",
               r"declined to (?:buy|use|purchase)", r"rejected claims", r"false reports?")
SPECULATION = _rx(r"plans? to", r"planned to", r"planning to", r"considering", r"considers?", r"may", r"might",
                  r"could", r"would", r"intends? to", r"hopes? to", r"proposed", r"proposes?", r"seeks? to",
                  r"sought", r"seeking", r"reportedly", r"allegedly", r"rumou?red", r"potential(?:ly)?",
                  r"expected to", r"aims? to", r"in talks", r"exploring", r"pitch(?:ed|es)?", r"interest in",
                  r"showing interest")
# Stage cue words and phrases, strongest stage first (matched on lower-cased words).
STAGE_CUES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("cancelled", ("cancel", "cancelled", "canceled", "cancels", "cancellation", "scrapped", "terminated", "withdrew",
                   "withdrawn", "abandoned", "banned", "ban", "bans", "was rejected", "were rejected", "discontinued",
                   "ended its use", "ended the program", "ended the contract")),
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
_STAGE_SETS = tuple((name, frozenset(c for c in cs if " " not in c), tuple(c for c in cs if " " in c))
                    for name, cs in STAGE_CUES)
_WORD = re.compile(r"[a-z]+")
NEGATION_TRIGGERS = frozenset("not denied denies deny no never refused declined rejected false longer t".split())
SPECULATION_TRIGGERS = frozenset(
    "plan plans planned planning considering consider considers may might could would intend intends hope hopes "
    "proposed propose proposes seek seeks sought seeking reportedly allegedly rumored rumoured potential potentially "
    "expected aim aims talks exploring pitch pitched pitches interest".split())


def words_of(text: str) -> frozenset[str]:
    """Lower-case words of ``text`` (for cheap trigger checks before a regex runs)."""
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
                  r"partnering with", r"contracted with", r"uses?", r"using", r"deploys?", r"deployed",
                  r"licen[cs]es?", r"subscri(?:bes?|bed|ption)", r"worked with",
                  r"working with", r"deal with", r"through", r"by", r"brand", r"vendor", r"purchased",
                  r"bought", r"acquired")
EXPORT_VERB = _rx(r"exports?", r"exported", r"exporters?", r"exporting", r"sells?", r"sold", r"suppl(?:y|ies|ied|ier|iers)",
                  r"supplying", r"is home to", r"based in", r"headquartered in", r"is a major supplier")
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


def clause_separators(sentence: str) -> list[tuple[int, int]]:
    return [m.span() for m in _CLAUSE.finditer(sentence)]


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


_CLAUSE = re.compile(r"[;,:—–(]|\b(?:but|while|whereas|although|though|however|yet)\b", re.IGNORECASE)


def stage_of(text: str, words: frozenset[str] | None = None) -> str:
    """The strongest stage cue in ``text`` (cancelled over suspended over operational …), else unknown."""
    low = text.lower()
    words = words if words is not None else frozenset(_WORD.findall(low))
    for name, singles, phrases in _STAGE_SETS:
        if not words.isdisjoint(singles) or any(p in low for p in phrases):
            return name
    return "unknown"


def flow_type_of(text: str) -> str | None:
    """``loan`` or ``grant`` from the wording, or None."""
    if LOAN.search(text):
        return "loan"
    if GRANT.search(text) and not NOT_MONEY_GRANT.search(text):
        return "grant"
    return None
