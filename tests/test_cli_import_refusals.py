"""Every import command of the command line refuses bad input in the language it was asked for: each
command (`import trials|patients`, `carbon import`, `quality import`, `research import`, `staff import`,
`ctml match --trials`) is run with `--lang fr` on files that are missing, empty, of the other kind, with
a wrong header or with bad rows, and what it prints (its error line, the rows it refused) may hold no
English word. The English run of the same files still names file, record, field and fix."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from oncofed.errors import OncofedError
from oncofed.store.db import Database
from tests.i18n_pages import untranslated_msgids
from tests.test_i18n_import_words import _english
from tests.test_polish_cli import home  # noqa: F401  (fixture: a database in tmp_path)

PATIENT_BUNDLE = '{"resourceType": "Bundle", "type": "collection", "entry": [{"resource": {"resourceType": "Patient", "id": "p1"}}]}'
ACTIVITY = (
    "centre,year,category,item,quantity,unit\n"
    "inconnu,1820,energy,electricity,-3,kWh\n"
    "curie,2024,energie,electricity,3,kWh\n"
    "curie,2024,energy,electricity,3,kg\n"
    "curie,2024,energy,nucleaire,3,kWh\n"
    "curie,2024,activity,lits,3,bed\n"
    "curie,2024,activity,stays,3,kWh\n"
    "curie,2024,energy,electricity,trois,kWh\n"
    "curie,2024,energy\n"
)
PAYROLL = (
    "staff_id,family,level,hire_date,fte,gross_monthly,centre\n"
    "Jean Dupont,NUR,N2,2015-09-01,1.0,2450,curie\n"
    "S-1,XXX,N2,2015-09-01,1.0,2450,curie\n"
    "S-2,NUR,Z9,2015-09-01,1.0,2450,curie\n"
    "S-3,NUR,N2,2099-09-01,1.0,2450,curie\n"
    "S-4,NUR,N2,hier,4,-2,curie\n"
    "S-4,NUR,N2,2015-09-01,abc,2450,gustave-roussy\n"
    "S-5,NUR\n"
)
MILESTONES = (
    "trial_id,site,selection,opening,first_inclusion\n"
    ",curie,2024-01-01,,\n"
    "NCT01234567,,2024-01-01,,\n"
    "NCT01234567,curie,demain,,\n"
    "NCT01234567,curie,,,\n"
    "NCT07654321,curie,2024-01-01,2024-02-01,\n"
)
FACTORS = (
    "category,item,name_en,unit,kgco2e_per_unit,scope,beges_post,source\n"
    "energie,electricity,Electricity,kWh,-1,4,9.9,\n"
    "energy,,Gas,furlong,abc,1,1.1,ADEME\n"
    "energy,gas,Gas,kWh,0.2,1,1.1,ADEME\n"
    "energy,gas,Gas,kWh,0.2,1,1.1,ADEME\n"
)
PUBMED = (
    '<?xml version="1.0"?><PubmedArticleSet><PubmedArticle><MedlineCitation><PMID>1</PMID></MedlineCitation>'
    "</PubmedArticle><PubmedBookArticle><BookDocument><PMID>2</PMID></BookDocument></PubmedBookArticle><PubmedArticle>"
)
OPENALEX = '{"results": [{"id": 3}, {"id": "https://openalex.org/W1", "title": ""}, 4, {"id": "https://openalex.org/W2", "title": "t", "publication_year": 1}]}'
QUALITY = "patient_id,centre_id,event,event_date,detail,value\nP1,curie,inconnu,hier,,\nP2,,diagnosis,2024-01-01,,\n"

# (command, files written to the folder first): each a refusal a person meets importing by hand
CASES: list[tuple[list[str], dict[str, str | bytes]]] = [
    (["import", "trials", "absent.json"], {}),
    (["import", "trials", "patient.json"], {"patient.json": PATIENT_BUNDLE}),
    (["import", "trials", "vide"], {"vide/.garde": ""}),  # an empty folder: said, never "0 imported"
    (
        ["import", "trials", "essai.json", "--aliases", "alias.yaml"],
        {"essai.json": "{}", "alias.yaml": "- a\n"},
    ),
    (
        ["import", "trials", "essai.json", "--aliases", "alias.yaml"],
        {"essai.json": "{}", "alias.yaml": "aliases: 3\n"},
    ),
    (["import", "patients", "absent.csv"], {}),
    (["import", "patients", "vide.csv"], {"vide.csv": ""}),
    (["carbon", "import", "absent.csv"], {}),
    (["carbon", "import", "vide.csv"], {"vide.csv": "# rien\n"}),
    (["carbon", "import", "entete.csv"], {"entete.csv": "centre;annee\ncurie;2024\n"}),
    (["carbon", "import", "lignes.csv"], {"lignes.csv": ACTIVITY}),
    (["carbon", "import", "latin.csv"], {"latin.csv": "centre,année\n".encode("cp1252")}),
    (["quality", "import", "absent.csv"], {}),
    (["quality", "import", "entete.csv"], {"entete.csv": "a,b\n1,2\n"}),
    (["quality", "import", "lignes.csv"], {"lignes.csv": QUALITY}),
    (["carbon", "factors", "load", "facteurs.csv"], {"facteurs.csv": FACTORS}),
    (["research", "import", "absent.csv"], {}),
    (["research", "import", "pub.xml", "oa.json"], {"pub.xml": PUBMED, "oa.json": OPENALEX}),
    (["research", "import", "jalons.csv"], {"jalons.csv": MILESTONES}),
    (["research", "import", "jalons.csv", "--strict"], {"jalons.csv": MILESTONES}),
    (["research", "import", "sans.csv"], {"sans.csv": "trial_id,site\nNCT01234567,curie\n"}),
    (["staff", "import", "absent.csv", "--centre", "curie"], {}),
    (["staff", "import", "entete.csv", "--centre", "curie"], {"entete.csv": "matricule,poste\n1,2\n"}),
    (["staff", "import", "paie.csv", "--centre", "curie"], {"paie.csv": PAYROLL}),
    (["staff", "import", "paie.csv", "--centre", "curie", "--partial"], {"paie.csv": PAYROLL}),
    (["ctml", "match", "--trials", "manquant", "--clinical", "c.json"], {"c.json": "[]"}),
    (["ctml", "match", "--trials", "vide", "--clinical", "c.json"], {"c.json": "[]", "vide/.garde": ""}),
    (["ctml", "match", "--trials", "t.json", "--clinical", "c.json"], {"c.json": "[]", "t.json": "[3]"}),
    (
        ["ctml", "match", "--trials", "t.json", "--clinical", "c.json"],
        {"c.json": "[]", "t.json": b"\xff\xfe"},
    ),
]


# the files' own vocabulary, quoted in the French words as written: their column names and FHIR's resource types
COLUMN_NAMES = re.compile(
    r"\b(?:centre|year|category|item|quantity|unit|staff_id|family|level|hire_date|fte|gross_monthly|trial_id|site|"
    r"selection|contract|approval|opening|first_inclusion|closing|patient_id|centre_id|event|event_date|detail|"
    r"value|source|scope|beges_post|kgco2e_per_unit|name_en|Bundle|Patient|Condition|Observation)\b"
)


@pytest.fixture
def tables(home: Database) -> Database:  # noqa: F811
    """The example emission factors and the demo pay grid, that activity and payroll files are checked against."""
    from oncofed.services.sustainability.factors import load_factor_file
    from oncofed.services.workforce.grids import load_grid_file

    resources = Path(__file__).resolve().parents[1] / "src" / "oncofed" / "resources"
    load_factor_file(home, resources / "carbon" / "factors_example.csv", "test")
    load_grid_file(home, resources / "workforce" / "demo_grid.yaml", "test")
    return home


@pytest.fixture(scope="module")
def msgids() -> dict[str, str]:
    return untranslated_msgids("fr")


@pytest.fixture
def language() -> Iterator[None]:
    from oncofed.commands.common import set_language

    yield
    set_language("en")


def run(args: list[str], folder: Path, files: dict[str, str | bytes]) -> tuple[int, str]:
    """The command as `oncofed` runs it in `folder` (its error line as `main` prints it), paths relative."""
    import os

    from oncofed.cli import app, refusal_line
    from oncofed.commands.common import err_console

    for name, text in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    cwd = os.getcwd()
    os.chdir(folder)
    try:
        result = CliRunner().invoke(app, args)
    finally:
        os.chdir(cwd)
    out = result.output
    if isinstance(result.exception, OncofedError):
        with err_console.capture() as captured:
            err_console.print(refusal_line(result.exception), highlight=False)
        out += captured.get()
    elif result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, out


@pytest.mark.parametrize(
    "args, files", CASES, ids=[" ".join(a[:3]) + f" {i}" for i, (a, _) in enumerate(CASES)]
)
def test_an_import_refused_on_the_command_line_says_it_in_french(  # type: ignore[no-untyped-def]
    tables: Database, tmp_path: Path, msgids, language, args, files
) -> None:
    code, out = run(["--lang", "fr", *args], tmp_path, files)
    assert code != 0 or "--partial" in args or args[0] == "quality", out
    said = " ".join(out.replace(str(tmp_path), "DOSSIER").split())  # Rich's wrapping undone
    assert not _english(COLUMN_NAMES.sub("", said), msgids), f"English in the French refusal: {said}"


def test_the_same_refusals_in_english_name_file_record_field_and_fix(
    tables: Database, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    code, out = run(["carbon", "import", "lignes.csv"], tmp_path, {"lignes.csv": ACTIVITY})
    said = " ".join(out.split())
    assert code != 0 and said.startswith("error: lignes.csv: 11 problems, nothing imported"), said
    assert "line 2 (inconnu 1820 energy/electricity): centre: unknown centre 'inconnu'" in said
    assert "— correct these rows" in said
    code, out = run(["staff", "import", "paie.csv", "--centre", "curie"], tmp_path, {"paie.csv": PAYROLL})
    said = " ".join(out.split())
    assert "line 2 (Jean Dupont): staff_id: 'Jean Dupont' is not a pseudonymised id" in said, said


def test_publications_refused_before_the_centres_are_loaded(  # type: ignore[no-untyped-def]
    home: Database,  # noqa: F811
    tmp_path: Path,
    msgids,
    language,
) -> None:
    """An empty store (no centre yet): the affiliations cannot be attributed, said with what to do."""
    from oncofed.store.models import CentreRow

    with home.session() as s:
        s.query(CentreRow).delete()
        s.commit()
    code, out = run(["--lang", "fr", "research", "import", "pub.xml"], tmp_path, {"pub.xml": PUBMED})
    said = " ".join(out.split())
    assert code != 0 and "aucun centre" in said and "`oncofed demo`" in said, said
    assert not _english(COLUMN_NAMES.sub("", said), msgids), said
