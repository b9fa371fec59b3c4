from django.http import HttpResponse
from django.urls import path

from learning.views import learner, search


def healthz(request):
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("learn/", learner.my_learning, name="my_learning"),
    path("go/<int:link_id>/", learner.reading_go, name="reading_go"),
    path("certificates/<str:uid>/", learner.certificate, name="certificate"),
    path("certificates/verify/<str:uid>/", learner.certificate_verify, name="certificate_verify"),
    path("search/", search.search, name="search"),
]
