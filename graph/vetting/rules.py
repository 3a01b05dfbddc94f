"""Vetting rules 1 to 4 (5 is graph.vetting.absorption, 6 and 7 graph.vetting.sanctions). Each runs its own
query (queries/vetting/{rule}.rq), then decides in time.

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

from datetime import date

import pyoxigraph as ox

from graph.index.names import local_name
from graph.vetting.dates import Overlap, Period, TimeCheck, combine, known_by, overlaps
from graph.vetting.drafts import (
    Context,
    Draft,
    Step,
    chain_current,
    currency,
    find_chain,
    incident_period,
    perpetration_step,
    state_words,
    steps_of_chain,
    subject_binding,
)
from graph.vetting.node_facts import Edge

# -- 1 direct ------------------------------------------------------------------------------


def direct(ctx: Context) -> list[Draft]:
    """Recorded perpetrations of the subject, and (policy conviction_establishes) incidents a court
    convicted it of: a conviction establishes the perpetration, it never mitigates it."""
    drafts: dict[str, Draft] = {}
    for row in ctx.facts.rows("direct", **subject_binding(ctx)):
        incident, perpetration = row["incident"], row["perpetration"]
        if not incident or not perpetration or incident_period(ctx, incident) is None:
            continue
        drafts[incident] = Draft(
            "direct",
            [perpetration_step(perpetration, ctx.subject, incident)],
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
    for row in ctx.facts.rows("judgments", **subject_binding(ctx)):
        judgment, incident = row["judgment"], row["incident"]
        if not judgment or not incident or incident_period(ctx, incident) is None or not ctx.facts.known(judgment):
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
    for row in ctx.facts.rows("command", **subject_binding(ctx)):
        post, unit, perp_unit = row["post"], row["unit"], row["perpUnit"]
        incident, perpetration = row["incident"], row["perpetration"]
        if not (post and unit and perp_unit and incident and perpetration):
            continue
        during = incident_period(ctx, incident)
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
        steps = [Step(post, ctx.subject, unit, verb, post_check), *steps_of_chain(chain), perpetration_step(perpetration, perp_unit, incident)]
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
        [Step(post, ctx.subject, unit, "took command of", check), perpetration_step(perpetration, unit, incident)],
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
    binding = {**subject_binding(ctx), "direction": ox.Literal(ctx.policy.hierarchy_direction)}
    drafts = []
    for row in ctx.facts.rows("hierarchy", **binding):
        unit, incident, perpetration, branch = row["unit"], row["incident"], row["perpetration"], row["branch"]
        if not (unit and incident and perpetration and branch):
            continue
        during = incident_period(ctx, incident)
        if during is None:
            continue
        if branch == "down":
            chain = find_chain(ctx.facts, unit, ctx.subject, during, ctx.policy.hierarchy_depth)
        else:
            chain = find_chain(ctx.facts, ctx.subject, unit, during, ctx.policy.hierarchy_depth)
        if chain is None:
            continue  # joined at some time, but not during the incident, or deeper than the policy allows
        state = chain_current(chain, ctx)
        edge_steps = steps_of_chain(chain) if branch == "down" else [
            Step(e.relation, e.child, e.parent, "was subordinate to", c) for e, c in chain
        ]
        drafts.append(
            Draft(
                "hierarchy",
                [*edge_steps, perpetration_step(perpetration, unit, incident)],
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
    for row in ctx.facts.rows("membership", **subject_binding(ctx)):
        node, organization = row["membership"], row["organization"]
        incident, perpetration = row["incident"], row["perpetration"]
        if not (node and organization and incident and perpetration):
            continue
        during = incident_period(ctx, incident)
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
                [Step(node, ctx.subject, organization, "was a member of", check), perpetration_step(perpetration, organization, incident)],
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
