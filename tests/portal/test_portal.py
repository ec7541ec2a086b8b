from minsheng.core.plugins import minsheng_apps


def test_residents_land_on_the_portal_with_every_public_page(client, areas):
    response = client.get("/", follow=True)
    html = response.content.decode()
    assert response.redirect_chain[-1][0] == "/portal/"
    assert "测试区 公共服务" in html
    for app in minsheng_apps():
        for label, _url_name, _description in app.public:
            assert str(label) in html
