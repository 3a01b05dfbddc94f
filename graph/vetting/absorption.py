"""Rule 5, absorption: the subject absorbed (DDR integration) or split from (splinter) a group that
perpetrated before the integration or split, or someone posted to, member of or commanding the
subject was in such a group during the incident. Renamings, successors and mergers carry every
finding instead (graph.vetting.succession)."""

from __future__ import annotations

from graph.index.names import local_name
from graph.vetting.dates import Overlap, Period, TimeCheck, combine, known_by, on_date, overlaps
from graph.vetting.drafts import (
    Context,
    Draft,
    Step,
    currency,
    incident_period,
    perpetration_step,
    state_words,
    subject_binding,
)

SUCCESSION_VERBS = {"Splinter": "split from", "Renaming": "was renamed from", "Merger": "merged from", "SuccessorOrganization": "succeeded"}


def succession_kind(ctx: Context, link: str) -> str:
    """Renaming, SuccessorOrganization, Merger or Splinter; a succession without a kind is a successor."""
    return local_name(ctx.facts.relation(link).facets.get("successionKind", "SuccessorOrganization"))


def absorption(ctx: Context) -> list[Draft]:
    if not ctx.is_organization:
        return []
    drafts = []
    for row in ctx.facts.rows("absorption", **subject_binding(ctx)):
        kind, link, group = row["kind"], row["link"], row["group"]
        incident, perpetration = row["incident"], row["perpetration"]
        if not (kind and link and group and incident and perpetration):
            continue
        during = incident_period(ctx, incident)
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
    on = on_date(link_period.start, link_period.start_precision) if link_period.start else "date unknown"
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
    when = on_date(link_period.start, link_period.start_precision) if link_period.start else "on an unknown date"
    return Draft(
        "absorption",
        [Step(link, ctx.subject, group, verb, check), perpetration_step(perpetration, group, incident)],
        check.overlap,
        ended,
        f"{'absorbed' if kind == 'integration' else 'succeeded'} {when}" + ("" if ended else f"; {basis}"),
        incident=incident,
        perpetrator=group,
        anchor=link,
        summary_parts={"kind": kind, "when": when},
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
        [Step(link, person, ctx.subject, present if current else past), *steps_via, perpetration_step(perpetration, group, incident)],
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
