"""How money is written: currency tokens and scale words, shared by the table cleaners and the text extractor."""

from __future__ import annotations

# Lower-case token -> ISO 4217 code. "¥" is read as yuan: the sources are mostly about Chinese finance.
CURRENCY_TOKENS: dict[str, str] = {
    "us$": "USD", "usd": "USD", "$": "USD", "dollars": "USD",
    "rmb": "CNY", "cny": "CNY", "yuan": "CNY", "¥": "CNY",
    "eur": "EUR", "€": "EUR", "euros": "EUR",
    "gbp": "GBP", "£": "GBP", "jpy": "JPY", "hk$": "HKD",
}

# Lower-case scale word -> multiplier ("RMB 850 million", "$1.2bn", "396k").
SCALE_WORDS: dict[str, float] = {
    "k": 1e3, "thousand": 1e3,
    "m": 1e6, "mn": 1e6, "mil": 1e6, "million": 1e6, "millions": 1e6,
    "b": 1e9, "bn": 1e9, "billion": 1e9, "billions": 1e9,
    "trillion": 1e12,
}
