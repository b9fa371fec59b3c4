from django.http import HttpResponse
from django.urls import path

from learning.catalogue import search
from learning.records import practice_views as practice
from learning.records import views as learner
from learning.teams import action_views as team_action
from learning.teams import views as team


def healthz(request):
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("learn/", learner.my_learning, name="my_learning"),
    path("learn/reviews/", practice.reviews, name="reviews"),
    path("learn/test-out/<int:module_id>/", practice.test_out, name="test_out"),
    path("go/<int:link_id>/", learner.reading_go, name="reading_go"),
    path("go/<int:link_id>/report/", learner.reading_report, name="reading_report"),
    path("certificates/<str:uid>/", learner.certificate, name="certificate"),
    path("certificates/<str:uid>/pdf/", learner.certificate_pdf, name="certificate_pdf"),
    path("certificates/verify/<str:uid>/", learner.certificate_verify, name="certificate_verify"),
    path("search/", search.search, name="search"),
    path("learn/manager-view/", team.my_manager_view, name="my_manager_view"),
    path("team/", team.team_list, name="team_list"),
    path("team/<int:team_id>/", team.team_detail, name="team_detail"),
    path("team/<int:team_id>/assign/", team_action.team_assign, name="team_assign"),
    path("team/<int:team_id>/unassign/", team_action.team_unassign, name="team_unassign"),
    path("team/<int:team_id>/remind/", team_action.team_remind, name="team_remind"),
    path("team/<int:team_id>/areas/", team.team_areas, name="team_areas"),
    path("team/<int:team_id>/member/<int:user_id>/", team.team_member, name="team_member"),
    path("team/<int:team_id>/export/<str:table>.<str:fmt>", team.team_export, name="team_export"),
]
