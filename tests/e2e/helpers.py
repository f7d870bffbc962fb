"""Small helpers shared by the browser tests: the member picker (tom-select) and the console watch."""

from playwright.sync_api import expect


def pick_member(page, label, query, name):
    """Type `query` (a name, 工号 or 系部) into the member picker labelled `label` and choose the option showing
    `name`, as a person would; the chosen person appears as a removable tag."""
    box = page.get_by_role("combobox", name=label)
    box.click()
    box.fill(query)
    option = page.locator(f"#{box.get_attribute('aria-controls')} [data-selectable]").filter(has_text=name)
    option.first.click()
    wrapper = box.locator("xpath=ancestor::div[contains(@class,'ts-wrapper')]")
    expect(wrapper.locator(".item").filter(has_text=name)).to_be_visible()
    page.keyboard.press("Escape")


def watch_console(page):
    """Collect the page's console errors and uncaught exceptions (CSP refusals are console errors too); the caller
    asserts the list is empty at the end."""
    errors = []
    page.on("console", lambda msg: errors.append(f"console: {msg.text}") if msg.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(f"pageerror: {exc}"))
    return errors
