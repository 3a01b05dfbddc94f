"""The seven vetting rules. Each runs its own query (queries/vetting/{rule}.rq), then decides in time.

Every rule turns the rows of its query into `Draft` findings: the chain of relation nodes from the
subject to what it is linked to, each checked against the incident's dates (or the vetting date)
by graph.vetting.dates, which says in words which reading of the dates applied. A candidate whose
dates rule it out is dropped here; one whose dates only *allow* it is kept as uncertain, and the
policy decides what that means (graph.vetting.engine). How each rule treats time:

1. direct      the subject is the recorded perpetrator, or a court convicted it of the incident (the
               latest outcome by the vetting date); only incidents that began by the vetting date.
2. command     a command or posting of the person in the perpetrator unit, or in a unit above it,
               must overlap the incident, and the chain of subordinations between the two units
               must hold during the incident, within the policy's depth. A commander who took over
               after the incident bears no command responsibility (Quorrin); when no accountability
               for it is recorded, it is shown as context ("failure to punish"), at most review.
3. hierarchy   a unit below the subject (or above it, by policy) perpetrated, and a chain of dated
               subordinations joined them during the incident, within the policy's depth (div-2 is
               dropped for Karst Hollow: bde-7 joined it the next year).
4. membership  a plain membership of the subject in the perpetrating organization overlaps the incident.
5. absorption  the subject absorbed (DDR integration) or split from (splinter) a group that perpetrated
               before the integration or split; or someone posted to, member of or commanding the
               subject was in such a group during the incident (or is a perpetrator). A renaming, a
               successor or a merger carries *every* finding instead (graph.vetting.succession).
6. sanctions   (graph.vetting.sanctions) the subject, or a person commanding it, is listed, counted
               by regime type; a listing that ended or was delisted before the vetting date is former.
7. risk        (graph.vetting.sanctions) the subject relies on, protects or controls an illicit
               network; a risk, not perpetration.

Which reading of a link's end applied (ongoing, until, ended, end unknown, end uncertain) travels
with each draft, so that no report calls a link current when only its end is unknown.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import pyoxigraph as ox

from graph.vetting.dates import Currency, Overlap, Period, TimeCheck, combine, is_current, known_by, overlaps
from graph.vetting.facts import Edge, Facts, local_name
from graph.vetting.policy import Policy


@dataclass(frozen=True)
class Step:
    """One relation node on the path, read as "`source` `verb` `target`"."""

    node: str
    source: str
    target: str
    verb: str
    check: TimeCheck | None = None


@dataclass
class Draft:
    """A finding before severity, evidence details and mitigation are attached."""

    rule: str
    steps: list[Step]
    overlap: Overlap
    current: bool
    current_basis: str
    incident: str | None = None
    perpetrator: str | None = None
    indirect: str = ""  # why the link is indirect (caps severity at review); empty when it is not
    relevant_end: date | None = None  # for findings without an incident: the date the lookback applies to
    anchor: str = ""  # the subject's own link, for de-duplication
    summary_parts: dict[str, str] = field(default_factory=dict)
    current_reading: str = "ongoing"  # which reading of the link's end applied (vetting_time.Currency)
    status: str | None = None  # overrides the perpetration's status (a conviction establishes it)
    context: str = ""  # "failure_to_punish": shown as context, never as "held during"
    regime_effect: str = ""  # sanctions: what the listing's regime type does under the policy (flag, review, context)
    notes: list[str] = field(default_factory=list)  # more time reasoning, in words

    @property
    def perpetration(self) -> str | None:
        return self.steps[-1].node if self.incident else None


@dataclass
class Context:
    facts: Facts
    subject: str
    day: date
    policy: Policy
    kinds: frozenset[str]

    @property
    def is_person(self) -> bool:
        return "Person" in self.kinds

    @property
    def is_organization(self) -> bool:
        return "Organization" in self.kinds


def currency(ctx: Context, node: str, period: Period) -> Currency:
    """Is the link current on the vetting date; an unknown end cites the node's latest source."""
    return is_current(period, ctx.day, ctx.facts.last_cited(node) if period.end is None and not period.ongoing else None)


def state_words(state: Currency, present: str, past: str) -> str:
    """'still holds the post: ongoing', 'former post: ended 2020-12-31', 'end unknown; last cited 2021'."""
    if state.current:
        return f"{present}: {state.basis}"
    return f"{past}: {state.basis}" if state.reading == "ended" else state.basis


def _subject_binding(ctx: Context) -> dict[str, ox.NamedNode | ox.Literal]:
    return {"subject": ox.NamedNode(ctx.subject)}


def _incident_period(ctx: Context, incident: str) -> Period | None:
    """The incident's period, or None when it began after the vetting date, or was not on record
    by the knowledge date (not known yet then)."""
    period = ctx.facts.node(incident).period
    if (period.start is not None and period.start > ctx.day) or not ctx.facts.known(incident):
        return None
    return period


def _perpetration_step(perpetration: str, perpetrator: str, incident: str) -> Step:
    return Step(perpetration, perpetrator, incident, "is recorded as perpetrator of")


# -- chains of command ---------------------------------------------------------------------


def find_chain(facts: Facts, start: str, target: str, during: Period, depth: int) -> list[tuple[Edge, TimeCheck]] | None:
    """Walk up from `start` to `target` over subordinations that held during `during`.

    At most `depth` steps. Returns the best chain (every step certain if possible, then the
    shortest) as (edge, check) pairs from `start` upward, or None when no chain held then."""
    best: list[tuple[Edge, TimeCheck]] | None = None
    frontier: list[tuple[str, list[tuple[Edge, TimeCheck]]]] = [(start, [])]
    for _ in range(depth):
        next_frontier = []
        for unit, path in frontier:
            for edge in facts.parents(unit):
                if any(edge.parent == e.child for e, _ in path) or edge.parent == start:
                    continue  # a cycle in the data
                check = overlaps(edge.period, during, began="came under its parent", ended="left its parent")
                if check.overlap is Overlap.NO:
                    continue
                extended = [*path, (edge, check)]
                if edge.parent == target:
                    if best is None or _chain_rank(extended) < _chain_rank(best):
                        best = extended
                else:
                    next_frontier.append((edge.parent, extended))
        if best is not None and combine([c for _, c in best]) is Overlap.YES:
            return best  # breadth-first: no certain chain is shorter
        frontier = next_frontier
    return best


def _chain_rank(chain: list[tuple[Edge, TimeCheck]]) -> tuple[int, int]:
    return (0 if combine([c for _, c in chain]) is Overlap.YES else 1, len(chain))


def _chain_current(chain: list[tuple[Edge, TimeCheck]], ctx: Context) -> Currency:
    for edge, _ in chain:
        state = currency(ctx, edge.relation, edge.period)
        if not state.current:
            facts = ctx.facts
            what = "left" if state.reading == "ended" else "under"
            return Currency(False, state.reading, f"{facts.label(edge.child)} {what} {facts.label(edge.parent)}: {state.basis}")
    return Currency(True, "ongoing", "the chain of command still holds")


def _edge_steps(chain: list[tuple[Edge, TimeCheck]]) -> list[Step]:
    """Top-down order for reading: the subject's end first."""
    return [Step(e.relation, e.child, e.parent, "was subordinate to", c) for e, c in reversed(chain)]


# -- 1 direct ------------------------------------------------------------------------------


def direct(ctx: Context) -> list[Draft]:
    """Recorded perpetrations of the subject, and (policy conviction_establishes) incidents a court
    convicted it of: a conviction establishes the perpetration, it never mitigates it."""
    drafts: dict[str, Draft] = {}
    for row in ctx.facts.rows("direct", **_subject_binding(ctx)):
        incident, perpetration = row["incident"], row["perpetration"]
        if not incident or not perpetration or _incident_period(ctx, incident) is None:
            continue
        drafts[incident] = Draft(
            "direct",
            [_perpetration_step(perpetration, ctx.subject, incident)],
            Overlap.YES,
            True,
            "the subject itself is the recorded perpetrator",
            incident=incident,
            perpetrator=ctx.subject,
            anchor=perpetration,
            current_reading="perpetration",
        )
    if ctx.policy.conviction_establishes:
        for incident, judgment in convictions(ctx).items():
            step = Step(judgment, ctx.subject, incident, "was convicted for")
            draft = drafts.get(incident)
            if draft is None:
                drafts[incident] = Draft(
                    "direct", [step], Overlap.YES, True, "the subject itself was convicted for the incident",
                    incident=incident, perpetrator=ctx.subject, anchor=judgment, current_reading="perpetration",
                    status="established", notes=["a conviction establishes the perpetration"],
                )
            else:
                draft.steps.insert(0, step)
                draft.status = "established"
                draft.notes.append("a conviction establishes the perpetration")
    return list(drafts.values())


def convictions(ctx: Context) -> dict[str, str]:
    """Incident -> the judgment convicting the subject of it, when a conviction is the latest court
    outcome on record by the vetting date (a conviction reversed on appeal does not count)."""
    latest: dict[str, tuple[date, str, str]] = {}
    for row in ctx.facts.rows("judgments", **_subject_binding(ctx)):
        judgment, incident = row["judgment"], row["incident"]
        if not judgment or not incident or _incident_period(ctx, incident) is None or not ctx.facts.known(judgment):
            continue
        outcome = ctx.facts.mitigation(judgment)
        if outcome is None:
            continue
        day = outcome.period.start or date.min
        if day > ctx.day:
            continue  # not decided yet as of the vetting date
        current = latest.get(incident)
        if current is None or (day, judgment) > current[:2]:
            latest[incident] = (day, judgment, local_name(outcome.outcome or ""))
    return {incident: judgment for incident, (_, judgment, outcome) in latest.items() if outcome == "Convicted"}


# -- 2 command -----------------------------------------------------------------------------


def command(ctx: Context) -> list[Draft]:
    if not ctx.is_person:
        return []
    drafts = []
    for row in ctx.facts.rows("command", **_subject_binding(ctx)):
        post, unit, perp_unit = row["post"], row["unit"], row["perpUnit"]
        incident, perpetration = row["incident"], row["perpetration"]
        if not (post and unit and perp_unit and incident and perpetration):
            continue
        during = _incident_period(ctx, incident)
        post_period = ctx.facts.node(post).period
        if during is None or not known_by(post_period, ctx.day):
            continue
        is_command = local_name(row["postClass"] or "") == "Command"
        verb = "commanded" if is_command else "was posted to"
        began, ended = ("took command", "left command") if is_command else ("was posted", "left the post")
        post_check = overlaps(post_period, during, began=began, ended=ended)
        if post_check.overlap is Overlap.NO:
            # Took command after the incident: no command responsibility for it, but an unpunished
            # incident of the unit itself is context (policy failure_to_punish).
            if is_command and perp_unit == unit:
                draft = _failure_to_punish(ctx, post, post_period, post_check, unit, perpetration, incident, during)
                if draft is not None:
                    drafts.append(draft)
            continue
        chain: list[tuple[Edge, TimeCheck]] = []
        if perp_unit != unit:
            found = find_chain(ctx.facts, perp_unit, unit, during, ctx.policy.hierarchy_depth)
            if found is None:
                continue  # below the unit at some time, but not during the incident (or too deep)
            chain = found
        state = currency(ctx, post, post_period)
        steps = [Step(post, ctx.subject, unit, verb, post_check), *_edge_steps(chain), _perpetration_step(perpetration, perp_unit, incident)]
        indirect = "" if is_command or not chain else "a posting (not a command) in a unit above the perpetrator"
        drafts.append(
            Draft(
                "command",
                steps,
                combine([post_check, *(c for _, c in chain)]),
                state.current,
                state_words(state, "still holds the post", "former post"),
                incident=incident,
                perpetrator=perp_unit,
                indirect=indirect,
                anchor=post,
                summary_parts={"verb": verb, "unit": unit, "levels": str(len(chain))},
                current_reading=state.reading,
            )
        )
    return drafts


def accountability_recorded(ctx: Context, incident: str, perpetrator: str) -> bool:
    """Is a conviction for the incident, or a remediation naming it, on record by the vetting date?"""
    for row in ctx.facts.mitigations(incident, perpetrator, ctx.subject):
        if incident not in row.about or (row.period.start is not None and row.period.start > ctx.day):
            continue
        if row.kind == "Remediation" or (row.kind == "JudicialOutcome" and local_name(row.outcome or "") == "Convicted"):
            return True
    return False


def _failure_to_punish(ctx: Context, post: str, post_period: Period, check: TimeCheck, unit: str, perpetration: str,
                       incident: str, during: Period) -> Draft | None:
    if ctx.policy.failure_to_punish == "off" or post_period.start is None or post_period.start > ctx.day:
        return None
    if during.as_incident().latest_end >= post_period.start or accountability_recorded(ctx, incident, unit):
        return None
    state = currency(ctx, post, post_period)
    return Draft(
        "command",
        [Step(post, ctx.subject, unit, "took command of", check), _perpetration_step(perpetration, unit, incident)],
        Overlap.NO,
        state.current,
        state_words(state, "still holds the post", "former post"),
        incident=incident,
        perpetrator=unit,
        anchor=post,
        summary_parts={"verb": "took command of", "unit": unit, "levels": "0"},
        current_reading=state.reading,
        context="failure_to_punish",
        notes=["took command after the incident; no accountability recorded"],
    )


# -- 3 hierarchy ---------------------------------------------------------------------------


def hierarchy(ctx: Context) -> list[Draft]:
    if not ctx.is_organization:
        return []
    binding = {**_subject_binding(ctx), "direction": ox.Literal(ctx.policy.hierarchy_direction)}
    drafts = []
    for row in ctx.facts.rows("hierarchy", **binding):
        unit, incident, perpetration, branch = row["unit"], row["incident"], row["perpetration"], row["branch"]
        if not (unit and incident and perpetration and branch):
            continue
        during = _incident_period(ctx, incident)
        if during is None:
            continue
        if branch == "down":
            chain = find_chain(ctx.facts, unit, ctx.subject, during, ctx.policy.hierarchy_depth)
        else:
            chain = find_chain(ctx.facts, ctx.subject, unit, during, ctx.policy.hierarchy_depth)
        if chain is None:
            continue  # joined at some time, but not during the incident, or deeper than the policy allows
        state = _chain_current(chain, ctx)
        edge_steps = _edge_steps(chain) if branch == "down" else [
            Step(e.relation, e.child, e.parent, "was subordinate to", c) for e, c in chain
        ]
        drafts.append(
            Draft(
                "hierarchy",
                [*edge_steps, _perpetration_step(perpetration, unit, incident)],
                combine([c for _, c in chain]),
                state.current,
                state.basis,
                incident=incident,
                perpetrator=unit,
                anchor=edge_steps[0].node,
                summary_parts={"branch": branch, "levels": str(len(chain))},
                current_reading=state.reading,
            )
        )
    return drafts


# -- 4 membership --------------------------------------------------------------------------


def membership(ctx: Context) -> list[Draft]:
    drafts = []
    for row in ctx.facts.rows("membership", **_subject_binding(ctx)):
        node, organization = row["membership"], row["organization"]
        incident, perpetration = row["incident"], row["perpetration"]
        if not (node and organization and incident and perpetration):
            continue
        during = _incident_period(ctx, incident)
        period = ctx.facts.node(node).period
        if during is None or not known_by(period, ctx.day):
            continue
        check = overlaps(period, during, began="joined", ended="left")
        if check.overlap is Overlap.NO:
            continue
        state = currency(ctx, node, period)
        drafts.append(
            Draft(
                "membership",
                [Step(node, ctx.subject, organization, "was a member of", check), _perpetration_step(perpetration, organization, incident)],
                check.overlap,
                state.current,
                state_words(state, "still a member", "former member"),
                incident=incident,
                perpetrator=organization,
                anchor=node,
                current_reading=state.reading,
            )
        )
    return drafts


# -- 5 absorption or succession ------------------------------------------------------------

SUCCESSION_VERBS = {"Splinter": "split from", "Renaming": "was renamed from", "Merger": "merged from", "SuccessorOrganization": "succeeded"}


def succession_kind(ctx: Context, link: str) -> str:
    """Renaming, SuccessorOrganization, Merger or Splinter; a succession without a kind is a successor."""
    return local_name(ctx.facts.relation(link).facets.get("successionKind", "SuccessorOrganization"))


def absorption(ctx: Context) -> list[Draft]:
    if not ctx.is_organization:
        return []
    drafts = []
    for row in ctx.facts.rows("absorption", **_subject_binding(ctx)):
        kind, link, group = row["kind"], row["link"], row["group"]
        incident, perpetration = row["incident"], row["perpetration"]
        if not (kind and link and group and incident and perpetration):
            continue
        during = _incident_period(ctx, incident)
        link_period = ctx.facts.node(link).period
        if during is None or not known_by(link_period, ctx.day):
            continue
        if kind == "succession" and succession_kind(ctx, link) in ctx.policy.succession_inherits:
            continue  # carried whole by graph.vetting.succession, not only the predecessor's own record
        if kind in ("integration", "succession"):
            draft = _absorbed_group(ctx, kind, link, link_period, group, incident, perpetration, during)
        else:
            draft = _absorbed_member(ctx, row, link, link_period, group, incident, perpetration, during)
        if draft is not None:
            drafts.append(draft)
    return drafts


def _absorbed_group(ctx: Context, kind: str, link: str, link_period: Period, group: str, incident: str,
                    perpetration: str, during: Period) -> Draft | None:
    """The subject took in the group (integration) or descends from it (succession): the group's
    record up to that day comes with it; its later incidents are its own."""
    event = "integration" if kind == "integration" else "succession"
    on = f"on {link_period.start.isoformat()}" if link_period.start else "date unknown"
    if link_period.start is None:
        check = TimeCheck(Overlap.UNCERTAIN, f"the {event} date is unknown, so whether the incident preceded it is unknown")
    elif during.earliest_start <= link_period.latest_start:
        check = TimeCheck(
            Overlap.YES if during.earliest_start <= link_period.start else Overlap.UNCERTAIN,
            f"the incident ({during.describe()}) preceded the {event} ({on})",
        )
    else:
        return None  # the group's incident came after it was absorbed or succeeded
    state = currency(ctx, link, link_period)
    ended, basis = state.current, state.basis
    verb = "absorbed" if kind == "integration" else SUCCESSION_VERBS.get(succession_kind(ctx, link), "succeeded")
    since = link_period.start.isoformat() if link_period.start else "an unknown date"
    return Draft(
        "absorption",
        [Step(link, ctx.subject, group, verb, check), _perpetration_step(perpetration, group, incident)],
        check.overlap,
        ended,
        f"{'absorbed' if kind == 'integration' else 'succeeded'} on {since}" + ("" if ended else f"; {basis}"),
        incident=incident,
        perpetrator=group,
        anchor=link,
        summary_parts={"kind": kind, "since": since},
        current_reading=state.reading,
    )


def _absorbed_member(ctx: Context, row: dict[str, str | None], link: str, link_period: Period, group: str,
                     incident: str, perpetration: str, during: Period) -> Draft | None:
    """Someone in the subject was in the perpetrating group during the incident, or is a perpetrator.

    The person's link to the subject must not have ended before the incident: someone who left
    before the group's (or their own) violations brought none of them in. A person who has since
    left, or who was only a member of the group (not its commander, not a perpetrator), is an
    indirect link: review, not flag."""
    person, via = row["person"], row["via"]
    if not person:
        return None
    if link_period.latest_end < during.earliest_start:
        return None  # left the subject before the incident
    steps_via: list[Step] = []
    checks: list[TimeCheck] = []
    reasons = []
    if via:
        check = overlaps(ctx.facts.node(via).period, during, began="joined", ended="left")
        if check.overlap is Overlap.NO:
            return None
        via_type = ctx.facts.relation(via).type
        steps_via = [Step(via, person, group, "commanded" if via_type == "Command" else "was a member of", check)]
        checks.append(check)
        if via_type != "Command":
            reasons.append("the person was a member of the perpetrating group, not its commander")
    state = currency(ctx, link, link_period)
    current = state.current
    if state.reading == "ended":
        reasons.append("the person has left the subject")
    elif not current:
        reasons.append("whether the person is still in the subject is unknown")
    link_type = ctx.facts.relation(link).type
    present = {"Command": "commands", "Posting": "is posted to"}.get(link_type, "is a member of")
    past = {"Command": "commanded", "Posting": "was posted to"}.get(link_type, "was a member of")
    return Draft(
        "absorption",
        [Step(link, person, ctx.subject, present if current else past), *steps_via, _perpetration_step(perpetration, group, incident)],
        combine(checks) if checks else Overlap.YES,
        current,
        state_words(state, "still in the subject", "has left the subject"),
        incident=incident,
        perpetrator=group,
        indirect="; ".join(reasons),
        anchor=f"{link}|{via or ''}",
        summary_parts={"kind": "member", "person": person},
        current_reading=state.reading,
    )


