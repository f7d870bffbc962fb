from django.urls import path

from . import views

app_name = "evaluation"

urlpatterns = [
    path("", views.rounds, name="rounds"),
    path("export.xlsx", views.rounds_export, name="rounds_export"),
    path("new/", views.round_create, name="round_create"),
    path("mine/", views.my_scorecards, name="my_scorecards"),
    path("mine/export.xlsx", views.my_scorecards_export, name="my_scorecards_export"),
    path("<int:pk>/", views.round_detail, name="round"),
    path("<int:pk>/start/", views.round_start, name="round_start"),
    path("<int:pk>/recompute/", views.round_recompute, name="round_recompute"),
    path("<int:pk>/assign/", views.round_assign, name="round_assign"),
    path("<int:pk>/submit/", views.round_submit, name="round_submit"),
    path("<int:pk>/meeting/", views.round_meeting, name="round_meeting"),
    path("<int:pk>/vote/", views.round_vote, name="round_vote"),
    path("<int:pk>/decide/", views.round_decide, name="round_decide"),
    path("<int:pk>/results.xlsx", views.round_results, name="round_results"),
    path("scorecards/<int:pk>/", views.scorecard, name="scorecard"),
    path("scorecards/<int:pk>/adjust/", views.scorecard_adjust, name="scorecard_adjust"),
    path("scorecards/<int:pk>/veto/", views.scorecard_veto, name="scorecard_veto"),
    path("scorecards/<int:pk>/assign/", views.scorecard_assign, name="scorecard_assign"),
    path("scorecards/<int:pk>/grade/", views.scorecard_grade, name="scorecard_grade"),
    path("scorecards/<int:pk>/records/<slug:key>/", views.scorecard_records, name="scorecard_records"),
    path("scorecards/<int:pk>/notice.pdf", views.scorecard_notice, name="scorecard_notice"),
]
