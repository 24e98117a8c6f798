"""Cases: one record per deployment, built from the claims of every source that reports it (pure functions).

A case is a country's deployment of a technology (a group of technologies one deployment holds together) from one
supplier (or an unknown one), for one deploying body or project where the sources name it, with the financing
that paid for it. Claims join cases automatically (``group``); reviewers' merges and splits are decisions that
``group`` applies on top, so they survive every re-run. A case's id derives from its key, not from its members:
another source joining it keeps the id."""

from survindex.cases.group import Decision, group_country
from survindex.cases.model import Case, Member, case_id
from survindex.cases.summary import summarise

__all__ = ["Case", "Decision", "Member", "case_id", "group_country", "summarise"]
