"""`actorgraph cases ...`: record vetting decisions, list them by status, show one, sign one off.

    actorgraph cases create unit/bn-72 --decision deny --justification "..." --key $KEY
    actorgraph cases list --status needs-re-vetting         what new data changed since the decision
    actorgraph cases list --format csv                      the table's rows whole (json: every field)
    actorgraph cases show 3f9a1c0b7d2e --json               (--html: the printable record)
    actorgraph cases sign-off 3f9a1c0b7d2e --key $OTHER_KEY --note "..."

Reading cases is the operator's business, as for `vetting-runs`. Deciding and signing off are not:
they are attributed to a person's API key (`--key`, or ACTORGRAPH_KEY), an analyst's or above, so
that the second review can be told to come from someone else.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Annotated

import typer

from api.cli import tables
from api.cli.support import JsonOption, StoreOption, fail, opened
from api.dates import parse_day
from api.settings import Settings
from api.web.security import Role
from graph.access import keys
from graph.errors import InvalidValueError
from graph.index.identifiers import AmbiguousSubject, UnknownSubject, resolve
from graph.query import sparql
from graph.store import GraphStore
from graph.vetting import audit
from graph.vetting.cases import records as cases
from graph.vetting.cases.review import STATUSES, CaseView, parse_status, review
from graph.vetting.engine import NotVettable
from graph.vetting.policy import PolicyError, load_policy

cases_app = typer.Typer(name="cases", help="Vetting cases: the decisions vetters took, their sign-off, expiry and re-vetting.",
                        no_args_is_help=True)

KeyOption = Annotated[str | None, typer.Option("--key", help="Your API key (analyst or above): the decision is recorded against it "
                                                     "(default: ACTORGRAPH_KEY).")]
OnOption = Annotated[str | None, typer.Option("--on", help="Status as of this day, YYYY-MM-DD (default today).")]


def _day(value: str | None, option: str) -> date | None:
    try:
        return parse_day(value, option)
    except InvalidValueError as error:
        raise fail(str(error)) from None


def _agent(store: GraphStore, given: str | None) -> audit.Agent:
    """The person behind `--key` (else the settings' ACTORGRAPH_KEY): a known, unrevoked key of an
    analyst or above."""
    token = given or Settings.from_env().key
    if not token:
        raise fail("--key: give your API key (analyst or above) with --key or ACTORGRAPH_KEY")
    key = keys.verify(store, token)
    if key is None:
        raise fail("--key: unknown API key: check that it was copied whole")
    if key.revoked:
        raise fail(f"--key: API key {key.key_id} ({key.label}) was revoked on {key.revoked_at}")
    if Role.parse(key.role) < Role.ANALYST:
        raise fail(f"--key: deciding needs the analyst role; key {key.key_id} ({key.label}) is a {key.role}")
    return audit.Agent(key.key_id, key.label, key.role)


def _print(view: CaseView, as_json: bool) -> None:
    if as_json:
        typer.echo(json.dumps(view.as_dict(), indent=2, ensure_ascii=False))
        return
    case = view.case
    lines = [
        f"case {case.id}  {view.status.upper()} (as of {view.on})",
        f"  subject   {case.subject_label} <{case.subject}>",
        f"  vetted    as of {case.date}" + (f", as known on {case.as_known_on}" if case.as_known_on else ""),
        f"  engine    {case.outcome}: {case.reason}",
        f"  decision  {case.decision} by {case.decided_by.label} (key {case.decided_by.id}) at {case.decided_at}",
    ]
    if case.conditions:
        lines.append(f"  conditions {case.conditions}")
    lines.append(f"  because   {case.justification}")
    lines.append(f"  expires   {case.expires}")
    if case.signed_off_by is not None:
        note = f": {case.sign_off_note}" if case.sign_off_note else ""
        lines.append(f"  signed off by {case.signed_off_by.label} (key {case.signed_off_by.id}) at {case.signed_off_at}{note}")
    else:
        lines.append("  not signed off yet: a second reviewer signs off with another key")
    if view.superseded_by:
        lines.append(f"  superseded by case {view.superseded_by}")
    change = view.change
    if change is not None and change.changed:
        lines.append(f"  NEEDS RE-VETTING: the engine now says {change.outcome_to or '(cannot vet)'}, was {change.outcome_from}")
        if change.error:
            lines.append(f"    {change.error}")
        for item in change.findings.get("findings_added", []):
            lines.append(f"    + {item['summary']}")
        for item in change.findings.get("findings_removed", []):
            lines.append(f"    - {item['summary']}")
        for item in change.findings.get("findings_changed", []):
            lines.append(f"    ~ {item['summary']} ({item['from']} -> {item['to']})")
    typer.echo("\n".join(lines))


@cases_app.command("create")
def create(
    subject: Annotated[str, typer.Argument(help="The unit, organization or person: an IRI, kind/slug (unit/bn-72) or an identifier.")],
    decision: Annotated[str, typer.Option("--decision", help=f"One of {', '.join(cases.DECISIONS)}.")],
    justification: Annotated[str, typer.Option("--justification", help="Why, in words.")],
    key: KeyOption = None,
    conditions: Annotated[str | None, typer.Option("--conditions", help="The conditions (with approve_with_conditions only).")] = None,
    date_: Annotated[str | None, typer.Option("--date", help="Vet as of this day, YYYY-MM-DD (default today).")] = None,
    as_known_on: Annotated[str | None, typer.Option("--as-known-on", help="Use only what was knowable on this day.")] = None,
    expires: Annotated[str | None, typer.Option("--expires", help="An earlier expiry than the policy's, YYYY-MM-DD.")] = None,
    policy: Annotated[Path | None, typer.Option("--policy", help="A policy file (.toml or .json); decision_valid_months sets the expiry.")] = None,
    store: StoreOption = None,
    as_json: JsonOption = False,
) -> None:
    """Vet the subject now (recorded in the audit trail) and record your decision on that result."""
    day = _day(date_, "--date") or date.today()
    known = _day(as_known_on, "--as-known-on")
    try:
        chosen = load_policy(policy)
    except PolicyError as error:
        raise fail(str(error)) from None
    with opened(store) as graph_store:
        agent = _agent(graph_store, key)
        dataset = sparql.dataset_for(graph_store)
        try:
            iri = resolve(graph_store, dataset, subject).value
            case = cases.create(graph_store, dataset, iri, agent=agent, decision=decision, justification=justification,
                                conditions=conditions, expires=expires, on=day, policy=chosen, as_known_on=known, context="cli case")
        except cases.CaseError as error:
            raise fail(f"--{error.field.replace('_', '-')}: {str(error).split(': ', 1)[1]}") from None
        except (UnknownSubject, AmbiguousSubject, NotVettable) as error:
            raise fail(str(error)) from None
        view = review(graph_store, dataset, [case], on=date.today(), superseding=cases.list_cases(graph_store, subject=iri))[0]
    _print(view, as_json)


@cases_app.command("list")
def list_(
    status: Annotated[str | None, typer.Option("--status", help=f"Only cases with this status: {', '.join(STATUSES)}.")] = None,
    subject: Annotated[str | None, typer.Option("--subject", help="Only cases about this subject.")] = None,
    on: OnOption = None,
    store: StoreOption = None,
    as_json: JsonOption = False,
    fmt: tables.FormatOption = tables.Format.table,
) -> None:
    """Cases, newest first, with their status; standing cases are run through the engine again to
    see whether new data changed its result (nothing is recorded)."""
    try:
        wanted = parse_status(status)
    except cases.CaseError as error:
        raise fail(f"--{error}") from None
    day = _day(on, "--on") or date.today()
    with opened(store) as graph_store:
        dataset = sparql.dataset_for(graph_store)
        iri = None
        if subject:
            try:
                iri = resolve(graph_store, dataset, subject).value
            except UnknownSubject:
                iri = subject
            except AmbiguousSubject as error:
                raise fail(str(error)) from None
        everything = cases.list_cases(graph_store)
        views = review(graph_store, dataset, [c for c in everything if iri is None or c.subject == iri], on=day, superseding=everything)
    listed = [v for v in views if wanted is None or v.status == wanted]
    fmt = tables.Format.json if as_json else fmt
    if not listed and fmt is tables.Format.table:
        typer.echo("no vetting cases" + (f" with status {wanted}" if wanted else ""))
        return
    rows = [[v.case.id, v.status, v.case.decision, v.case.outcome, v.case.expires, v.case.subject_label] for v in listed]
    records = {"on": day.isoformat(), "status": wanted, "subject": iri, "cases": [v.as_dict() for v in listed]}
    tables.show(["case", "status", "decision", "engine", "expires", "subject"], rows, fmt, records=records)


@cases_app.command("show")
def show(
    case_id: Annotated[str, typer.Argument(help="The case id (12 hexadecimal characters).")],
    on: OnOption = None,
    store: StoreOption = None,
    as_json: JsonOption = False,
    as_html: Annotated[bool, typer.Option("--html", help="Print the printable HTML record, to file with the decision.")] = False,
) -> None:
    """One case: the engine's result it rests on, the decision, sign-off, expiry and what changed."""
    day = _day(on, "--on") or date.today()
    with opened(store) as graph_store:
        try:
            case = cases.get(graph_store, case_id)
        except cases.CaseNotFound as error:
            raise fail(str(error)) from None
        view = review(graph_store, sparql.dataset_for(graph_store), [case], on=day,
                      superseding=cases.list_cases(graph_store, subject=case.subject))[0]
    if as_html:
        # Imported here: rendering HTML is the only reason this command needs the templates.
        from api.web.templating import templates

        typer.echo(templates.env.get_template("vetting_case.html").render(view=view, case=view.case))
        return
    _print(view, as_json)


@cases_app.command("sign-off")
def sign_off(
    case_id: Annotated[str, typer.Argument(help="The case id (12 hexadecimal characters).")],
    key: KeyOption = None,
    note: Annotated[str | None, typer.Option("--note", help="What you add as second reviewer.")] = None,
    store: StoreOption = None,
    as_json: JsonOption = False,
) -> None:
    """Sign off a case as its second reviewer: with another key than the decision's."""
    with opened(store) as graph_store:
        agent = _agent(graph_store, key)
        try:
            case = cases.sign_off(graph_store, case_id, agent=agent, note=note)
        except (cases.CaseNotFound, cases.CaseConflict) as error:
            raise fail(str(error)) from None
        except cases.CaseError as error:
            raise fail(f"--{error}") from None
        view = review(graph_store, sparql.dataset_for(graph_store), [case], on=date.today(),
                      superseding=cases.list_cases(graph_store, subject=case.subject))[0]
    _print(view, as_json)


def register(app: typer.Typer) -> None:
    app.add_typer(cases_app, name="cases")
