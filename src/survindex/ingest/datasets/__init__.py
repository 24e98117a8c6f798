"""Dataset importers: country tables (AIGS), EFF's Atlas of Surveillance, AidData GCDF, Carnegie's spyware inventory.

Each importer reads one file, writes its documents and claims in one transaction, and returns an ``ImportReport``.
"""

from survindex.ingest.datasets.aiddata import import_aiddata
from survindex.ingest.datasets.atlas import import_atlas
from survindex.ingest.datasets.pipeline import IMPORTER_VERSION, ImportFailed
from survindex.ingest.datasets.reader import FileFormatError
from survindex.ingest.datasets.report import ImportReport, Problem
from survindex.ingest.datasets.spyware import import_spyware_inventory
from survindex.ingest.datasets.sources import Source, UnknownSource, source, sources
from survindex.ingest.datasets.table import (
    MappingError,
    TableMapping,
    import_table,
    parse_columns,
    parse_supplier_flags,
)

__all__ = [
    "IMPORTER_VERSION", "FileFormatError", "ImportFailed", "ImportReport", "MappingError", "Problem", "Source",
    "TableMapping", "UnknownSource", "import_aiddata", "import_atlas", "import_table", "parse_columns",
    "parse_supplier_flags", "source", "import_spyware_inventory",
    "sources",
]
