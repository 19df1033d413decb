"""The application's URLs plus ``/bench/bare/``: one ORM insert behind token authentication."""

from __future__ import annotations

from django.urls import path
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from ramunet.edc.api.base import ServiceView
from ramunet.edc.crfs.models import Haematology
from ramunet.edc.urls import urlpatterns as app_urls


class BareInsert(APIView):
    """The floor: authenticate the token (as the API does), parse JSON, insert one row,
    answer 201."""

    authentication_classes = ServiceView.authentication_classes

    def post(self, request: Request, patient_id: int) -> Response:
        values = request.data["values"]
        row = Haematology.objects.create(patient_id=patient_id, **values)
        return Response({"id": row.pk}, status=201)


urlpatterns = [*app_urls, path("bench/bare/<int:patient_id>/", BareInsert.as_view())]
