"""Source declarations and the Atlas technology table: package data, checked against the vocabulary."""

from __future__ import annotations

from pathlib import Path

import pytest

from survindex.ingest.datasets import UnknownSource, source, sources
from survindex.ingest.datasets.sources import atlas_technologies, atlas_technology
from survindex.model import TECHNOLOGY_KEYS


def test_every_dataset_is_declared_with_its_citation() -> None:
    declared = sources()
    assert set(declared) == {"aigs", "eff-atlas", "aiddata-gcdf", "carnegie-spyware"}
    for d in declared.values():
        assert d.title and d.publisher and d.url.startswith("https://") and d.licence
        assert d.importer in ("table", "atlas", "aiddata", "spyware-inventory")
    assert source("aigs").assertions["min_countries"] == 50
    with pytest.raises(UnknownSource, match="declared: aiddata-gcdf, aigs, carnegie-spyware, eff-atlas"):
        source("nope")


@pytest.mark.parametrize("label, keys", [
    ("Body-worn Cameras", ["body_worn_camera"]), ("body worn camera", ["body_worn_camera"]),
    ("ALPR", ["license_plate_recognition"]), ("Automated License Plate Readers", ["license_plate_recognition"]),
    ("Drones", ["drone"]), ("Unmanned Aerial Vehicles", ["drone"]), ("FACE RECOGNITION", ["facial_recognition"]),
    ("Camera Registry", ["video_surveillance"]), ("Video Analytics", ["video_surveillance"]),
    ("Mobile Surveillance Vehicle", ["video_surveillance"]), ("Surveillance Towers", ["video_surveillance"]),
    ("Cell-site Simulator", ["cell_site_simulator"]), ("Cell-site Simulators", ["cell_site_simulator"]),
    ("Gunshot Detection", ["gunshot_detection"]), ("Social Media Monitoring", ["social_media_monitoring"]),
    ("Iris scanning", ["biometrics"]), ("Biometrics", ["biometrics"]), ("Predictive Policing", ["smart_policing"]),
    ("Real-Time Crime Centers", ["smart_policing"]), ("Fusion Center", ["smart_policing"]),
    ("Ring/Neighbors", ["video_surveillance"]), ("Ring/Neighbors Partnership", ["video_surveillance"]),
    ("Camera Networks/Real-Time Crime Centers", ["video_surveillance", "smart_policing"]),
    ("Third-party Investigative Platforms", ["other"]),
])
def test_atlas_labels(label: str, keys: list[str]) -> None:
    assert atlas_technology(label) == (keys, True)


def test_unknown_atlas_label_is_other_and_flagged() -> None:
    assert atlas_technology("Quantum Listening Post") == (["other"], False)
    assert atlas_technology("") == (["other"], False)
    assert set(atlas_technologies().values()) <= set(TECHNOLOGY_KEYS)


def test_datasets_command_lists_the_declarations() -> None:
    import json

    from click.testing import CliRunner

    from survindex.cli import cli

    result = CliRunner().invoke(cli, ["import", "datasets", "--json"])
    assert result.exit_code == 0
    assert [d["name"] for d in json.loads(result.stdout)] == list(sources())


def test_broken_sanity_assertion_is_a_warning(tmp_path: Path) -> None:
    """The fixture has 4 countries: declared as the AIGS, it breaks "at least 50 countries"."""
    import json

    from click.testing import CliRunner

    from survindex.cli import cli

    fixture = Path(__file__).parent / "fixtures" / "import" / "country_table.csv"
    db = str(tmp_path / "t.db")
    result = CliRunner().invoke(cli, ["import", "table", str(fixture), "--dataset", "aigs", "--column",
                                      "Safe city=safe_city", "--json", "--db", db])
    assert result.exit_code == 0, result.output
    warnings = json.loads(result.stdout)["warnings"]
    assert warnings == ["aigs: expected at least 50 rows, read 5", "aigs: expected at least 50 countries, got 3"]
