"""Roles are scoped to centres: each role against each capability, own and other centre."""

from __future__ import annotations

import json

import pytest

from ramunet.clinical.errors import InvalidInput, PermissionRefused
from ramunet.edc.audit.models import AuditRecord
from ramunet.edc.sites import access, services
from ramunet.edc.sites.models import Centre, Membership
from ramunet.edc.sites.roles import Capability as C
from tests.factories import make_person


@pytest.mark.parametrize(
    ("persona", "capability", "own_centre", "other_centre"),
    [
        ("investigator_a", C.ENTER_DATA, True, False),
        ("investigator_a", C.SIGN, True, False),
        ("investigator_a", C.REVIEW, False, False),
        ("nurse_a", C.ENTER_DATA, True, False),
        ("nurse_a", C.SIGN, False, False),
        ("nurse_a", C.REGISTER, True, False),
        ("monitor", C.VERIFY_SOURCE, True, True),
        ("monitor", C.ENTER_DATA, False, False),
        ("data_manager", C.REVIEW, True, True),
        ("data_manager", C.ENTER_DATA, False, False),
        ("data_manager", C.EXPORT, True, True),
        ("biometrician", C.VIEW_PATIENTS, False, False),
        ("biometrician", C.EXPORT, True, True),
        ("sponsor", C.VIEW_AGGREGATE, True, True),
        ("sponsor", C.VIEW_PATIENTS, False, False),
    ],
)
def test_role_capability_at_own_and_other_centre(
    request, centre_a, centre_b, persona, capability, own_centre, other_centre
):
    user = request.getfixturevalue(persona)
    assert access.can(user, capability, centre_a) is own_centre
    assert access.can(user, capability, centre_b) is other_centre


def test_scope_limits_a_site_user_to_their_own_centre(investigator_a, centre_a, centre_b):
    visible = access.scope(Centre.objects.all(), investigator_a, C.VIEW_PATIENTS, "pk")
    assert list(visible) == [centre_a]


def test_scope_gives_study_wide_roles_every_centre(monitor, centre_a, centre_b):
    visible = access.scope(Centre.objects.all(), monitor, C.VIEW_PATIENTS, "pk")
    assert set(visible) == {centre_a, centre_b}


def test_scope_gives_a_role_without_the_capability_nothing(sponsor, centre_a):
    assert list(access.scope(Centre.objects.all(), sponsor, C.VIEW_PATIENTS, "pk")) == []


def test_refusal_names_the_person_the_role_and_the_centre(investigator_b, centre_a):
    with pytest.raises(PermissionRefused) as error:
        access.require(investigator_b, C.ENTER_DATA, centre_a)
    assert str(error.value) == "investigator.b (investigator) may not enter data at centre HAL"


def test_monitor_can_be_limited_to_assigned_centres(centre_a, centre_b):
    user = make_person("monitor.a", "monitor", centre_a)
    assert access.can(user, C.VERIFY_SOURCE, centre_a)
    assert not access.can(user, C.VERIFY_SOURCE, centre_b)


def test_site_role_without_a_centre_is_refused(db):
    with pytest.raises(InvalidInput) as error:
        make_person("nurse.x", "nurse", None)
    assert str(error.value) == "centre: the role nurse needs a centre"


def test_unknown_role_is_refused_with_the_roles_allowed(db):
    with pytest.raises(InvalidInput) as error:
        make_person("x", "janitor")
    assert str(error.value).startswith("role 'janitor': not recognised; expected investigator")


def test_granting_and_revoking_a_role_is_audited(data_manager, nurse_a, centre_b):
    membership = services.grant_role(data_manager, nurse_a, "nurse", centre_b)
    assert access.can(nurse_a, C.ENTER_DATA, centre_b)
    services.revoke_role(data_manager, membership, reason="moved back to Halle")
    assert not access.can(nurse_a, C.ENTER_DATA, centre_b)
    actions = [
        (r.actor, r.action, r.reason)
        for r in AuditRecord.objects.filter(model="ramunet_sites.Membership").order_by("seq")
    ][-2:]
    assert actions == [
        ("datamanager", "people.role.granted", ""),
        ("datamanager", "people.role.revoked", "moved back to Halle"),
    ]


def test_only_a_data_manager_may_change_roles(investigator_a, nurse_a, centre_b):
    with pytest.raises(PermissionRefused):
        services.grant_role(investigator_a, nurse_a, "nurse", centre_b)
    assert not Membership.objects.filter(user=nurse_a, centre=centre_b).exists()


def test_fifth_failed_login_locks_the_account(nurse_a):
    for _ in range(4):
        services.record_login(nurse_a, success=False)
    assert not services.is_locked_out(nurse_a)
    services.record_login(nurse_a, success=False)
    assert services.is_locked_out(nurse_a)
    failed = AuditRecord.objects.filter(action="people.login.failed").count()
    assert failed == 5


def test_password_is_hashed_with_argon2(nurse_a):
    assert nurse_a.password.startswith("argon2$")


def test_weak_password_is_refused_with_the_rule(db):
    from ramunet.edc.sites.services import create_person

    with pytest.raises(InvalidInput) as error:
        create_person("system", username="x", printed_name="X", password="12345678")
    assert error.value.field == "password"
    assert "too short" in str(error.value)


def test_user_creation_is_audited_without_the_password(nurse_a):
    record = AuditRecord.objects.get(action="people.user.created", payload__contains="nurse.a")
    assert "password" not in json.loads(record.payload)["data"]
