"""Centres, reference ranges, accounts and role memberships: every change audited."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pyotp
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from ramunet.clinical.errors import InvalidInput
from ramunet.clinical.units import analyte as lookup_analyte
from ramunet.edc.audit import services as audit
from ramunet.edc.sites.access import forget_grants, require
from ramunet.edc.sites.models import Account, Centre, Membership, ReferenceRange
from ramunet.edc.sites.roles import CENTRE_OPTIONAL_ROLES, SITE_ROLES, Capability, Role

MAX_FAILED_LOGINS = 5
LOCKOUT = dt.timedelta(minutes=15)


def _require_manager(actor: Any) -> None:
    if not isinstance(actor, str):  # "system" (the demo, migrations) acts as itself
        require(actor, Capability.MANAGE_PEOPLE)


@transaction.atomic
def create_centre(
    actor: Any, *, code: str, name: str, city: str = "", activated_on: dt.date | None = None
) -> Centre:
    _require_manager(actor)
    return audit.create(
        Centre(code=code, name=name, city=city, activated_on=activated_on),
        actor=actor,
        action="centre.created",
    )


@transaction.atomic
def add_reference_range(
    actor: Any,
    centre: Centre,
    *,
    analyte: str,
    unit: str,
    lln: Decimal | None,
    uln: Decimal | None,
    valid_from: dt.date,
    sex: str = "A",
) -> ReferenceRange:
    _require_manager(actor)
    known = lookup_analyte(analyte, "analyte")
    known.factor(unit, "unit")
    if lln is not None and uln is not None and lln > uln:
        raise InvalidInput("lln", f"lower limit {lln} is above the upper limit {uln}", lln)
    return audit.create(
        ReferenceRange(
            centre=centre,
            analyte=analyte,
            unit=unit,
            lln=lln,
            uln=uln,
            valid_from=valid_from,
            sex=sex,
        ),
        actor=actor,
        action="centre.reference_range.added",
    )


@transaction.atomic
def create_person(
    actor: Any,
    *,
    username: str,
    printed_name: str,
    password: str,
    email: str = "",
    must_change_password: bool = True,
    language: str = "en",
) -> Any:
    """Create a login with its account record; the password is checked and argon2-hashed."""
    _require_manager(actor)
    User = get_user_model()
    if User.objects.filter(username=username).exists():
        raise InvalidInput("username", "is already taken", username)
    user = User(username=username, email=email)
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise InvalidInput("password", " ".join(exc.messages)) from None
    user.set_password(password)
    user.save()
    audit.append(
        "people.user.created",
        actor=actor,
        data={"username": username, "email": email, "printed_name": printed_name},
    )
    audit.create(
        Account(
            user=user,
            printed_name=printed_name,
            must_change_password=must_change_password,
            language=language,
        ),
        actor=actor,
        action="people.account.created",
    )
    return user


@transaction.atomic
def grant_role(actor: Any, user: Any, role: Role | str, centre: Centre | None = None) -> Membership:
    """Give a person a role at a centre (site roles) or study-wide (central roles)."""
    _require_manager(actor)
    try:
        role = Role(role)
    except ValueError:
        raise InvalidInput("role", f"not recognised; expected {', '.join(Role)}", role) from None
    if role in SITE_ROLES and centre is None:
        raise InvalidInput("centre", f"the role {role.value} needs a centre")
    if centre is not None and role not in SITE_ROLES | CENTRE_OPTIONAL_ROLES:
        raise InvalidInput("centre", f"the role {role.value} is study-wide; give no centre")
    if Membership.objects.filter(user=user, role=role, centre=centre).exists():
        raise InvalidInput("role", "the person already holds this role there", role.value)
    membership = audit.create(
        Membership(user=user, role=role.value, centre=centre),
        actor=actor,
        action="people.role.granted",
    )
    forget_grants(user)
    return membership


@transaction.atomic
def revoke_role(actor: Any, membership: Membership, *, reason: str) -> None:
    _require_manager(actor)
    audit.delete(membership, actor=actor, reason=reason, action="people.role.revoked")
    forget_grants(membership.user)


def account_locked_out(account: Account | None, now: dt.datetime | None = None) -> bool:
    """Whether this account is inside its lock-out period (after repeated failed logins)."""
    moment = now or timezone.now()
    return bool(account and account.locked_until and account.locked_until > moment)


def is_locked_out(user: Any, now: dt.datetime | None = None) -> bool:
    return account_locked_out(Account.objects.filter(user=user).first(), now)


@transaction.atomic
def record_login(user: Any, *, success: bool) -> Account:
    """Count failed logins; the fifth in a row locks the account for 15 minutes."""
    account = Account.objects.get(user=user)
    if success:
        changes: dict[str, Any] = {"failed_logins": 0, "locked_until": None}
        action = "people.login.succeeded"
    else:
        failed = account.failed_logins + 1
        changes = {"failed_logins": failed}
        if failed >= MAX_FAILED_LOGINS:
            changes["locked_until"] = timezone.now() + LOCKOUT
        action = "people.login.failed"
    if all(getattr(account, k) == v for k, v in changes.items()):
        audit.append(action, actor=user.get_username())
        return account
    return audit.update(
        account,
        changes,
        actor=user.get_username(),
        expected_version=account.version,
        reason="login attempt",
        action=action,
    )


@transaction.atomic
def change_password(user: Any, old_password: str, new_password: str) -> None:
    if not user.check_password(old_password):
        raise InvalidInput("old_password", "is not the current password")
    try:
        validate_password(new_password, user)
    except ValidationError as exc:
        raise InvalidInput("new_password", " ".join(exc.messages)) from None
    user.set_password(new_password)
    user.save(update_fields=["password"])
    account = Account.objects.get(user=user)
    audit.update(
        account,
        {"must_change_password": False},
        actor=user,
        expected_version=account.version,
        reason="password changed",
        action="people.password.changed",
    ) if account.must_change_password else audit.append("people.password.changed", actor=user)


# -- two-factor authentication (RFC 6238 TOTP) ----------------------------------------------

TWO_FACTOR_ROLES = frozenset({Role.INVESTIGATOR, Role.DATA_MANAGER})


def two_factor_required(user: Any) -> bool:
    """Whether this person must use a second factor (study setting, investigator or DM)."""
    from django.conf import settings

    from ramunet.edc.sites.access import roles

    return bool(settings.REQUIRE_TWO_FACTOR and roles(user) & TWO_FACTOR_ROLES)


def new_totp_secret() -> str:
    return pyotp.random_base32()


def provisioning_uri(user: Any, secret: str) -> str:
    """The otpauth:// URI an authenticator app reads (as text or QR code)."""
    return pyotp.TOTP(secret).provisioning_uri(name=user.get_username(), issuer_name="RamuNET")


def check_second_factor(user: Any, code: str) -> bool:
    """Whether ``code`` is the person's current TOTP code (one step of clock drift allowed)."""
    account = Account.objects.filter(user=user).first()
    if account is None or not account.totp_secret:
        return False
    return pyotp.TOTP(account.totp_secret).verify(code.strip(), valid_window=1)


@transaction.atomic
def enable_two_factor(user: Any, secret: str, code: str) -> Account:
    """Turn TOTP on once the person proves their app produces the right code."""
    if not pyotp.TOTP(secret).verify(code.strip(), valid_window=1):
        raise InvalidInput("code", "does not match the code of the authenticator app; try again")
    account = Account.objects.get(user=user)
    return audit.update(
        account,
        {"totp_secret": secret},
        actor=user,
        expected_version=account.version,
        reason="two-factor authentication enabled",
        action="people.two_factor.enabled",
    )


@transaction.atomic
def reset_two_factor(actor: Any, user: Any, *, reason: str) -> Account:
    """A data manager removes a lost authenticator; the person enrols again at next login."""
    _require_manager(actor)
    account = Account.objects.get(user=user)
    return audit.update(
        account,
        {"totp_secret": ""},
        actor=actor,
        expected_version=account.version,
        reason=reason,
        action="people.two_factor.reset",
    )
