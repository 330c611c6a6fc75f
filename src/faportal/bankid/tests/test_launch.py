from faportal.bankid.launch import autostart_url

TOKEN = "46f6aa68-d4a4-43f0-9cfd-b6e5d6d1c0e9"


def test_desktop_uses_the_bankid_scheme_with_redirect_null():
    assert autostart_url(TOKEN, mobile=False) == f"bankid:///?autostarttoken={TOKEN}&redirect=null"


def test_desktop_ignores_a_redirect():
    assert autostart_url(TOKEN, mobile=False, redirect="https://portal.example/x").endswith("&redirect=null")


def test_mobile_uses_the_universal_link():
    assert autostart_url(TOKEN, mobile=True) == f"https://app.bankid.com/?autostarttoken={TOKEN}&redirect=null"


def test_mobile_redirect_is_url_encoded():
    url = autostart_url(TOKEN, mobile=True, redirect="https://portal.example/login/bankid?n=1&x=å")
    assert url == (
        f"https://app.bankid.com/?autostarttoken={TOKEN}"
        "&redirect=https%3A%2F%2Fportal.example%2Flogin%2Fbankid%3Fn%3D1%26x%3D%C3%A5"
    )
