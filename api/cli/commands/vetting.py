"""`actorgraph vet`, `vet-program`, `screen` and `vetting-runs`: vetting from the command line.

    actorgraph vet unit/bn-72                          readable report (default), as of today
    actorgraph vet person/mirela-quorrin --date 2019-01-01 --format json
    actorgraph vet unit/bde-7 --policy policy.toml --format html > report.html
    actorgraph vet-program program/vsspp               table of every participant's outcome (fits the terminal)
    actorgraph screen names.csv --format csv --output screened.csv
    actorgraph vetting-runs --subject unit/bn-72       the audit trail, and what changed

The command line is the store's operator: it reads every graph, restricted ones included, and each
run is recorded in the audit graph with "cli" as the agent.
"""

from __future__ import annotations

import json
import sys
from datetime import UTC, date, datetime
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from api.cli import tables
from api.cli.support import StoreOption, fail, opened
from api.dates import day_or_today
from graph.errors import InvalidValueError
from graph.index.identifiers import AmbiguousSubject, UnknownSubject, resolve
from graph.query import sparql
from graph.store import GraphStore
from graph.vetting import audit
from graph.vetting.engine import NotVettable, ProgramVetting, vet, vet_program
from graph.vetting.model import FindingSet
from graph.vetting.policy import Policy, PolicyError, load_policy
from graph.vetting.report import findings_csv, text_report
from graph.vetting.screening.matching import set_aside
from graph.vetting.screening.name_index import name_index
from graph.vetting.screening.rows import ScreeningError, parse_csv, to_csv
from graph.vetting.screening.screen import iter_vetted, screen


class ReportFormat(str, Enum):
    text = "text"
    json = "json"
    csv = "csv"
    html = "html"


class ProgramFormat(str, Enum):
    table = "table"
    text = "text"  # the name the table had first, kept for scripts that pass it
    json = "json"
    csv = "csv"
    html = "html"


class ScreenFormat(str, Enum):
    table = "table"
    text = "text"  # the name the table had first, kept for scripts that pass it
    json = "json"
    csv = "csv"


_UNCUT = 1_000_000  # a width no table reaches: nothing is cut

DateOption = Annotated[str | None, typer.Option("--date", help="Vet as of this day, YYYY-MM-DD (default today).")]
KnownOnOption = Annotated[str | None, typer.Option("--as-known-on", help="Use only statements whose sources were published, or imported, by this day, YYYY-MM-DD: what was knowable then.")]
PolicyOption = Annotated[Path | None, typer.Option("--policy", help="A policy file (.toml or .json); see graph/vetting/policy.py for the keys and defaults.")]


def _day(value: str | None, option: str = "--date") -> date:
    try:
        return day_or_today(value, option)
    except InvalidValueError as error:
        raise fail(str(error)) from None


def _known_on(value: str | None) -> date | None:
    return _day(value, "--as-known-on") if value else None


def _policy(path: Path | None) -> Policy:
    try:
        return load_policy(path)
    except PolicyError as error:
        raise fail(str(error)) from None


def _resolve(store: GraphStore, dataset: sparql.Dataset, name: str) -> str:
    try:
        return resolve(store, dataset, name).value
    except (UnknownSubject, AmbiguousSubject) as error:
        raise fail(str(error)) from None


def _html(template: str, **context: object) -> str:
    # Imported here: rendering HTML is the only reason the command line needs the templates.
    from api.web import vetting_reports

    return vetting_reports.render(template, **context)


def vet_command(
    subject: Annotated[str, typer.Argument(help="The unit, organization or person: an IRI, kind/slug (unit/bn-72) or an identifier.")],
    store: StoreOption = None,
    date_: DateOption = None,
    policy: PolicyOption = None,
    fmt: Annotated[ReportFormat, typer.Option("--format", help="text (a readable report), json (the contract), csv or html.")] = ReportFormat.text,
    as_known_on: KnownOnOption = None,
) -> None:
    """Vet one subject: is it, or was it, a perpetrator or linked to one, when, and on what evidence."""
    day, chosen, known = _day(date_), _policy(policy), _known_on(as_known_on)
    with opened(store) as graph_store:
        dataset = sparql.dataset_for(graph_store)
        iri = _resolve(graph_store, dataset, subject)
        started = datetime.now(UTC)
        try:
            result = vet(graph_store, dataset, iri, on=day, policy=chosen, as_known_on=known)
        except (NotVettable, UnknownSubject) as error:
            raise fail(str(error)) from None
        version = audit.data_version(graph_store, dataset)
        result.set_aside = set_aside(name_index(graph_store, dataset, version.digest), iri)
        run = audit.record(graph_store, result, agent=audit.CLI_AGENT, version=version, started=started, context="cli")
    _print_result(result, run, fmt)


def _print_result(result: FindingSet, run: audit.RunRecord, fmt: ReportFormat) -> None:
    if fmt is ReportFormat.json:
        typer.echo(json.dumps({**result.as_dict(), "run": run.iri}, indent=2, ensure_ascii=False))
    elif fmt is ReportFormat.csv:
        sys.stdout.write(findings_csv([result]))
    elif fmt is ReportFormat.html:
        typer.echo(_html("vetting_report.html", result=result, run=run))
    else:
        typer.echo(text_report(result) + f"\nrecorded as {run.iri}")


def vet_program_command(
    program: Annotated[str, typer.Argument(help="The program: an IRI, kind/slug (program/vsspp) or an identifier.")],
    store: StoreOption = None,
    date_: DateOption = None,
    policy: PolicyOption = None,
    fmt: Annotated[
        ProgramFormat,
        typer.Option("--format", help="table (fits the terminal; text is the same), json (every field), csv (one row per finding, whole) or html."),
    ] = ProgramFormat.table,
    as_known_on: KnownOnOption = None,
) -> None:
    """Vet every implementer, funder, partner and target of a program."""
    day, chosen, known = _day(date_), _policy(policy), _known_on(as_known_on)
    with opened(store) as graph_store:
        dataset = sparql.dataset_for(graph_store)
        iri = _resolve(graph_store, dataset, program)
        started = datetime.now(UTC)
        try:
            result = vet_program(graph_store, dataset, iri, on=day, policy=chosen, as_known_on=known)
        except UnknownSubject as error:
            raise fail(str(error)) from None
        version = audit.data_version(graph_store, dataset)
        quads = []
        for participant in result.participants:
            quads += audit.prepare(participant.result, agent=audit.CLI_AGENT, version=version, started=started, context=f"program {iri}")[1]
        if quads:
            audit.write(graph_store, quads)
    if fmt is ProgramFormat.json:
        typer.echo(json.dumps(result.as_dict(), indent=2, ensure_ascii=False))
    elif fmt is ProgramFormat.csv:
        sys.stdout.write(findings_csv(p.result for p in result.participants))
    elif fmt is ProgramFormat.html:
        typer.echo(_html("vetting_program.html", program=result))
    else:
        typer.echo(_program_table(result))


def _program_table(program: ProgramVetting) -> str:
    """The program's participants as a table that fits the terminal, then why each that is not
    clear is not, wrapped to the same width."""
    counts = program.counts()
    lines = [
        tables.wrap(f"Vetting of the participants of {program.label}"),
        tables.wrap(f"  program  {program.program}", indent="           "),
        f"  as of    {program.date}",
        tables.wrap(f"  policy   {program.policy.get('name')}", indent="           "),
        f"  {counts['flag']} flag, {counts['review']} review, {counts['clear']} clear",
        "",
    ]
    rows = []
    for participant in program.participants:
        found = participant.result.counts()
        rows.append([participant.result.outcome.upper(), str(found["high"]), str(found["medium"]), str(found["low"]),
                     ", ".join(participant.roles), participant.label])
    lines.append(tables.render(["outcome", "high", "medium", "low", "roles", "participant"], rows))
    reasons = [tables.wrap(f"{p.label}: {p.result.reason}", indent="  ") for p in program.participants if p.result.outcome != "clear"]
    if reasons:
        lines += ["", *reasons]
    return "\n".join(lines)


def screen_command(
    file: Annotated[Path, typer.Argument(help="A CSV with columns name, type, country, and optionally date_of_birth or unit_id.")],
    store: StoreOption = None,
    date_: DateOption = None,
    policy: PolicyOption = None,
    fmt: Annotated[
        ScreenFormat, typer.Option("--format", help="table (fits the terminal; text is the same), json or csv (every value whole).")
    ] = ScreenFormat.table,
    output: Annotated[Path | None, typer.Option("--output", help="Write the results here instead of standard output.")] = None,
) -> None:
    """Screen a list of names: candidates with scores and reasons per row, and the vetting outcome of each confident match."""
    day, chosen = _day(date_), _policy(policy)
    try:
        rows = parse_csv(file.read_bytes())
    except OSError as error:
        raise fail(f"cannot read {file}: {error.strerror or error}") from None
    except ScreeningError as error:
        raise fail(f"{file}: {error}") from None
    with opened(store) as graph_store:
        dataset = sparql.dataset_for(graph_store)
        version = audit.data_version(graph_store, dataset)
        started = datetime.now(UTC)
        results = screen(graph_store, dataset, rows, version_digest=version.digest, on=day, policy=chosen)
        quads = []
        for result in iter_vetted(results):
            quads += audit.prepare(result, agent=audit.CLI_AGENT, version=version, started=started, context="screening")[1]
        if quads:
            audit.write(graph_store, quads)
    if fmt is ScreenFormat.csv:
        text = to_csv(results)
    elif fmt is ScreenFormat.json:
        text = json.dumps([r.as_dict() for r in results], indent=2, ensure_ascii=False) + "\n"
    else:
        cells = []
        for r in results:
            item = r.as_dict()
            score = item["score"]
            cells.append([str(item["row"]), item["match"], item["outcome"] or "-", "-" if score is None else str(score),
                         item["name"], item["subject_label"] or item["message"]])
        # To a file, whole: the width is the terminal's, not the file's.
        width = _UNCUT if output is not None else None
        text = tables.render(["row", "match", "outcome", "score", "name", "matched"], cells, width) + "\n"
    if output is not None:
        output.write_text(text, encoding="utf-8")
        typer.echo(f"wrote {len(results)} row(s) to {output}", err=True)
    else:
        sys.stdout.write(text)


def runs_command(
    store: StoreOption = None,
    subject: Annotated[str | None, typer.Option("--subject", help="Only runs about this subject; also shows what changed since the run before.")] = None,
    limit: Annotated[int, typer.Option("--limit", min=1, help="How many runs, newest first.")] = 20,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON (as --format json).")] = False,
    fmt: tables.FormatOption = tables.Format.table,
) -> None:
    """The vetting audit trail: who vetted what, when, under which policy and data, with what outcome."""
    with opened(store, read_only=True) as graph_store:
        iri = None
        if subject:
            try:
                iri = resolve(graph_store, sparql.dataset_for(graph_store), subject).value
            except UnknownSubject:
                iri = subject
            except AmbiguousSubject as error:
                raise fail(str(error)) from None
        runs = audit.list_runs(graph_store, iri, limit=limit)
    change = audit.latest_diff(runs) if iri else None
    if as_json or fmt is tables.Format.json:
        typer.echo(json.dumps({"subject": iri, "runs": [r.as_dict() for r in runs], "diff": change}, indent=2, ensure_ascii=False))
        return
    rows = [
        [run.started, run.outcome, run.subject_label, run.date, run.agent_label, str(len(run.findings)), run.data_version_digest]
        for run in runs
    ]
    names = ["started", "outcome", "subject", "as_of", "by", "findings", "data"]
    if fmt is tables.Format.csv:
        tables.show(names, rows, fmt)
        return
    # The table shows when to the second (the CSV and JSON keep the microseconds and the zone).
    typer.echo(tables.render(names, [[row[0][:19].replace("T", " "), *row[1:]] for row in rows]))
    if change:
        typer.echo("")
        typer.echo(tables.wrap(
            f"since the run before: outcome {change['outcome']['from']} -> {change['outcome']['to']}; "
            f"data {'changed' if change['data_changed'] else 'unchanged'}; "
            f"{len(change['findings_added'])} finding(s) added, {len(change['findings_removed'])} removed, "
            f"{len(change['findings_changed'])} changed",
            indent="  ",
        ))
        for item in change["imports_added"]:
            typer.echo(tables.wrap(f"  new import: {item['graph']} ({item['import']})", indent="    "))
        for item in change["findings_added"]:
            typer.echo(tables.wrap(f"  + {item['summary']}", indent="    "))
        for item in change["findings_removed"]:
            typer.echo(tables.wrap(f"  - {item['summary']}", indent="    "))


def register(app: typer.Typer) -> None:
    app.command("vet")(vet_command)
    app.command("vet-program")(vet_program_command)
    app.command("screen")(screen_command)
    app.command("vetting-runs")(runs_command)
