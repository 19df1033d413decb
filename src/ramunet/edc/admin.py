"""The data managers' admin: every record readable, changes only through the services.

- Who: people holding the data manager role, and superusers (``EdcAdminSite.has_permission``);
  they sign in on the EDC's own login page (lock-out and audit), which the admin's login
  redirects to.
- What: every model of the centres, screening, visits, eCRF and audit apps, read-only and
  narrowed to the centres where the person may view patients (``access.scope``). Nothing is
  added or deleted here.
- Changes: a centre's details, with a reason, through ``audit.update`` (new centres through
  ``sites.services.create_centre``); locking a patient's casebook and freezing reviewed forms as
  actions calling ``locking.services``. No admin path writes a row around the audit service.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.apps import apps
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.auth.views import redirect_to_login
from django.db.models import Model, QuerySet
from django.http import HttpRequest, HttpResponse

from ramunet.clinical.errors import RamunetError
from ramunet.edc.audit import services as audit
from ramunet.edc.audit.models import AuditRecord, ChainHead
from ramunet.edc.crfs.models import FormRecord
from ramunet.edc.locking import services as locking
from ramunet.edc.screening.models import Patient
from ramunet.edc.sites import access
from ramunet.edc.sites import services as site_services
from ramunet.edc.sites.models import Centre
from ramunet.edc.sites.roles import Capability, Role

ADMIN_APPS = ("ramunet_sites", "screening", "visits", "crfs", "audit")
# how a row reaches its centre, tried in order (the first field the model has)
CENTRE_PATHS = (
    ("centre", "centre"),
    ("patient", "patient__centre"),
    ("lesion", "lesion__patient__centre"),
    ("assessment", "assessment__patient__centre"),
)


class EdcAdminSite(admin.AdminSite):
    site_header = "ramunet data management"
    site_title = "ramunet admin"
    index_title = "Records (read-only; changes through the services)"

    def has_permission(self, request: HttpRequest) -> bool:
        user = request.user
        if not (user.is_active and user.is_authenticated):
            return False
        return bool(user.is_superuser or Role.DATA_MANAGER in access.roles(user))

    def login(self, request: HttpRequest, extra_context: Any = None) -> HttpResponse:
        """Sign in on the EDC's login page (lock-out, audit), then come back."""
        return redirect_to_login(request.GET.get("next", request.path), settings.LOGIN_URL)


site = EdcAdminSite(name="edc_admin")
site.disable_action("delete_selected")


def centre_path(model: type[Model]) -> str | None:
    """The lookup from a row to its centre, ``pk`` for centres, None when not centre-bound."""
    if model is Centre:
        return "pk"
    names = {f.name for f in model._meta.get_fields()}
    return next((path for field, path in CENTRE_PATHS if field in names), None)


def scoped(queryset: QuerySet[Any], user: Any, path: str | None) -> QuerySet[Any]:
    """The rows of centres where ``user`` may view patients (superusers: every row)."""
    if user.is_superuser or path is None:
        return queryset
    return access.scope(queryset, user, Capability.VIEW_PATIENTS, path)


class ReadOnlyAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Every field shown, nothing added, changed or deleted (the services write)."""

    def get_list_display(self, request: HttpRequest) -> Any:
        return ["__str__", *[f.name for f in self.model._meta.concrete_fields[1:8]]]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        return scoped(super().get_queryset(request), request.user, centre_path(self.model))

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.admin_site.has_permission(request)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self.admin_site.has_permission(request)

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class AuditRecordAdmin(ReadOnlyAdmin):
    list_display = ["seq", "at", "actor", "action", "model", "object_pk", "patient", "centre"]
    list_filter = ["action", "centre"]
    search_fields = ["actor", "action", "patient"]

    def get_list_display(self, request: HttpRequest) -> Any:
        return self.list_display

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        records = super().get_queryset(request)
        ids = (
            None
            if request.user.is_superuser
            else access.centre_ids(request.user, Capability.VIEW_AUDIT)
        )
        if ids is None:
            return records
        codes = Centre.objects.filter(pk__in=ids).values_list("code", flat=True)
        return records.filter(centre__in=list(codes))


class PatientAdmin(ReadOnlyAdmin):
    actions = ["lock_casebooks"]

    @admin.action(description="Lock the selected patients' casebooks")
    def lock_casebooks(self, request: HttpRequest, queryset: QuerySet[Patient]) -> None:
        for patient in queryset:
            try:
                locking.lock_patient(request.user, patient)
            except RamunetError as error:
                self.message_user(request, f"{patient.code}: {error}", messages.ERROR)
            else:
                self.message_user(request, f"{patient.code} locked", messages.SUCCESS)


class FormAdmin(ReadOnlyAdmin):
    actions = ["freeze_forms"]

    @admin.action(description="Freeze the selected (reviewed) forms")
    def freeze_forms(self, request: HttpRequest, queryset: QuerySet[FormRecord]) -> None:
        for form in queryset.select_related("patient__centre"):
            try:
                locking.freeze_form(request.user, form)
            except RamunetError as error:
                self.message_user(request, f"#{form.pk}: {error}", messages.ERROR)
            else:
                self.message_user(request, f"#{form.pk} frozen", messages.SUCCESS)


class CentreChangeForm(forms.ModelForm):  # type: ignore[type-arg]
    """A centre's details; a change needs the version it started from and a reason."""

    expected_version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    reason = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 2}), help_text="why it changes"
    )

    class Meta:
        model = Centre
        fields = ["code", "name", "city", "country", "activated_on", "closed_on"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["expected_version"].initial = self.instance.version

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not self.instance.pk:
            return cleaned
        if not (cleaned.get("reason") or "").strip():
            self.add_error("reason", "a reason for the change is required")
        stored = Centre.objects.filter(pk=self.instance.pk).values_list("version", flat=True)
        if cleaned.get("expected_version") != stored.first():
            self.add_error(None, "someone changed this centre since you opened it; reload it")
        return cleaned


class CentreAdmin(ReadOnlyAdmin):
    form = CentreChangeForm

    def _manages(self, request: HttpRequest) -> bool:
        user = request.user
        return bool(
            self.admin_site.has_permission(request)
            and (user.is_superuser or access.can(user, Capability.MANAGE_PEOPLE))
        )

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._manages(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._manages(request)

    def get_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        if obj is None:
            return ["code", "name", "city", "activated_on"]
        return ["code", "name", "city", "country", "activated_on", "closed_on",
                "expected_version", "reason"]  # fmt: skip

    def save_model(self, request: HttpRequest, obj: Centre, form: Any, change: bool) -> None:
        # a superuser holds no role: acting by name, the service records who without a check
        actor: Any = request.user.get_username() if request.user.is_superuser else request.user
        if not change:
            saved = site_services.create_centre(
                actor, code=obj.code, name=obj.name, city=obj.city, activated_on=obj.activated_on
            )
            obj.pk, obj.version = saved.pk, saved.version
            return
        names = [n for n in form.changed_data if n not in ("reason", "expected_version")]
        if not names:
            return
        saved = audit.update(
            obj,
            {name: getattr(obj, name) for name in names},
            actor=actor,
            expected_version=form.cleaned_data["expected_version"],
            reason=form.cleaned_data["reason"].strip(),
            action="centre.changed",
        )
        obj.version = saved.version


def admin_class(model: type[Model]) -> type[admin.ModelAdmin]:  # type: ignore[type-arg]
    if model is Centre:
        return CentreAdmin
    if model is Patient:
        return PatientAdmin
    if model is AuditRecord:
        return AuditRecordAdmin
    if issubclass(model, FormRecord):
        return FormAdmin
    return ReadOnlyAdmin


def register_models() -> None:
    """Register every model of ``ADMIN_APPS`` (new eCRFs included) on the EDC admin site."""
    for label in ADMIN_APPS:
        for model in apps.get_app_config(label).get_models():
            if model is ChainHead or site.is_registered(model):
                continue
            site.register(model, admin_class(model))


register_models()
