"""Technology patterns the phrase automaton cannot express: head nouns with modifiers, verb–object pairs and
coordinated nouns ("sensors that listen for gunfire", "monitors Twitter and Facebook", "facial and licence plate
recognition"). Each family is guarded by a word set, so a sentence without a trigger word costs one set test."""

from __future__ import annotations

import re
from dataclasses import dataclass

_W = r"(?:[\w’'-]+\s+)"  # one word and its following space


@dataclass(frozen=True)
class _Pattern:
    """A regex and the words a sentence must have before it is worth running: every word of ``all_of`` and at
    least one word of each set in ``any_of`` (lower-case letter runs, as ``cues.words_of`` splits them)."""

    rx: re.Pattern[str]
    all_of: frozenset[str]
    any_of: tuple[frozenset[str], ...]
    index: frozenset[str]

    def ready(self, words: frozenset[str]) -> bool:
        if not self.all_of <= words:
            return False
        for a in self.any_of:
            if words.isdisjoint(a):
                return False
        return True


@dataclass(frozen=True)
class _Family:
    key: str
    patterns: tuple[_Pattern, ...]


def _p(pattern: str, all_of: str = "", *any_of: str, index: str = "") -> _Pattern:
    """``index``: the words a sentence is looked up by (default: the first ``any_of`` set, else ``all_of``);
    the rarest required set, so that common words ("police", "surveillance") do not wake the pattern."""
    sets = tuple(frozenset(a.split()) for a in any_of)
    return _Pattern(re.compile(pattern, re.IGNORECASE), frozenset(all_of.split()), sets,
                    frozenset(index.split()) or (sets[0] if sets else frozenset(all_of.split())))


def _family(key: str, *patterns: _Pattern) -> _Family:
    return _Family(key, patterns)


_PLATE = r"(?:licen[cs]e|number|registration|tag)[- ]plates?"
_GUN = r"gun(?:shots?|fire|-?fire)"
_GUN_CUE = r"(?:detect\w*|sens(?:or|ors|ing)|listen\w*|locat\w*|alert\w*|acoustic|microphones?|triangulat\w*|pinpoint\w*)"
_SOCIAL = (r"(?:social[- ]media|twitter|facebook|instagram|tiktok|youtube|reddit|snapchat|telegram|weibo|"
           r"online (?:posts|forums|chatter|activity)|public posts|tweets)")
_WATCH = r"(?:monitor\w*|track\w*|scan\w*|surveil\w*|comb\w*|trawl\w*|sift\w*|mine|mines|mining|flag\w*|search(?:es|ed|ing)?)"

_PLATE_WORDS = "licence license number registration tag"
_CENTRE = "center centre centers centres"
FAMILIES: tuple[_Family, ...] = (
    # plate + reading noun, or a reading verb + plates: "licence plate alerts", "captures license plates"
    _family("license_plate_recognition",
            _p(r"\bplate[- ](?:read(?:ing|ers?)|scann(?:ing|ers?)|recogni[sz]ing|captur(?:e|ing))\b", "plate",
               "reading reader readers scanning scanner scanners recognising recognizing capture capturing"),
            _p(_PLATE + r"\s+(?:reader\w*|reading|data|alerts?|scan\w*|captur\w*|cameras?|recognition|images?|"
                        r"hits?|databases?|detections?|information|photos?|records?|analytics)\b",
               "", "plate plates", _PLATE_WORDS),
            _p(r"\b(?:captur\w*|read\w*|scan\w*|record\w*|photograph\w*|log\w*|track\w*)\s+" + _W + r"{0,3}?"
               + _PLATE + r"\b", "", "plate plates", _PLATE_WORDS)),
    # gunfire within a few words of a detection verb or sensor noun, in either order
    _family("gunshot_detection",
            _p(r"\b" + _GUN_CUE + r"\s+" + _W + r"{0,4}?" + _GUN + r"\b" + "|"
               r"\b" + _GUN + r"\s+" + _W + r"{0,2}?" + _GUN_CUE + r"\b", "", "gunshot gunshots gunfire gun")),
    # watching social platforms: "monitors Twitter and Facebook", "scans students' public posts on Instagram"
    _family("social_media_monitoring",
            _p(r"\b" + _WATCH + r"\s+" + _W + r"{0,4}?" + _SOCIAL + r"\b", "",
               "social twitter facebook instagram tiktok youtube reddit snapchat telegram weibo online tweets posts"),
            _p(r"\b(?:social[- ]media|twitter|facebook|instagram|tiktok)\s+(?:accounts\s+|posts\s+|activity\s+)?"
               r"(?:monitoring|surveillance|tracking|listening|scanning|analysis|analytics|investigations?)\b", "",
               "social twitter facebook instagram tiktok")),
    # crime forecasting and predictive software, e-police, police information systems, real-time crime centres
    _family("smart_policing",
            _p(r"\bcrimes?[- ](?:prediction|predicting|forecast\w*|mapping software|hot ?spot (?:software|analysis))\b",
               "", "prediction predicting forecast forecasts forecasting forecasted mapping hot hotspot spot",
               "crime crimes"),
            _p(r"\b(?:predict\w*|forecast\w*)\s+(?:where\s+|when\s+)?" + _W + r"{0,2}?crimes?\b", "",
               "predict predicts predicting predicted prediction forecast forecasts forecasting forecasted",
               "crime crimes"),
            _p(r"\bpredictive\s+(?:software|models?|algorithms?|tools?|programs?|analytics)\b", "predictive"),
            _p(r"\be-?police\b", "", "epolice e"),
            _p(r"\bsmart[- ]polic\w+\b", "smart"),
            _p(r"\bpolice\s+(?:information|intelligence|data)\s+(?:systems?|platforms?|networks?)\b", "police",
               "information intelligence data"),
            _p(r"\breal[- ]time\s+(?:crime|intelligence|information)\s+(?:cent(?:er|re)s?|units?|hubs?)\b",
               "real time", "crime intelligence information", index="real")),
    # integrated command, control and communication centres; emergency response centres
    _family("safe_city",
            _p(r"\bcommand[ ,]+(?:and\s+)?control\b", "command control"),
            _p(r"\b(?:police|security|public security|integrated|city|emergency)\s+command\s+(?:and\s+\w+\s+)?"
               r"cent(?:er|re)s?\b", "command", _CENTRE),
            _p(r"\bemergency\s+(?:response|command|dispatch)\s+cent(?:er|re)s?\b", "emergency", _CENTRE),
            _p(r"\bC[2-5]I\b", "c i"),
            _p(r"\bintegrated\s+(?:public\s+)?security\s+(?:cent(?:er|re)|systems?|platforms?|networks?|solutions?)\b",
               "integrated security"),
            _p(r"\bcommand\s+(?:and\s+)?dispatch\b", "command dispatch")),
    # surveillance gear given to or bought for a security body: "surveillance equipment for the National Police"
    _family("video_surveillance",
            _p(r"\bsurveillance\s+(?:equipment|devices|hardware|gear|kits?|technolog(?:y|ies))\s+(?:for|to)\s+(?:the\s+)?"
               r"(?:[\w’'-]+\s+){0,3}?(?:police|ministry|security|army|gendarmerie|forces?|guards?|interior|sheriff|"
               r"department|governments?)\b", "surveillance",
               "equipment devices hardware gear kit kits technology technologies", "for to"),
            _p(r"\b(?:border|security|police|public security)\s+surveillance\s+(?:equipment|devices|hardware|kits?)\s+"
               r"(?:project|programme|program|procurement)\b", "surveillance", "equipment devices hardware kit kits",
               "project programme program procurement"),
            # "border surveillance and monitoring equipment", "border security monitoring equipment"
            _p(r"\bborder\s+(?:security\s+)?(?:surveillance|monitoring)\s+(?:and\s+\w+\s+)?(?:equipment|devices|hardware|"
               r"systems?|kits?)\b", "border", "surveillance monitoring", "equipment devices hardware system systems kit kits")),
    # devices that pose as a phone mast: "a tracking device that mimics a cell tower"
    _family("cell_site_simulator",
            _p(r"\b(?:mimic\w*|impersonat\w*|simulat\w*|emulat\w*|fake|masquerad\w*(?:\s+as)?)\s+(?:\w+\s+){0,2}?"
               r"(?:cell(?:ular)?|cell[- ]phone|mobile(?:[- ]phone)?)[- ](?:towers?|sites?|masts?|base stations?)\b", "",
               "mimic mimics mimicking impersonate impersonates simulate simulates emulate emulates fake masquerades")),
    # a camera registry under any wording: "residents register their home cameras with police"
    _family("video_surveillance",
            _p(r"\bregist(?:er|ers|ered|ering|ry|ration)\s+" + _W + r"{0,4}?cameras?\b", "",
               "register registers registered registering registry registration", "camera cameras")),
    # software or cameras that match faces: "cameras that can match faces captured on patrol against a database"
    _family("facial_recognition",
            _p(r"\b(?:match(?:es|ed|ing)?|recogni[sz](?:e|es|ed|ing)|identif(?:y|ies|ied|ying)|compar(?:e|es|ed|ing)|"
               r"scan(?:s|ned|ning)?)\s+(?:the\s+)?(?:\w+\s+){0,2}?faces\b", "faces")),
    # officers wearing cameras
    _family("body_worn_camera",
            _p(r"\b(?:officers?|deputies|deputy|police)\s+" + _W + r"{0,3}?wear(?:s|ing)?\s+" + _W + r"{0,2}?cameras?\b",
               "", "wear wears wearing", "camera cameras")),
)

# coordination ellipsis: "facial and licence plate recognition" also names facial recognition
_ELLIPSIS = re.compile(r"\b(face|facial|iris|voice|fingerprint|licen[cs]e[- ]plate|number[- ]plate)"
                       r"(?:\s*,\s*|\s+(?:and|or|&)\s+)" + _W + r"{0,3}?(?:recognition|identification|scanning)\b",
                       re.IGNORECASE)
_ELLIPSIS_KEY = {"face": "facial_recognition", "facial": "facial_recognition", "iris": "biometrics",
                 "voice": "biometrics", "fingerprint": "biometrics"}
_ELLIPSIS_TRIGGERS = frozenset({"recognition", "identification", "scanning"})
_ELLIPSIS_HEADS = frozenset({"face", "facial", "iris", "voice", "fingerprint", "licence", "license", "number"})

def _index() -> dict[str, tuple[tuple[int, _Pattern], ...]]:
    """Trigger word -> the (family index, pattern) pairs that need it (each pattern under its ``index`` words)."""
    index: dict[str, list[tuple[int, _Pattern]]] = {}
    for i, fam in enumerate(FAMILIES):
        for p in fam.patterns:
            for w in p.index:
                index.setdefault(w, []).append((i, p))
    return {w: tuple(ps) for w, ps in index.items()}


_BY_WORD = _index()
TRIGGERS: frozenset[str] = frozenset(_BY_WORD) | _ELLIPSIS_TRIGGERS


def find(text: str, words: frozenset[str]) -> list[tuple[str, int]]:
    """(technology key, offset in ``text``) for each pattern family that matches: its leftmost match."""
    hits = words & TRIGGERS
    if not hits:
        return []
    best: dict[int, int] = {}  # family index -> leftmost match
    seen: set[int] = set()
    for w in hits:
        for i, p in _BY_WORD.get(w, ()):
            if id(p) in seen:
                continue
            seen.add(id(p))
            if p.ready(words) and (m := p.rx.search(text)) is not None and m.start() < best.get(i, len(text) + 1):
                best[i] = m.start()
    out = [(FAMILIES[i].key, best[i]) for i in sorted(best)]
    if not hits.isdisjoint(_ELLIPSIS_TRIGGERS) and not words.isdisjoint(_ELLIPSIS_HEADS) and \
            ("and" in words or "or" in words or "," in text or "&" in text):
        for m in _ELLIPSIS.finditer(text):
            head = m.group(1).lower()
            key = _ELLIPSIS_KEY.get(head, "license_plate_recognition")
            out.append((key, m.start()))
    return out
