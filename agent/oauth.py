"""OAuth sign-in through Chainlit's providers: whether one is configured, and who may sign in.

A provider such as GitHub lets anyone with an account reach the sign-in callback, so nobody is admitted
until CUSTFIN_OAUTH_ALLOWED lists e-mail addresses and/or "@domain" entries (case-insensitive; a domain
entry matches that exact domain, not its subdomains). Only addresses the provider vouches for count:
GitHub's verified e-mails; Azure AD's userPrincipalName (its domain is verified by the tenant; the
editable ``mail`` attribute is ignored); for the other providers the ``email`` claim, unless the
provider marks it unverified (``email_verified`` / ``verified_email`` false).
"""

from __future__ import annotations

import logging
from collections.abc import Collection, Iterable, Mapping
from typing import Any

log = logging.getLogger("custfin.oauth")

SETTING = "CUSTFIN_OAUTH_ALLOWED"
_UPN_PROVIDERS = frozenset({"azure-ad", "azure-ad-hybrid"})
_VERIFIED_FLAGS = ("email_verified", "verified_email")


def configured_providers() -> list[str]:
    """Ids of the Chainlit OAuth providers whose environment variables are all set (Chainlit's own rule)."""
    from chainlit.oauth_providers import get_configured_oauth_providers  # heavy import, only when asked

    return list(get_configured_oauth_providers())


def configured() -> bool:
    return bool(configured_providers())


def normalise_email(value: object) -> str | None:
    """Lower-case address with one "@" and both parts non-empty, else None."""
    if not isinstance(value, str):
        return None
    text = value.strip().lower()
    local, at, domain = text.partition("@")
    if not (at and local and domain) or "@" in domain or any(c.isspace() for c in text):
        return None
    return text


def parse_allowed(allowed: Iterable[str]) -> tuple[frozenset[str], frozenset[str], list[str]]:
    """(addresses, domains, invalid entries) of the allow-list."""
    addresses: set[str] = set()
    domains: set[str] = set()
    invalid: list[str] = []
    for entry in allowed:
        text = entry.strip().lower()
        if not text:
            continue
        domain = text[1:]
        if text.startswith("@") and domain and "@" not in domain and not any(c.isspace() for c in domain):
            domains.add(domain)
        elif (address := normalise_email(text)) is not None:
            addresses.add(address)
        else:
            invalid.append(entry.strip())
    return frozenset(addresses), frozenset(domains), invalid


def is_allowed(email: str, allowed: Iterable[str]) -> bool:
    """True when the address, or its "@domain", is on the allow-list."""
    address = normalise_email(email)
    if address is None:
        return False
    addresses, domains, _ = parse_allowed(allowed)
    return address in addresses or address.rpartition("@")[2] in domains


def _false(flag: object) -> bool:
    return flag is False or (isinstance(flag, str) and flag.strip().lower() == "false")


def verified_emails(provider_id: str, raw_user_data: Mapping[str, Any]) -> list[str]:
    """The addresses this provider vouches for in its user data (normalised, in order, no repeats)."""
    if provider_id == "github":
        listed = raw_user_data.get("emails")
        entries = listed if isinstance(listed, list) else []
        candidates = [e.get("email") for e in entries if isinstance(e, Mapping) and e.get("verified") is True]
    elif provider_id in _UPN_PROVIDERS:
        candidates = [raw_user_data.get("userPrincipalName")]
    elif any(_false(raw_user_data.get(flag)) for flag in _VERIFIED_FLAGS):
        candidates = []
    else:
        candidates = [raw_user_data.get("email")]
    return list(dict.fromkeys(e for e in map(normalise_email, candidates) if e))


def admit(
    provider_id: str,
    raw_user_data: Mapping[str, Any],
    identifier: str | None,
    allowed: Iterable[str],
    reserved: Collection[str] = (),
) -> str | None:
    """The identifier to sign in with (the provider's own), or None when the sign-in is refused.

    Refused: no verified address on the allow-list, no identifier, or an identifier naming another
    account (``reserved``: the local user, password users) unless it is itself the verified address.
    """
    if not isinstance(identifier, str) or not identifier.strip():
        log.warning("custfin: OAuth sign-in refused (%s): the provider gave no identifier", provider_id)
        return None
    allowed = tuple(allowed)
    emails = [e for e in verified_emails(provider_id, raw_user_data) if is_allowed(e, allowed)]
    if not emails:
        log.warning(
            "custfin: OAuth sign-in refused for %r (%s): no verified e-mail on %s",
            identifier,
            provider_id,
            SETTING,
        )
        return None
    name = identifier.strip().lower()
    if name in {r.strip().lower() for r in reserved} and name not in emails:
        log.warning(
            "custfin: OAuth sign-in refused for %r (%s): that name belongs to another account",
            identifier,
            provider_id,
        )
        return None
    return identifier


def startup_warnings(allowed: Iterable[str]) -> list[str]:
    """What to tell the operator at start when OAuth is configured: an empty or partly invalid allow-list."""
    addresses, domains, invalid = parse_allowed(allowed)
    problems = []
    if invalid:
        problems.append(
            f"{SETTING} entries ignored (neither an e-mail address nor '@domain'): {', '.join(invalid)}"
        )
    if not (addresses or domains):
        problems.append(
            f"OAuth is configured but {SETTING} is empty: nobody can sign in through OAuth. "
            "List e-mail addresses and/or '@domain' entries, comma-separated."
        )
    return problems
