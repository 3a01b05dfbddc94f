"""The vetting engine's time semantics and Leahy / HRDDP policy defaults, on the fictional cases
built for them (graph/data/fictional/scenario.ttl, "VETTING ENGINE CASES" in its header).

Each rule change has a positive and a negative case: the day before, the day itself and the day
after an incident with no end; a link that begins inside an incident's month; an unknown end;
a conviction; remediation that attaches only to the findings it concerns; the lookback that
clears only what the policy names; succession chains and a splinter; listings by regime type,
ended by a date or by a delisting record; the knowledge date.
"""

from __future__ import annotations

import csv
import io
from datetime import date

import pyoxigraph as ox
import pytest

from graph.ingest import setup
from graph.query import sparql
from graph.store import EmbeddedStore, open_store
from graph.vetting import report
from graph.vetting.dates import DAY, MONTH, YEAR, Overlap, Period, overlaps, parse_partial
from graph.vetting.engine import vet
from graph.vetting.model import Finding, FindingSet
from graph.vetting.policy import DEFAULT_POLICY, policy_from_dict
from ontology.namespaces import AG, FICTIONAL, FICTIONAL_GRAPH

ON = date(2025, 6, 1)
UNIT, PERSON, GROUP, ORG, INCIDENT, REL = (FICTIONAL + k + "/" for k in ("unit", "person", "group", "org", "incident", "relation"))
HARLOW = INCIDENT + "harlow-bridge-killing"  # 2019-05-20, no end
ORVELL = INCIDENT + "orvell-mine-shooting"  # 2020-03 (month), no end
BORDER = INCIDENT + "efg-border-executions"  # 2008-06-12, established, remediated
FARMS = INCIDENT + "efg-farm-burning"  # 2009-03, not a gross violation
TORTURE = INCIDENT + "orvell-detention-torture"  # 2012, established, not remediated
HOLLIN = INCIDENT + "hollin-ford-killings"
QUARRY = INCIDENT + "omsd-quarry-killing"  # 2013-08-04, established, a member convicted in 2015


@pytest.fixture(scope="module")
def dataset(demo_store: EmbeddedStore) -> sparql.Dataset:
    return sparql.dataset_for(demo_store)


def run(store: EmbeddedStore, dataset: sparql.Dataset, iri: str, *, on: date = ON, known: date | None = None, **policy: object) -> FindingSet:
    chosen = policy_from_dict({**DEFAULT_POLICY.as_dict(), **policy}) if policy else DEFAULT_POLICY
    return vet(store, dataset, iri, on=on, policy=chosen, as_known_on=known)


def about(result: FindingSet, rule: str, incident: str | None = None) -> list[Finding]:
    return [f for f in result.findings if f.rule == rule and (incident is None or (f.incidents and f.incidents[0].iri == incident))]


# -- incidents with no end: the precision window -------------------------------------------


def test_incident_without_end_lasts_its_start_day_not_forever() -> None:
    incident = Period(date(2019, 5, 20))
    took_over = Period(date(2019, 6, 1), ongoing=True)
    check = overlaps(took_over, incident, began="took command")
    assert check.overlap is Overlap.NO
    assert check.note == "took command on 2019-06-01, 12 days after the incident of 2019-05-20: not during it"
    assert overlaps(Period(date(2019, 5, 20), ongoing=True), incident).overlap is Overlap.YES
    assert overlaps(Period(date(2019, 5, 1), date(2019, 5, 19)), incident).overlap is Overlap.NO
    # marked ongoing, it does continue
    assert overlaps(took_over, Period(date(2019, 5, 20), ongoing=True)).overlap is Overlap.YES


@pytest.mark.parametrize(
    ("precision", "start", "expected"),
    [
        (MONTH, date(2020, 3, 15), Overlap.UNCERTAIN),  # inside the month: never certain
        (MONTH, date(2020, 3, 1), Overlap.YES),  # held from the month's first day
        (MONTH, date(2020, 4, 1), Overlap.NO),  # the day after the month
        (MONTH, date(2020, 2, 29), Overlap.YES),  # the day before the month, still holding
        (YEAR, date(2020, 7, 1), Overlap.UNCERTAIN),
        (YEAR, date(2021, 1, 1), Overlap.NO),
        (YEAR, date(2019, 12, 31), Overlap.YES),
        (DAY, date(2020, 3, 2), Overlap.NO),
    ],
)
def test_precision_window_of_an_incident_without_end(precision: str, start: date, expected: Overlap) -> None:
    incident = Period(date(2020, 3, 1) if precision != YEAR else date(2020, 1, 1), start_precision=precision)
    assert overlaps(Period(start, ongoing=True), incident).overlap is expected


def test_partial_incident_dates_never_make_a_later_link_certain() -> None:
    # the incident ran from some day in March 2019 to some day in February 2020
    incident = Period(date(2019, 3, 1), date(2020, 2, 29), MONTH, MONTH)
    assert overlaps(Period(date(2020, 2, 10), ongoing=True), incident).overlap is Overlap.UNCERTAIN
    assert overlaps(Period(date(2019, 3, 31), ongoing=True), incident).overlap is Overlap.YES


def test_publication_dates_at_their_precision() -> None:
    assert parse_partial("2022") == (date(2022, 1, 1), date(2022, 12, 31))
    assert parse_partial("2009-11") == (date(2009, 11, 1), date(2009, 11, 30))
    assert parse_partial("2009-11-20T10:00:00Z") == (date(2009, 11, 20), date(2009, 11, 20))
    assert parse_partial("not a date") is None


def test_commanders_the_day_before_the_day_of_and_the_day_after(demo_store, dataset) -> None:
    before = run(demo_store, dataset, PERSON + "tomas-reevel")
    assert about(before, "command", HARLOW) == [] and before.outcome == "clear"
    during = run(demo_store, dataset, PERSON + "corin-abbet")
    [held] = about(during, "command", HARLOW)
    assert held.severity == "high" and held.certain and held.time[0] == "held 2019-05-20, during the incident of 2019-05-20"
    after = run(demo_store, dataset, PERSON + "edrin-salk")
    [context] = about(after, "command", HARLOW)
    assert context.context == "failure_to_punish" and context.severity == "medium" and not context.certain
    assert context.time[0] == "took command on 2019-05-21, 1 day after the incident of 2019-05-20: not during it"
    assert "no accountability" in context.summary and "held during" not in context.summary
    assert after.outcome == "review"


def test_failure_to_punish_is_policy_and_needs_no_accountability(demo_store, dataset) -> None:
    assert about(run(demo_store, dataset, PERSON + "edrin-salk", failure_to_punish="off"), "command", HARLOW) == []
    [low] = about(run(demo_store, dataset, PERSON + "edrin-salk", failure_to_punish="context"), "command", HARLOW)
    assert low.severity == "low"
    # Quorrin took over the 72nd after Karst Hollow, for which a conviction is recorded: no context finding
    quorrin = run(demo_store, dataset, PERSON + "mirela-quorrin")
    assert quorrin.findings == [] and quorrin.outcome == "clear"


def test_link_beginning_inside_an_incident_month_is_uncertain(demo_store, dataset) -> None:
    inside = run(demo_store, dataset, PERSON + "lira-vant")
    [uncertain] = [f for f in about(inside, "command", ORVELL) if not f.context]
    assert not uncertain.certain and uncertain.severity == "medium"
    assert "within the dates of the incident" in uncertain.time[0]
    assert run(demo_store, dataset, PERSON + "lira-vant", unknown_dates="assume").findings[0].severity == "high"
    later = run(demo_store, dataset, PERSON + "cass-morrow")
    assert [f.context for f in about(later, "command", ORVELL)] == ["failure_to_punish"]
    assert about(later, "command", ORVELL)[0].time[0] == "took command on 2020-04-01, 1 day after the incident of 2020-03: not during it"


# -- unknown ends are never current --------------------------------------------------------


def test_unknown_end_is_not_current_and_cites_the_latest_source(demo_store, dataset) -> None:
    noll = run(demo_store, dataset, PERSON + "gaspar-noll")
    commands = about(noll, "command")
    assert commands and all(not f.current and f.current_reading == "end_unknown" and f.state == "end unknown" for f in commands)
    assert all(f.current_basis == "end unknown; last cited 2010" for f in commands)
    data = noll.as_dict()
    assert all("still holds" not in f["current_basis"] for f in data["findings"])
    # positive control: an ongoing command is current
    [salk] = about(run(demo_store, dataset, PERSON + "edrin-salk"), "command", HARLOW)
    assert salk.current and salk.current_reading == "ongoing"


# -- convictions, remediation, lookback ----------------------------------------------------


def test_conviction_establishes_perpetration_and_never_mitigates_it(demo_store, dataset) -> None:
    noll = run(demo_store, dataset, PERSON + "gaspar-noll")
    [direct] = about(noll, "direct", BORDER)
    assert direct.incidents[0].status == "established" and direct.evidence[0].relation == REL + "judgment-noll"
    assert direct.severity == "high" and noll.outcome == "flag"  # 2008, but established, gross and unremediated for him
    assert all(m.kind != "JudicialOutcome" for f in noll.findings for m in f.mitigations)
    tallavar = run(demo_store, dataset, PERSON + "oren-tallavar")
    assert all(not f.mitigations or all(m.relation != REL + "judgment-tallavar" for m in f.mitigations) for f in tallavar.findings)
    # negative: without the policy, the conviction alone makes no finding
    assert about(run(demo_store, dataset, PERSON + "gaspar-noll", conviction_establishes=False), "direct", BORDER) == []


def test_a_co_accused_conviction_is_never_mitigation_of_a_persons_finding(demo_store, dataset) -> None:
    tolk = run(demo_store, dataset, PERSON + "mira-tolk")
    [served] = about(tolk, "command", QUARRY)
    assert served.mitigations == []
    assert served.gross_violation is True and served.severity != "low"  # the lookback does not clear it
    assert tolk.outcome == "flag" and len(tolk.findings) == 1
    # the convicted member: his own conviction establishes it and is not his mitigation either
    drey = run(demo_store, dataset, PERSON + "ansel-drey")
    assert about(drey, "direct", QUARRY)[0].severity == "high" and drey.outcome == "flag"
    assert all(m.relation != REL + "judgment-drey" for f in drey.findings for m in f.mitigations)
    # positive control: on the unit's own record, the member's conviction is accountability
    [on_unit] = about(run(demo_store, dataset, UNIT + "omsd"), "direct", QUARRY)
    assert [m.relation for m in on_unit.mitigations] == [REL + "judgment-drey"]
    assert on_unit.severity == "low" and "lookback" in on_unit.severity_basis


def test_being_held_accountable_is_no_mitigation_of_ones_own_command(demo_store, dataset) -> None:
    # The remediation of the border executions held Noll accountable: it remediates the company's
    # record, not his command of it.
    noll = run(demo_store, dataset, PERSON + "gaspar-noll")
    assert all(m.relation != REL + "remediation-efg-border" for f in noll.findings for m in f.mitigations)
    unit = run(demo_store, dataset, UNIT + "efg-coy")
    assert any(m.relation == REL + "remediation-efg-border" for f in about(unit, "direct", BORDER) for m in f.mitigations)


def test_remediation_attaches_only_to_the_findings_it_concerns(demo_store, dataset) -> None:
    unit = run(demo_store, dataset, UNIT + "efg-coy")
    [border] = about(unit, "direct", BORDER)
    assert {m.relation for m in border.mitigations} == {REL + "remediation-efg-border", REL + "judgment-noll"}
    assert "held accountable Gaspar Noll" in next(m.text for m in border.mitigations if m.kind == "Remediation")
    for other in (about(unit, "direct", FARMS) + about(unit, "direct", HARLOW)):
        assert other.mitigations == []


def test_lookback_never_clears_an_unremediated_established_gross_violation(demo_store, dataset) -> None:
    omsd = run(demo_store, dataset, UNIT + "omsd")
    [torture] = about(omsd, "direct", TORTURE)
    assert torture.severity == "high" and torture.gross_violation is True
    assert any("lookback does not clear" in note for note in torture.time)
    remediated = run(demo_store, dataset, UNIT + "efg-coy")
    [border] = about(remediated, "direct", BORDER)
    assert border.severity == "low" and "lookback" in border.severity_basis  # remediated and old
    [farms] = about(remediated, "direct", FARMS)
    assert farms.severity == "low" and farms.gross_violation is False  # not gross, old
    strict = run(demo_store, dataset, UNIT + "omsd", lookback_applies_to=["established_gross", "not_gross"])
    assert about(strict, "direct", TORTURE)[0].severity == "low"


def test_gross_violation_classification_and_policy(demo_store, dataset) -> None:
    omsd = run(demo_store, dataset, UNIT + "omsd")
    [shooting] = about(omsd, "direct", ORVELL)
    assert shooting.gross_violation is False and shooting.severity == "high"
    leahy = run(demo_store, dataset, UNIT + "omsd", non_gross_violations="review")
    assert about(leahy, "direct", ORVELL)[0].severity == "medium"
    assert about(leahy, "direct", TORTURE)[0].severity == "high"
    own = run(demo_store, dataset, UNIT + "omsd", gross_violation_types=["ExcessiveForce"])
    assert about(own, "direct", ORVELL)[0].gross_violation is True


# -- succession ----------------------------------------------------------------------------


def test_renaming_and_merger_carry_every_finding_through_the_chain(demo_store, dataset) -> None:
    renamed = run(demo_store, dataset, UNIT + "jtf-serel")
    [carried] = about(renamed, "hierarchy", HOLLIN)
    assert renamed.outcome == "flag" and carried.via_succession is not None
    assert carried.via_succession["from"] == UNIT + "tf-hollin" and carried.via_succession["kind"] == "Renaming"
    assert carried.evidence[0].relation == REL + "renaming-hollin-serel" and "Through succession" in carried.summary
    merged = run(demo_store, dataset, UNIT + "joint-command-east")
    [twice] = about(merged, "hierarchy", HOLLIN)
    assert [e.relation for e in twice.evidence[:2]] == [REL + "merger-serel-east", REL + "renaming-hollin-serel"]


def test_splinter_keeps_only_its_parents_own_record(demo_store, dataset) -> None:
    splinter = run(demo_store, dataset, GROUP + "hollin-remnant")
    assert splinter.findings == [] and splinter.outcome == "clear"  # the hierarchy finding stays with TF Hollin
    opted_in = run(demo_store, dataset, GROUP + "hollin-remnant", succession_inherits=["Renaming", "Splinter"])
    assert about(opted_in, "hierarchy", HOLLIN)
    assert about(run(demo_store, dataset, UNIT + "jtf-serel", succession_inherits=[]), "hierarchy") == []


# -- sanctions by regime type, ended listings ----------------------------------------------


def test_listing_ended_by_date_or_by_delisting_is_former_and_never_flags(demo_store, dataset) -> None:
    for person, relation in (("ilse-marrek", None), ("bram-oduya", "delisted on 2022-02-01")):
        result = run(demo_store, dataset, PERSON + person)
        [listing] = about(result, "sanctions")
        assert result.outcome == "clear" and listing.severity == "low" and not listing.current
        assert relation is None or relation in listing.summary
        # positive control: before the end, the same listing flags
        earlier = run(demo_store, dataset, PERSON + person, on=date(2020, 1, 15))
        assert earlier.outcome == "flag" and about(earlier, "sanctions")[0].current


def test_regime_types_decide_what_a_listing_does(demo_store, dataset) -> None:
    proscribed = run(demo_store, dataset, ORG + "serra-alta-survivors")
    assert proscribed.outcome == "clear" and about(proscribed, "sanctions")[0].regime_type == "DomesticProscription"
    untyped = run(demo_store, dataset, PERSON + "velm-ostrander")
    assert untyped.outcome == "review" and about(untyped, "sanctions")[0].regime_type == "OtherSanctionsRegime"
    flagged = run(demo_store, dataset, ORG + "serra-alta-survivors", sanctions_regimes={"DomesticProscription": "flag"})
    assert flagged.outcome == "flag"
    assert run(demo_store, dataset, PERSON + "velm-ostrander", sanctions_regimes={"OtherSanctionsRegime": "flag"}).outcome == "flag"


# -- knowledge date ------------------------------------------------------------------------


def test_knowledge_date_uses_only_what_was_published_by_then(demo_store, dataset) -> None:
    then = run(demo_store, dataset, UNIT + "efg-coy", on=date(2009, 12, 31), known=date(2009, 12, 31))
    assert then.as_known_on == "2009-12-31" and {f.incidents[0].iri for f in then.findings} == {BORDER}
    later = run(demo_store, dataset, UNIT + "efg-coy", on=date(2010, 12, 31), known=date(2010, 12, 31))
    assert {f.incidents[0].iri for f in later.findings} == {BORDER, FARMS}
    # the Harlow killing (2019) is on record only from the 2024 monitor
    assert HARLOW not in {f.incidents[0].iri for f in run(demo_store, dataset, UNIT + "efg-coy", known=date(2023, 12, 31)).findings}
    assert HARLOW in {f.incidents[0].iri for f in run(demo_store, dataset, UNIT + "efg-coy", known=date(2024, 12, 31)).findings}
    assert run(demo_store, dataset, UNIT + "efg-coy").as_known_on is None


@pytest.fixture(scope="module")
def month_delisting_store() -> EmbeddedStore:
    """The demo, with Oduya's delisting recorded only to the month (February 2022)."""
    store = open_store(None)
    setup.init_store(store, demo=True)
    delisting = ox.NamedNode(REL + "delisting-oduya")
    store.add([ox.Quad(delisting, ox.NamedNode(AG + "startPrecision"), ox.NamedNode(AG + "MonthPrecision"), ox.NamedNode(FICTIONAL_GRAPH))])
    return store


@pytest.mark.parametrize(
    ("day", "current", "reading"),
    [
        (date(2022, 1, 31), True, "ongoing"),  # the day before the month of the delisting
        (date(2022, 2, 1), True, "until"),  # its first day: a listing delisted that day held on it
        (date(2022, 2, 2), False, "end_uncertain"),  # delisted on the 1st, or later that month
        (date(2022, 2, 28), False, "end_uncertain"),  # its last day: maybe not delisted yet
        (date(2022, 3, 1), False, "ended"),  # the day after the month
    ],
)
def test_a_delisting_given_to_the_month_leaves_that_month_uncertain(month_delisting_store: EmbeddedStore, day: date, current: bool, reading: str) -> None:
    store = month_delisting_store
    result = run(store, sparql.dataset_for(store), PERSON + "bram-oduya", on=day, known=ON)
    [listing] = about(result, "sanctions")
    assert listing.current is current and listing.current_reading == reading
    assert "2022-02-01" not in listing.summary + " ".join(listing.time)
    if day >= date(2022, 2, 1):
        assert "delisted in 2022-02 (delisting record)" in listing.summary and "delisted in 2022-02 (delisting record)" in listing.time
    if reading == "end_uncertain":
        assert listing.summary.endswith(f"so it may have ended before {day.isoformat()}.")
        assert result.outcome == "review"  # neither flagged as a current listing nor cleared as a former one
    if reading == "ended":
        assert result.outcome == "clear"


def test_an_integration_given_to_the_year_is_said_in_that_year() -> None:
    """The DDR integration of the Quellmoor Hunters' Guard recorded only as "2021": the absorption
    finding says "in 2021", never a day (2021-01-01 is how the year is stored)."""
    store = open_store(None)
    setup.init_store(store, demo=True)
    integration, graph = ox.NamedNode(REL + "integration-qhg-bn-45"), ox.NamedNode(FICTIONAL_GRAPH)
    start = ox.NamedNode(AG + "startDate")
    store.remove([q for q in store.quads(graph) if q.subject == integration and q.predicate == start])
    store.add([
        ox.Quad(integration, start, ox.Literal("2021-01-01", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#date")), graph),
        ox.Quad(integration, ox.NamedNode(AG + "startPrecision"), ox.NamedNode(AG + "YearPrecision"), graph),
    ])
    result = run(store, sparql.dataset_for(store), UNIT + "bn-45-integrated")
    [orrandel] = [f for f in about(result, "absorption", INCIDENT + "orrandel-road-abductions") if f.evidence[0].relation == REL + "integration-qhg-bn-45"]
    assert "in 2021" in orrandel.summary and "preceded the integration (in 2021)" in orrandel.time[0]
    assert "2021-01-01" not in orrandel.summary + " ".join(orrandel.time) + orrandel.current_basis


def test_the_kept_documents_say_an_incident_given_to_the_year_as_that_year(demo_store: EmbeddedStore, dataset: sparql.Dataset) -> None:
    """The Orvell detention torture is recorded only as "2012" (stored 2012-01-01): the text report
    and the findings CSV say 2012, as the pages do, never the first of January."""
    omsd = run(demo_store, dataset, UNIT + "omsd")
    [torture] = about(omsd, "direct", TORTURE)
    assert torture.incidents[0].date == "2012-01-01" and torture.incidents[0].start_precision == "year"
    text = report.text_report(omsd)
    incident_lines = [line for line in text.splitlines() if "incident:" in line and "torture" in line.lower()]
    assert incident_lines and all("(2012;" in line for line in incident_lines)
    assert "2012-01-01" not in text
    rows = [row for row in csv.DictReader(io.StringIO(report.findings_csv([omsd]))) if row["incident"] == TORTURE]
    assert rows and {row["incident_date"] for row in rows} == {"2012"}
