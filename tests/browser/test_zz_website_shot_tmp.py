from tests.factories import UnitFactory


def test_shot(browser, live_server, _kernel_data):
    from website import demo

    city = UnitFactory(code="UBND", name="Ủy ban nhân dân thành phố Mỹ Tho", committee=True)
    for i in range(1, 4):
        UnitFactory(code=f"P{i}", name=f"Phường {i}", ward=True, parent=city)
    demo.seed()
    page = browser.new_page(viewport={"width": 360, "height": 740})
    page.goto(live_server.url + "/")
    page.screenshot(path="/tmp/website-shot/home-360.png", full_page=True)
    page.goto(live_server.url + "/van-ban/")
    page.screenshot(path="/tmp/website-shot/library-360.png", full_page=True)
