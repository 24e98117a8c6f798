"""Published figures beside the computed ones, and headline sentences generated from the numbers."""

from __future__ import annotations

from typing import Any

from survindex.index._ref import Reference
from survindex.model import Claim, vocabulary


def _subject(c: Claim) -> str:
    """The convention for a supplier_reach claim's subject; inferred from its fields when absent."""
    if c.subject:
        return c.subject.lower()
    if c.supplier:
        return "supplier"
    if c.supplier_country:
        return "supplier_country"
    return "all"


def _computed(c: Claim, subject: str, index: dict[str, Any]) -> tuple[int | None, int | None]:
    """(computed figure, computed total) for a published figure, or None where the subject is unknown."""
    if subject == "supplier" and c.supplier:
        return int(index["by_supplier"].get(c.supplier, 0)), None
    if subject == "supplier_country" and c.supplier_country:
        return int(index["by_supplier_country"].get(c.supplier_country, 0)), None
    if subject == "bri":
        if c.supplier_country:
            return int(index["bri"]["with_supplier_country"].get(c.supplier_country, 0)), index["bri"]["members"]
        return int(index["bri"]["with_technology"]), int(index["bri"]["members"])
    if subject == "all":
        return int(index["countries"]), None
    return None, None


def published_figures(reach: list[Claim], index: dict[str, Any],
                      then: dict[int, dict[str, Any]] | None = None) -> list[dict[str, Any]]:
    """Each supplier_reach claim beside the figure the evidence gives (now, and as of the year it was published
    when ``then`` holds that year's index); sorted by claim id."""
    rows = []
    for c in sorted(reach, key=lambda c: c.id):
        subject = _subject(c)
        computed, computed_total = _computed(c, subject, index)
        at_year = (then or {}).get(c.year) if c.year is not None else None
        computed_then, total_then = _computed(c, subject, at_year) if at_year else (None, None)
        rows.append({
            "claim": c.id, "doc_id": c.doc_id, "quote": c.quote, "subject": subject,
            "supplier": c.supplier, "supplier_country": c.supplier_country, "qualifier": c.qualifier,
            "published": c.count, "published_total": c.total, "year": c.year,
            "computed": computed, "computed_total": computed_total,
            "difference": computed - c.count if computed is not None and c.count is not None else None,
            "computed_in_year": computed_then, "computed_total_in_year": total_then,
            "status": c.status,
        })
    return rows


def _plural(n: int, word: str = "country", plural: str = "countries") -> str:
    return f"{n} {word if n == 1 else plural}"


def _supplier_country_line(index: dict[str, Any], ref: Reference) -> str | None:
    if not index["by_supplier_country"]:
        return None
    iso, n = next(iter(index["by_supplier_country"].items()))
    demonym = ref.demonym(iso)
    who = f"{demonym} companies" if demonym else f"companies headquartered in {ref.name(iso)}"
    line = f"Technology linked to {who} is found in {_plural(n)}"
    in_bri = index["bri"]["with_supplier_country"].get(iso, 0)
    if index["bri"]["members"]:
        line += f"; {in_bri} of them {'is' if in_bri == 1 else 'are'} in the Belt and Road Initiative"
    return line + "."


def _category_lines(index: dict[str, Any]) -> list[str]:
    labels = vocabulary().aigs_categories
    return [f"{labels[cat]}: {_plural(n)}." for cat, n in index["by_aigs_category"].items() if n]


def _regime_line(index: dict[str, Any]) -> str | None:
    best: tuple[float, str, str] | None = None
    for regime, shares in index["by_regime_type"].items():
        for cat, share in shares.items():
            if best is None or share > best[0]:
                best = (share, regime, cat)
    if best is None or best[0] == 0:
        return None
    share, regime, cat = best
    r_label = vocabulary().regime_types[regime].lower()
    c_label = vocabulary().aigs_categories[cat].lower()
    n = index["regime_counts"][regime]
    r_plural = r_label[:-1] + "ies" if r_label.endswith("y") else r_label + "s"
    return f"{round(share * 100)}% of the {_plural(n, r_label, r_plural)} in the index use {c_label}."


def _money(amount: float) -> str:
    for div, unit in ((1e9, "billion"), (1e6, "million")):
        if amount >= div:
            return f"US${amount / div:.1f} {unit}"
    return f"US${amount:,.0f}"


def headlines(index: dict[str, Any], ref: Reference) -> list[str]:
    """Sentences in the style of the seed article, generated from the numbers."""
    lines: list[str | None] = []
    n = index["countries"]
    cases = index.get("cases")
    of_cases = f" ({_plural(cases, 'deployment case', 'deployment cases')})" if cases else ""
    lines.append(f"AI surveillance technology is documented in {_plural(n)}{of_cases}.")
    lines.append(_supplier_country_line(index, ref))
    bri = index["bri"]
    if bri["members"]:
        lines.append(f"{bri['with_technology']} out of {bri['members']} Belt and Road Initiative countries "
                     "also contain AI surveillance technology.")
    for supplier, reach in list(index["by_supplier"].items())[:3]:
        lines.append(f"{supplier} supplies {_plural(reach)}.")
    lines.extend(_category_lines(index))
    lines.append(_regime_line(index))
    for financier, f in list(index["financing"].items())[:3]:
        money = f" worth {_money(f['amount_usd'])}" if f["amount_usd"] else ""
        lines.append(f"{financier} financed {_plural(f['projects'], 'surveillance project', 'surveillance projects')}"
                     f"{money} in {_plural(f['countries'])}.")
    return [line for line in lines if line]
