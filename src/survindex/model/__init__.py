"""The vocabulary as data and the typed records every stage passes on."""

from survindex.model.records import CLAIM_FIELDS, Claim, Document, InvalidClaim, document_id, sha256_hex
from survindex.model.vocabulary import (
    AIGS_CATEGORIES,
    CLAIM_KINDS,
    STAGES,
    STATUSES,
    TARGETED_CATEGORIES,
    TECHNOLOGY_KEYS,
    Technology,
    Vocabulary,
    vocabulary,
)

__all__ = [
    "AIGS_CATEGORIES", "CLAIM_FIELDS", "CLAIM_KINDS", "STAGES", "STATUSES", "TARGETED_CATEGORIES",
    "TECHNOLOGY_KEYS",
    "Claim", "Document", "InvalidClaim", "Technology", "Vocabulary", "document_id", "sha256_hex", "vocabulary",
]
