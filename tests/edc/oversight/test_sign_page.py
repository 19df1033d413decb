"""The e-signature page: what is signed, password re-entry, refusals kept, invalidation."""

from __future__ import annotations

from django.urls import reverse

from ramunet.edc.audit.models import AuditRecord
from ramunet.edc.review import services as review
from ramunet.edc.review.models import Signature
from tests.factories import PASSWORD, edit_haem


def sign_url(patient):
    return reverse("oversight:sign", args=[patient.code])


def test_page_shows_the_casebook_digest_and_the_meaning(signed_in, investigator_a, patient, haem):
    response = signed_in(investigator_a).get(sign_url(patient))
    assert response.status_code == 200
    digest, count = review.casebook_digest(patient)
    body = response.content.decode()
    assert digest in body
    assert response.context["forms_count"] == count
    assert "confirm that they are accurate and complete" in body


def test_investigator_signs_with_the_password(signed_in, investigator_a, patient, haem):
    response = signed_in(investigator_a).post(sign_url(patient), {"password": PASSWORD})
    assert response.status_code == 302
    signature = Signature.objects.get()
    assert signature.casebook_digest == review.casebook_digest(patient)[0]
    assert review.signature_status(patient).valid


def test_wrong_password_is_refused_on_the_field_and_the_refusal_audited(
    signed_in, investigator_a, patient, haem
):
    response = signed_in(investigator_a).post(sign_url(patient), {"password": "wrong-one"})
    assert response.status_code == 400
    assert response.context["form"].errors["password"] == [
        "the password is not correct; the casebook was not signed"
    ]
    assert not Signature.objects.exists()
    assert AuditRecord.objects.filter(action="review.signature.refused").count() == 1


def test_empty_password_is_a_required_field(signed_in, investigator_a, patient, haem):
    response = signed_in(investigator_a).post(sign_url(patient), {"password": ""})
    assert response.status_code == 400
    assert "password" in response.context["form"].errors
    assert not Signature.objects.exists()


def test_signing_an_empty_casebook_is_refused_with_the_reason(signed_in, investigator_a, patient):
    response = signed_in(investigator_a).post(sign_url(patient), {"password": PASSWORD})
    assert response.status_code == 400
    assert response.context["error"]["rule"] == (
        f"the casebook of {patient.code} has no forms to sign"
    )


def test_change_after_signing_shows_the_signature_invalidated(
    signed_in, investigator_a, nurse_a, patient, haem
):
    client = signed_in(investigator_a)
    client.post(sign_url(patient), {"password": PASSWORD})
    edit_haem(nurse_a, haem, "2.2")
    response = client.get(sign_url(patient))
    assert response.context["status"].signed and not response.context["status"].valid
    assert "no longer holds" in response.content.decode()


def test_nurse_cannot_sign(signed_in, nurse_a, patient, haem):
    assert signed_in(nurse_a).get(sign_url(patient)).status_code == 403


def test_monitor_cannot_sign(signed_in, monitor, patient, haem):
    assert signed_in(monitor).post(sign_url(patient), {"password": PASSWORD}).status_code == 403
    assert not Signature.objects.exists()


def test_unknown_patient_is_not_found(signed_in, investigator_a):
    assert signed_in(investigator_a).get("/oversight/patients/HAL-999/sign/").status_code == 404


def enrol(user):
    import pyotp

    from ramunet.edc.sites import services

    secret = services.new_totp_secret()
    totp = pyotp.TOTP(secret)
    services.enable_two_factor(user, secret, totp.now())
    return totp


def test_with_two_factor_the_code_is_asked_and_a_wrong_one_refused(
    signed_in, investigator_a, patient, haem
):
    enrol(investigator_a)
    client = signed_in(investigator_a)
    assert 'id="id_otp"' in client.get(sign_url(patient)).content.decode()
    response = client.post(sign_url(patient), {"password": PASSWORD, "otp": "000000"})
    assert response.status_code == 400
    assert response.context["form"].errors["otp"] == [
        "the authenticator code is not correct; the casebook was not signed"
    ]
    assert not Signature.objects.exists()


def test_with_two_factor_password_and_code_sign(signed_in, investigator_a, patient, haem):
    totp = enrol(investigator_a)
    response = signed_in(investigator_a).post(
        sign_url(patient), {"password": PASSWORD, "otp": totp.now()}
    )
    assert response.status_code == 302
    assert Signature.objects.count() == 1


def test_without_two_factor_no_code_field_is_shown(signed_in, investigator_a, patient, haem):
    assert 'id="id_otp"' not in signed_in(investigator_a).get(sign_url(patient)).content.decode()
