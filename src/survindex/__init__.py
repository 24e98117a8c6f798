"""survindex: cited, reviewable facts about where AI surveillance technology is deployed,
who supplies it and who pays for it, and the index computed from them."""

__version__ = "0.1.0"
