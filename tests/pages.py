"""What a person reads on a list page, taken from the server's HTML: the rows as they show as cards on a
phone (title, labelled cells, state, the one next step) and the empty state (why, what next, action)."""

from lxml import html as lxml_html


def _text(node) -> str:
    return " ".join(node.text_content().split())


def _doc(response):
    assert response.status_code == 200, response.status_code
    return lxml_html.fromstring(response.content.decode())


def empty_state(response) -> dict | None:
    """{why, next, action: (href, label) or None} of the page's empty state, or None when it has none."""
    boxes = _doc(response).xpath('//*[@data-testid="empty-state"]')
    if not boxes:
        return None
    paragraphs = [_text(p) for p in boxes[0].xpath(".//p")]
    links = boxes[0].xpath(".//a")
    return {
        "why": paragraphs[0],
        "next": paragraphs[1] if len(paragraphs) > 1 else "",
        "action": (links[0].get("href"), _text(links[0])) if links else None,
    }


def cards(response) -> list[dict]:
    """The rows of the page's card list (`table.table-cards`): {title, fields, state, action} each.

    `fields` maps each cell's `data-label` (what the card says before the value) to its text; `state`
    is the text of the row's badges outside labelled cells; `action` is (href, text) of its next step."""
    tables = _doc(response).xpath('//table[contains(concat(" ", @class, " "), " table-cards ")]')
    assert len(tables) == 1, f"{len(tables)} card lists on the page"
    rows = []
    for tr in tables[0].xpath("./tbody/tr"):
        title = tr.xpath('./td[contains(@class, "card-title-cell")]')
        actions = tr.xpath('./td[contains(@class, "card-action")]')
        assert len(title) == 1 and len(actions) <= 1, "a card has one title and at most one next step"
        link = actions[0].xpath(".//a") if actions else []
        rows.append({
            "title": _text(title[0]),
            "fields": {td.get("data-label"): _text(td) for td in tr.xpath("./td[@data-label]")},
            "state": " ".join(_text(b) for b in tr.xpath('./td[not(@data-label)]//span[contains(@class, "badge")]')),
            "action": (link[0].get("href"), _text(link[0])) if link else (None, _text(actions[0]) if actions else ""),
        })
    return rows


def result_count(response) -> str:
    """The visible count of results ("3 đợt kiểm tra")."""
    doc = _doc(response)
    found = doc.xpath('//*[@data-testid="result-bar"]//p[@role="status"]') or doc.xpath(
        '//*[@data-testid="result-count"]')
    assert found, "no result count on the page"
    return _text(found[0])


def chips(response) -> list[str]:
    """The filters in force as the page shows them ("Loại: Xã")."""
    return [_text(a.xpath("./span")[0]) for a in _doc(response).xpath('//*[@data-testid="filter-chips"]//a[@class="filter-chip"]')]
