"""OAuth allow-list (agent/oauth.py): who may sign in, which addresses count, when OAuth is configured."""

from __future__ import annotations

import pytest

from agent import oauth
from agent.settings import Settings

ALLOWED = ("Ann@Company.com", "@partner.example", "  ", "not-an-address", "@")


@pytest.mark.parametrize(
    ("email", "ok"),
    [
        ("ann@company.com", True),
        ("ANN@COMPANY.COM", True),
        (" ann@company.com ", True),
        ("bob@company.com", False),  # the address is listed, not its domain
        ("zoe@partner.example", True),
        ("Zoe@PARTNER.example", True),
        ("zoe@sub.partner.example", False),  # exact domain only
        ("zoe@evilpartner.example", False),
        ("zoe@partner.example.evil", False),
        ("ann@company.com@evil.example", False),
        ("partner.example", False),
        ("@partner.example", False),
        ("not-an-address", False),
        ("", False),
    ],
)
def test_allow_list(email, ok):
    assert oauth.is_allowed(email, ALLOWED) is ok


def test_empty_allow_list_admits_nobody():
    assert not oauth.is_allowed("ann@company.com", ())
    assert oauth.admit("google", {"email": "ann@company.com"}, "ann@company.com", ()) is None
    warnings = oauth.startup_warnings(())
    assert len(warnings) == 1 and "nobody" in warnings[0] and oauth.SETTING in warnings[0]


def test_startup_warnings_name_ignored_entries():
    (warning,) = oauth.startup_warnings(ALLOWED)
    assert "not-an-address" in warning and "'@domain'" in warning
    assert oauth.startup_warnings(("ann@company.com",)) == []
    assert len(oauth.startup_warnings(("company.com",))) == 2  # invalid, and so effectively empty


def test_setting_is_read_from_the_environment(monkeypatch):
    monkeypatch.setenv("CUSTFIN_OAUTH_ALLOWED", " ann@company.com, @partner.example ,,")
    assert Settings().oauth_allowed == ("ann@company.com", "@partner.example")
    monkeypatch.delenv("CUSTFIN_OAUTH_ALLOWED")
    assert Settings().oauth_allowed == ()


def test_github_counts_only_verified_emails():
    raw = {
        "login": "octo",
        "email": "ann@company.com",  # the public profile address is not what counts
        "emails": [
            {"email": "ann@company.com", "verified": False, "primary": True},
            {"email": "octo@partner.example", "verified": True, "primary": False},
        ],
    }
    assert oauth.verified_emails("github", raw) == ["octo@partner.example"]
    assert oauth.admit("github", raw, "octo", ALLOWED) == "octo"  # identifier stays the login
    raw["emails"][1]["verified"] = False
    assert oauth.admit("github", raw, "octo", ALLOWED) is None
    assert oauth.verified_emails("github", {"login": "octo", "emails": {"message": "error"}}) == []


def test_azure_ad_uses_the_user_principal_name_not_mail():
    raw = {"userPrincipalName": "ann@company.com", "mail": "x@elsewhere.example"}
    assert oauth.verified_emails("azure-ad", raw) == ["ann@company.com"]
    forged = {"userPrincipalName": "eve@evil.onmicrosoft.com", "mail": "ann@company.com"}
    assert oauth.admit("azure-ad", forged, "eve@evil.onmicrosoft.com", ALLOWED) is None
    assert oauth.admit("azure-ad-hybrid", raw, "ann@company.com", ALLOWED) == "ann@company.com"


@pytest.mark.parametrize(
    ("claims", "ok"),
    [
        ({}, True),  # no verification claim: the provider's e-mail is taken as given
        ({"email_verified": True}, True),
        ({"email_verified": "true"}, True),
        ({"email_verified": False}, False),
        ({"email_verified": "false"}, False),  # AWS Cognito sends strings
        ({"verified_email": False}, False),  # Google's userinfo
    ],
)
def test_unverified_email_claims_are_refused(claims, ok):
    raw = {"email": "ann@company.com", **claims}
    for provider in ("google", "keycloak", "generic", "okta"):
        assert (oauth.admit(provider, raw, "ann@company.com", ALLOWED) is not None) is ok


def test_identifier_is_the_providers_own():
    raw = {"email": "Ann@Company.com", "preferred_username": "ann"}
    assert oauth.admit("generic", raw, "Ann@Company.com", ALLOWED) == "Ann@Company.com"
    assert oauth.admit("generic", raw, "ann", ALLOWED) == "ann"  # OAUTH_GENERIC_USER_IDENTIFIER
    assert oauth.admit("generic", raw, None, ALLOWED) is None
    assert oauth.admit("generic", raw, " ", ALLOWED) is None
    assert oauth.admit("generic", {"preferred_username": "ann"}, "ann", ALLOWED) is None  # no e-mail


def test_names_of_other_accounts_are_refused():
    raw = {"email": "ann@company.com"}
    reserved = ["local", "admin", "ann@company.com"]
    assert oauth.admit("generic", raw, "local", ALLOWED, reserved) is None
    assert oauth.admit("generic", raw, "LOCAL", ALLOWED, reserved) is None
    assert oauth.admit("generic", raw, "Admin", ALLOWED, reserved) is None
    assert (
        oauth.admit(
            "github", {"emails": [{"email": "ann@company.com", "verified": True}]}, "admin", ALLOWED, reserved
        )
        is None
    )
    # The password user named by this very address is the same person: the sign-in is theirs.
    assert oauth.admit("generic", raw, "ann@company.com", ALLOWED, reserved) == "ann@company.com"
    assert oauth.admit("generic", raw, "ann", ALLOWED, reserved) == "ann"


PROVIDER_ENV = {
    "github": {"OAUTH_GITHUB_CLIENT_ID": "id", "OAUTH_GITHUB_CLIENT_SECRET": "secret"},
    "keycloak": {
        "OAUTH_KEYCLOAK_CLIENT_ID": "id",
        "OAUTH_KEYCLOAK_CLIENT_SECRET": "secret",
        "OAUTH_KEYCLOAK_REALM": "realm",
        "OAUTH_KEYCLOAK_BASE_URL": "http://127.0.0.1:1",
    },
    "generic": {
        "OAUTH_GENERIC_CLIENT_ID": "id",
        "OAUTH_GENERIC_CLIENT_SECRET": "secret",
        "OAUTH_GENERIC_AUTH_URL": "http://127.0.0.1:1/authorize",
        "OAUTH_GENERIC_TOKEN_URL": "http://127.0.0.1:1/token",
        "OAUTH_GENERIC_USER_INFO_URL": "http://127.0.0.1:1/userinfo",
        "OAUTH_GENERIC_SCOPES": "openid email",
    },
}


@pytest.fixture
def no_oauth_env(monkeypatch):
    from chainlit.oauth_providers import providers

    for provider in providers:
        for name in provider.env:
            monkeypatch.delenv(name, raising=False)
    return monkeypatch


def test_configured_follows_chainlits_provider_variables(no_oauth_env):
    monkeypatch = no_oauth_env
    assert not oauth.configured() and oauth.configured_providers() == []
    monkeypatch.setenv("OAUTH_GITHUB_CLIENT_ID", "id")  # half a provider is not configured
    assert not oauth.configured()
    for provider, env in PROVIDER_ENV.items():
        for name, value in env.items():
            monkeypatch.setenv(name, value)
        assert provider in oauth.configured_providers()
    assert oauth.configured()
    monkeypatch.setenv("OAUTH_GENERIC_SCOPES", "")
    assert "generic" not in oauth.configured_providers()
