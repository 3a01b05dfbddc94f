"""The vetting cases page in a browser: an analyst records a decision, the same key is refused
the sign-off with the API's reason, and a second analyst's key signs it off. And the report page:
viewing records nothing, its button records an explicit run."""

from __future__ import annotations

import json
import urllib.request
from typing import Any


def use_key(page: Any, key: str) -> None:
    page.fill("#api-key-form input[name=key]", key)
    page.click("#api-key-form button[type=submit]")
    assert page.locator("#api-key-state").inner_text() == "API key set"


def test_decide_refuse_same_key_and_sign_off(page: Any, analyst_key: str, reviewer_key: str) -> None:
    page.goto("/pages/vetting/cases?subject=unit/bde-7&date=2025-06-01")
    # Without a key the list says who may read cases; nothing about the subject is on the page.
    page.wait_for_selector("#case-list .error")
    assert "analyst" in page.locator("#case-list").inner_text()
    use_key(page, analyst_key)

    form = page.locator("#case-form")
    assert form.locator("[data-role=conditions]").is_hidden()
    form.locator("select[name=decision]").select_option("approve_with_conditions")
    assert form.locator("[data-role=conditions]").is_visible()
    form.locator("textarea[name=justification]").fill("Flagged through the 72nd Battalion; assistance limited to other units.")
    form.locator("button[type=submit]").click()
    page.wait_for_selector("#case-form-status.error")  # conditions are required for this decision: the API says so
    assert "conditions: required" in page.locator("#case-form-status").inner_text()
    form.locator("textarea[name=conditions]").fill("No assistance to the 72nd Mountain Battalion.")
    form.locator("button[type=submit]").click()

    detail = page.locator("#case-detail[data-status=awaiting-sign-off]")
    detail.wait_for(timeout=60_000)
    case_id = detail.get_attribute("data-case-id")
    text = detail.inner_text()
    assert "7th Mountain Brigade" in text and "approve with conditions" in text and "No assistance to the 72nd" in text
    assert "e2e analyst" in text and "FLAG" in text.upper()
    assert f"case={case_id}" in page.url
    page.wait_for_selector(f"#case-table tr[data-case='{case_id}'][data-status=awaiting-sign-off]")

    detail.locator("[data-role=sign-off] button").click()
    page.wait_for_selector("[data-role=sign-off] .error")
    assert "different API key" in page.locator("[data-role=sign-off] .error").inner_text()

    use_key(page, reviewer_key)  # the page reloads the case with the new key
    page.locator("#case-detail [data-role=sign-off] input[name=note]").fill("Sources checked.")
    page.locator("#case-detail [data-role=sign-off] button").click()
    signed = page.locator("#case-detail[data-status=in-force]")
    signed.wait_for(timeout=60_000)
    assert "e2e reviewer" in signed.inner_text() and "Sources checked." in signed.inner_text()
    assert signed.locator("[data-role=sign-off]").count() == 0
    page.wait_for_selector(f"#case-table tr[data-case='{case_id}'][data-status=in-force]")
    page.select_option("#case-filter select[name=status]", "needs-re-vetting")
    page.click("#case-filter button[type=submit]")
    page.wait_for_selector("#case-list p.muted")
    assert page.locator("#case-list").inner_text() == "No cases."


def test_viewing_a_report_records_nothing_until_asked(page: Any, analyst_key: str, server: str) -> None:
    def runs() -> list[dict[str, Any]]:
        request = urllib.request.Request(server + "/vetting/runs?subject=unit/bn-45-integrated&limit=1000",
                                         headers={"Authorization": f"Bearer {analyst_key}"})
        with urllib.request.urlopen(request, timeout=60) as response:
            return json.load(response)["runs"]  # type: ignore[no-any-return]

    before = len(runs())
    page.goto("/")
    use_key(page, analyst_key)
    page.goto("/pages/vetting/report?subject=unit/bn-45-integrated&date=2025-06-01")
    page.wait_for_selector("#vetting-report[data-state=loaded]", timeout=60_000)
    page.reload()  # a colleague opening the link, or a reload: still nothing recorded
    page.wait_for_selector("#vetting-report[data-state=loaded]", timeout=60_000)
    assert "Not recorded" in page.frame_locator("iframe.report-frame").locator("body").inner_text()
    assert len(runs()) == before
    page.click("button[data-role=record-run]")
    page.wait_for_selector("#vetting-report[data-recorded]", timeout=60_000)
    recorded = page.locator("#vetting-report").get_attribute("data-recorded")
    after = runs()
    assert len(after) == before + 1 and after[0]["run"] == recorded
    assert "Recorded: flag" in page.locator("[data-role=run-status]").inner_text()


def test_hostile_labels_and_justifications_stay_text(page: Any, analyst_key: str) -> None:
    page.goto("/pages/vetting/cases?subject=group/xss-militia&date=2025-06-01")
    use_key(page, analyst_key)
    payload = '<img src=x onerror="window.__xss=true">'
    page.fill("#case-form textarea[name=justification]", payload)
    page.click("#case-form button[type=submit]")
    detail = page.locator("#case-detail[data-status]")
    detail.wait_for(timeout=60_000)
    text = detail.inner_text()
    assert "<script>window.__xss=true</script>Xss Militia" in text and payload in text
    page.wait_for_selector("#case-table tr[data-case]")
    assert "<script>window.__xss=true</script>Xss Militia" in page.locator("#case-table").inner_text()
    assert page.evaluate("window.__xss") is None and page.locator("#case-detail img, #case-table img").count() == 0
