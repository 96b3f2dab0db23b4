"""Vocabulary matching that forgives spelling, not meaning (etl.parse.Vocabulary): the synonyms staff
use, a close but uncertain value loaded and flagged with what it was read as, an unknown value
rejected with the three closest, the whole list said once per report; `etl validate` is
read-only unless asked for a rejects file."""

import pytest

from etl.__main__ import main as etl
from etl.intake import read_announcements
from etl.load import Inputs
from etl.parse import EVENT_TYPES, SECTORS, STATUSES, TIERS, Guess, VocabularyError
from etl.warehouse import DEFAULT_RAW
from tests.conftest import TODAY


@pytest.mark.parametrize(
    ("vocabulary", "cell", "code"),
    [
        (SECTORS, "Baterías / vehículo eléctrico", "battery/EV"),
        (SECTORS, "Eléctrico / electrónico", "electrical/electronics"),
        (SECTORS, "electronics, electrical", "electrical/electronics"),
        (SECTORS, "Parque industrial / logística", "logistics/industrial park"),
        (SECTORS, "Procesamiento de materiales", "materials processing (blanking)"),
        (SECTORS, "LLANTAS Y HULES", "tires/rubber"),  # plural and case
        (SECTORS, "frenos, chasis", "brakes/chassis"),
        (TIERS, "Tier 1", "Tier 1"),
        (TIERS, "T1", "Tier 1"),
        (TIERS, "Nivel 1", "Tier 1"),
        (TIERS, "tier-1", "Tier 1"),
        (STATUSES, "In operation", "operating"),
        (STATUSES, "under-construction", "under_construction"),
        (EVENT_TYPES, "Ampliaciones", "expansion"),
    ],
)
def test_spellings_and_synonyms_are_certain_matches(vocabulary, cell, code):
    assert vocabulary.read(cell) == code


@pytest.mark.parametrize(
    ("vocabulary", "cell", "code"),
    [
        (SECTORS, "Plastcos", "plastics"),
        (SECTORS, "Fundición de aluminio", "metal casting"),
        (STATUSES, "Operación", "operating"),
    ],
)
def test_a_close_value_is_a_guess_to_review(vocabulary, cell, code):
    assert vocabulary.read(cell) == Guess(code, cell)
    assert vocabulary.parse(cell) == code


@pytest.mark.parametrize(
    ("vocabulary", "cell"),
    [(SECTORS, "Aeroespacial"), (SECTORS, "Servicios de ingeniería"), (TIERS, "Tier 9"),
     (STATUSES, "Quizá")],
)  # fmt: skip
def test_an_unknown_value_is_rejected_with_the_three_closest(vocabulary, cell):
    with pytest.raises(VocabularyError) as raised:
        vocabulary.read(cell)
    es, en = raised.value.es, raised.value.en
    assert es.count("«") == 3 and en.count("'") == 2 + 6  # the cell, then three values
    assert "Valores aceptados" not in es


FILE = """empresa,país,sector,nivel,estatus,municipio,fecha,monto,moneda
Uno Sintética,Japón,Plastcos,T1,En operación,Villa de Reyes,2024,10 mdd,
Dos Sintética,Japón,Cohetes,Tier 9,Anunciado,Villa de Reyes,2024,20 mdd,
Tres Sintética,Japón,Eléctrico / electrónico,Nivel 2,Quizá,Villa de Reyes,2024,30 mdd,
Empresa china por confirmar,China,battery/EV,,announced,,2025,,
"""


def test_the_intake_flags_guesses_and_lists_accepted_values_once(tmp_path):
    path = tmp_path / "vocab.csv"
    path.write_text(FILE, encoding="utf-8")
    inputs = Inputs(DEFAULT_RAW, TODAY)
    result = read_announcements(path, inputs.matcher, inputs.rates, TODAY)
    assert result.rows_read == 4 and result.rows_rejected == 2  # rows 3 and 4
    valid = result.valid.set_index("company")
    guessed = valid.loc["Uno Sintética"]
    assert (guessed["sector"], guessed["tier"]) == ("plastics", "Tier 1")
    assert guessed["review_flags"] == "uncertain_match"
    assert guessed["review_notes"] == "sector «Plastcos» → plastics"
    assert valid.loc["Empresa china por confirmar", "review_flags"] == "company_unnamed"
    reasons = result.rejects.set_index("column")["reason"]
    assert "Los más parecidos" in reasons["sector"] and "Valores aceptados" not in reasons["sector"]
    # One list per vocabulary that had a rejected value, however many rows it rejected.
    assert [es.split(":")[0] for es, _ in result.accepted] == [
        "Valores aceptados de sector", "Valores aceptados de nivel de proveeduría",
        "Valores aceptados de estatus",
    ]  # fmt: skip


def test_validate_writes_no_file_unless_asked(tmp_path, capsys):
    path = tmp_path / "vocab.csv"
    path.write_text(FILE, encoding="utf-8")
    assert etl(["validate", str(path), "--db", str(tmp_path / "none.duckdb")]) == 1
    out = capsys.readouterr().out
    assert out.count("Valores aceptados de sector") == 1
    assert "revisar fila 2 (Uno Sintética): uncertain_match (sector «Plastcos» → plastics)" in out
    assert sorted(p.name for p in tmp_path.iterdir()) == ["vocab.csv"]  # nothing written
    target = tmp_path / "salida" / "rechazos.csv"
    target.parent.mkdir()
    assert etl(["validate", str(path), "--db", str(tmp_path / "none.duckdb"), "--rejects",
                str(target)]) == 1  # fmt: skip
    assert target.read_text(encoding="utf-8-sig").splitlines()[0] == "fila,columna,valor,motivo"
