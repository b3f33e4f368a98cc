"""TF_SMTP_URL as the mailer reads it."""

from __future__ import annotations

import pytest

from tf_notifications.mailer import SmtpMailer


def test_smtp_and_smtps_urls_give_host_port_and_login():
    plain = SmtpMailer("smtp://mail.example.com")
    assert (plain.host, plain.port, plain.secure, plain.username) == (
        "mail.example.com",
        25,
        False,
        "",
    )
    secure = SmtpMailer("smtps://ann%40shop.example:p%3Ass@mail.example.com")
    assert (secure.port, secure.secure) == (465, True)
    assert (secure.username, secure.password) == ("ann@shop.example", "p:ss")
    assert SmtpMailer("smtp://127.0.0.1:2525").port == 2525


@pytest.mark.parametrize("url", ["http://mail.example.com", "smtp://", "mail.example.com:25"])
def test_anything_else_is_refused_with_the_expected_shape(url):
    with pytest.raises(ValueError, match="smtp://host"):
        SmtpMailer(url)
