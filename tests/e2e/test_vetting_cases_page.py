"""The vetting cases page in a browser: an analyst records a decision, the same key is refused
the sign-off with the API's reason, and a second analyst's key signs it off."""

from __future__ import annotations

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
