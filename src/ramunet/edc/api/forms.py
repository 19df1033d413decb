"""Generic eCRF endpoints, one set per form model, built from the models themselves.

Every concrete ``FormRecord`` subclass with a ``FORM_CODE`` gets (``<FORM>`` is its code)::

    GET   /patients/<patient>/forms/<FORM>/              the patient's forms of that code
    POST  /patients/<patient>/forms/<FORM>/              {"visit": "C1D1", "values": {...}}
    GET   /patients/<patient>/forms/<FORM>/<id>/         one form
    PATCH /patients/<patient>/forms/<FORM>/<id>/         {"expected_version": 2, "reason": "...",
                                                          "values": {...changed fields}}
    GET   /patients/<patient>/forms/<FORM>/<id>/history/ its audit trail

A form added to ``ramunet.edc.crfs`` appears without new code: its serializers and views are
generated from the model (``form_models``), so the OpenAPI schema names its fields and types.
Form values are nested under ``values`` so that a form field may carry any name (the end of
treatment form has its own ``reason``). Writes go through ``crfs.services.save_form`` only.

Every response carries the ``version`` (send it back as ``expected_version``), the ``derived``
values with their provenance and the form's open ``discrepancies``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.apps import apps
from django.http import Http404
from django.urls import URLPattern, path
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from ramunet.clinical.errors import InvalidInput
from ramunet.edc.api.base import PATIENT_CODE, ServiceView, visible_patient
from ramunet.edc.api.bound_fields import copy_field, represent
from ramunet.edc.api.errors import error_responses as _errors
from ramunet.edc.api.serializers import AuditEntrySerializer, DiscrepancySerializer
from ramunet.edc.audit import services as audit
from ramunet.edc.crfs.models import Discrepancy, FormRecord
from ramunet.edc.crfs.services import SYSTEM_FIELDS, save_form
from ramunet.edc.screening.models import Patient
from ramunet.edc.sites import access
from ramunet.edc.sites.roles import Capability
from ramunet.edc.visits.models import Visit

FORM_ID = OpenApiParameter("form_id", int, OpenApiParameter.PATH, description="the form's id")


def form_models() -> list[type[FormRecord]]:
    """Every installed concrete eCRF model, by form code (new forms are found here)."""
    found = [
        model
        for model in apps.get_models()
        if issubclass(model, FormRecord) and not model._meta.abstract and model.FORM_CODE
    ]
    return sorted(found, key=lambda model: model.FORM_CODE)


def value_fields(model: type[FormRecord]) -> list[str]:
    """The fields a person enters (the visit is named apart, by its code)."""
    return [
        f.name
        for f in model._meta.concrete_fields
        if f.editable and f.name not in SYSTEM_FIELDS and f.name != "visit"
    ]


# -- serializers ---------------------------------------------------------------------------


class FormOutBase(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    form_code = serializers.CharField(source="FORM_CODE")
    patient = serializers.CharField(source="patient.code")
    visit = serializers.CharField(source="visit.code", allow_null=True, default=None)
    version = serializers.IntegerField(help_text="send back as expected_version to change")
    frozen = serializers.BooleanField()
    derived = serializers.JSONField(help_text="values derived by the system, with provenance")
    discrepancies = serializers.SerializerMethodField()

    @extend_schema_field(DiscrepancySerializer(many=True))
    def get_discrepancies(self, form: FormRecord) -> Any:
        by_form: dict[int, list[Discrepancy]] | None = self.context.get("discrepancies")
        rows = (
            by_form.get(form.pk, [])
            if by_form is not None
            else open_discrepancies(type(form), [form.pk]).get(form.pk, [])
        )
        return DiscrepancySerializer(rows, many=True).data

    def to_representation(self, instance: Any) -> dict[str, Any]:
        """DRF's representation, from fields bound once per class (``bound_fields``)."""
        return represent(type(self), self, instance)


def open_discrepancies(model: type[FormRecord], pks: Iterable[int]) -> dict[int, list[Discrepancy]]:
    rows = Discrepancy.objects.filter(
        form_model=model._meta.label, form_pk__in=list(pks), status=Discrepancy.Status.OPEN
    ).select_related("patient")
    grouped: dict[int, list[Discrepancy]] = defaultdict(list)
    for row in rows:
        grouped[row.form_pk].append(row)
    return grouped


class FormValuesBase(serializers.ModelSerializer):
    """A form's value fields; a key that is not one of them is refused, not ignored.

    A field naming another of the patient's records (a result's biosample) accepts only that
    patient's records, given as ``context["patient"]``.
    """

    def get_fields(self) -> dict[str, Any]:
        # the fields built from the model once per generated class (they depend on the model
        # only), then copied for each serializer as DRF copies declared fields
        generated = type(self)
        built: dict[str, Any] | None = generated.__dict__.get("_built_fields")
        if built is None:
            built = super().get_fields()
            generated._built_fields = built  # type: ignore[attr-defined]
        fields: dict[str, Any] = {name: copy_field(f) for name, f in built.items()}
        patient = self.context.get("patient")
        for field in fields.values():
            queryset = getattr(field, "queryset", None)
            if patient is None or queryset is None:
                continue
            if "patient" in {f.name for f in queryset.model._meta.get_fields()}:
                field.queryset = queryset.filter(patient=patient)
        return fields

    def get_validators(self) -> list[Any]:
        # DRF's unique-together validators, found once per generated class: they depend on
        # the model's constraints and the fields' sources, not on the request (DRF looks
        # them up for every serializer instance; no form model has any today)
        generated = type(self)
        built: list[Any] | None = generated.__dict__.get("_built_validators")
        if built is None:
            built = super().get_validators()
            generated._built_validators = built  # type: ignore[attr-defined]
        return list(built)

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, dict):
            allowed = set(self.fields)
            for key in data:
                if key not in allowed:
                    code = self.Meta.model.FORM_CODE
                    expected = ", ".join(sorted(allowed))
                    raise serializers.ValidationError(
                        {key: f"not a field of the {code} form; expected {expected}"},
                        code="unknown_field",
                    )
        return super().to_internal_value(data)


class FormSerializers:
    """The generated serializers of one form model."""

    def __init__(self, model: type[FormRecord]) -> None:
        name = model.__name__
        meta = type("Meta", (), {"model": model, "fields": value_fields(model)})
        self.values = type(f"{name}Values", (FormValuesBase,), {"Meta": meta})
        doc = f"A {model._meta.verbose_name} form ({model.FORM_CODE})."
        self.out = type(
            f"{name}Form", (FormOutBase,), {"values": self.values(source="*"), "__doc__": doc}
        )
        self.create = type(
            f"{name}FormCreate",
            (serializers.Serializer,),
            {
                "visit": serializers.CharField(
                    required=False, allow_null=True, default=None, help_text="visit code, C1D1"
                ),
                "values": self.values(),
                "__doc__": f"A new {model._meta.verbose_name} form.",
            },
        )
        self.update = type(
            f"{name}FormUpdate",
            (serializers.Serializer,),
            {
                "expected_version": serializers.IntegerField(
                    min_value=1, help_text="required: the version the change starts from"
                ),
                "reason": serializers.CharField(help_text="required: why the data change"),
                "visit": serializers.CharField(required=False, allow_null=True),
                "values": self.values(),
                "__doc__": f"A change of a {model._meta.verbose_name} form (changed fields).",
            },
        )


# -- views ---------------------------------------------------------------------------------


def _capabilities(model: type[FormRecord]) -> tuple[Capability, ...]:
    return (Capability.VIEW_PATIENTS, model.CAPABILITY)


def visit_of(patient: Patient, code: str | None) -> Visit | None:
    if not code:
        return None
    visit: Visit | None = Visit.objects.filter(patient=patient, code=code).first()
    if visit is None:
        codes = ", ".join(Visit.objects.filter(patient=patient).values_list("code", flat=True))
        raise InvalidInput("visit", f"not a visit of {patient.code}; expected {codes}", code)
    return visit


class FormListView(ServiceView):
    model: type[FormRecord]
    parts: FormSerializers

    def get(self, request: Request, patient_code: str) -> Response:
        patient = visible_patient(
            request.user, patient_code, _capabilities(self.model), ("centre",)
        )
        forms = list(
            self.model.objects.filter(patient=patient)
            .select_related("patient__centre", "visit")
            .order_by("form_date", "pk")
        )
        context = {"discrepancies": open_discrepancies(self.model, [f.pk for f in forms])}
        return Response(self.parts.out(forms, many=True, context=context).data)

    def post(self, request: Request, patient_code: str) -> Response:
        patient = visible_patient(
            request.user, patient_code, _capabilities(self.model), ("centre",)
        )
        given = self.parts.create(data=request.data, context={"patient": patient})
        given.is_valid(raise_exception=True)
        result = save_form(
            request.user,
            self.model,
            patient=patient,
            visit=visit_of(patient, given.validated_data["visit"]),
            values=given.validated_data["values"],
        )
        # a new form's open discrepancies are exactly those its save opened (in id order)
        context = {"discrepancies": {result.form.pk: list(result.opened)}}
        return Response(
            self.parts.out(result.form, context=context).data, status=status.HTTP_201_CREATED
        )


def stored_form(
    model: type[FormRecord], request: Request, patient_code: str, form_id: int
) -> FormRecord:
    """The patient's form ``form_id`` of ``model`` if in the person's scope; 404 otherwise."""
    patient = visible_patient(request.user, patient_code, _capabilities(model), ("centre",))
    form: FormRecord | None = (
        model.objects.select_related("patient__centre", "visit")
        .filter(patient=patient, pk=form_id)
        .first()
    )
    if form is None:
        raise Http404(f"{patient_code} has no {model.FORM_CODE} form {form_id}")
    return form


class FormDetailView(ServiceView):
    model: type[FormRecord]
    parts: FormSerializers

    def get(self, request: Request, patient_code: str, form_id: int) -> Response:
        return Response(
            self.parts.out(stored_form(self.model, request, patient_code, form_id)).data
        )

    def patch(self, request: Request, patient_code: str, form_id: int) -> Response:
        form = stored_form(self.model, request, patient_code, form_id)
        given = self.parts.update(
            data=request.data, partial=True, context={"patient": form.patient}
        )
        given.is_valid(raise_exception=True)
        values = dict(given.validated_data.get("values", {}))
        if "visit" in given.validated_data:
            values["visit"] = visit_of(form.patient, given.validated_data["visit"])
        result = save_form(
            request.user,
            self.model,
            patient=form.patient,
            values=values,
            instance=form,
            expected_version=given.validated_data.get("expected_version"),
            reason=given.validated_data.get("reason", ""),
        )
        return Response(self.parts.out(result.form).data)


class FormHistoryView(ServiceView):
    model: type[FormRecord]
    parts: FormSerializers

    def get(self, request: Request, patient_code: str, form_id: int) -> Response:
        form = stored_form(self.model, request, patient_code, form_id)
        access.require(request.user, Capability.VIEW_AUDIT, form.patient.centre_id)
        entries = audit.history(form._meta.label, str(form.pk))
        return Response(AuditEntrySerializer(list(entries), many=True).data)


def _own(method: Any) -> Any:
    """A copy of ``method`` for one generated view (the schema annotation is per function)."""

    def view_method(self: Any, *args: Any, **kwargs: Any) -> Any:
        return method(self, *args, **kwargs)

    view_method.__name__ = method.__name__
    view_method.__doc__ = method.__doc__
    return view_method


def form_views(model: type[FormRecord]) -> tuple[type[Any], type[Any], type[Any]]:
    """The list, detail and history views of one form model, with their schema."""
    parts = FormSerializers(model)
    name = model.__name__
    tags = [f"forms: {model.FORM_CODE}"]
    attrs: dict[str, Any] = {"model": model, "parts": parts}
    on_patient = [PATIENT_CODE]
    on_form = [PATIENT_CODE, FORM_ID]
    if model.SERVICE:  # written by its own service and endpoints (e.g. api/tumour.py)
        attrs["http_method_names"] = ["get", "head", "options"]
    listing = type(f"{name}ListView", (FormListView,), dict(attrs))
    listing.get = extend_schema(  # type: ignore[method-assign]
        parameters=on_patient, tags=tags,
        responses={200: parts.out(many=True), **_errors(403, 404)},
        summary=f"The patient's {model._meta.verbose_name} forms",
    )(_own(FormListView.get))  # fmt: skip
    listing.post = extend_schema(  # type: ignore[method-assign]
        parameters=on_patient, tags=tags, request=parts.create,
        responses={201: parts.out, **_errors(400, 403, 404, 423)},
        summary=f"Enter a {model._meta.verbose_name} form",
    )(_own(FormListView.post))  # fmt: skip
    detail = type(f"{name}DetailView", (FormDetailView,), dict(attrs))
    detail.get = extend_schema(  # type: ignore[method-assign]
        parameters=on_form, tags=tags, responses={200: parts.out, **_errors(403, 404)},
        summary=f"One {model._meta.verbose_name} form",
    )(_own(FormDetailView.get))  # fmt: skip
    detail.patch = extend_schema(  # type: ignore[method-assign]
        parameters=on_form, tags=tags, request=parts.update,
        responses={200: parts.out, **_errors(400, 403, 404, 409, 423)},
        summary=f"Change a {model._meta.verbose_name} form (expected_version and reason)",
    )(_own(FormDetailView.patch))  # fmt: skip
    history = type(f"{name}HistoryView", (FormHistoryView,), dict(attrs))
    history.get = extend_schema(  # type: ignore[method-assign]
        parameters=on_form, tags=tags,
        responses={200: AuditEntrySerializer(many=True), **_errors(403, 404)},
        summary=f"The audit trail of a {model._meta.verbose_name} form",
    )(_own(FormHistoryView.get))  # fmt: skip
    return listing, detail, history


def form_urls() -> list[URLPattern]:
    """The URL patterns of every form model, below ``patients/<patient_code>/forms/``: the
    form's code, its id and its history (called once, when the URLconf loads)."""
    patterns = []
    for model in form_models():
        listing, detail, history = form_views(model)
        code = model.FORM_CODE
        lower = code.lower()
        patterns += [
            path(f"{code}/", listing.as_view(), name=f"form-{lower}-list"),
            path(f"{code}/<int:form_id>/", detail.as_view(), name=f"form-{lower}-detail"),
            path(
                f"{code}/<int:form_id>/history/",
                history.as_view(),
                name=f"form-{lower}-history",
            ),
        ]
    return patterns


class FormCatalogueSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    repeating = serializers.BooleanField()
    capability = serializers.CharField(help_text="what a person needs to enter it")
    fields = serializers.ListField(child=serializers.CharField())


class FormCatalogue(ServiceView):
    @extend_schema(responses={200: FormCatalogueSerializer(many=True)}, tags=["forms"])
    def get(self, request: Request) -> Response:
        """The eCRFs the API serves, with their value fields."""
        rows = [
            {
                "code": model.FORM_CODE,
                "name": str(model._meta.verbose_name),
                "repeating": model.REPEATING,
                "capability": model.CAPABILITY.value,
                "fields": value_fields(model),
            }
            for model in form_models()
        ]
        return Response(FormCatalogueSerializer(rows, many=True).data)


__all__ = ["FormCatalogue", "form_models", "form_urls", "open_discrepancies", "visit_of"]
