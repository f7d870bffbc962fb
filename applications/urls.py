from django.urls import path

from . import views

app_name = "applications"

urlpatterns = [
    path("", views.application_list, name="list"),
    path("new/<int:call_pk>/", views.application_create, name="create"),
    path("<int:pk>/", views.application_detail, name="detail"),
    path("<int:pk>/edit/", views.application_edit, name="edit"),
    path("<int:pk>/precheck/", views.precheck_partial, name="precheck"),
    path("<int:pk>/attachments/", views.attachment_upload, name="attachment_upload"),
    path("<int:pk>/attachments/<int:attachment_pk>/", views.attachment_download, name="attachment_download"),
    path("<int:pk>/transition/", views.application_transition, name="transition"),
    path("<int:pk>/assign/", views.assign_experts, name="assign"),
    path("<int:pk>/approve/", views.application_approve, name="approve"),
    path("<int:pk>/disqualify/", views.application_disqualify, name="disqualify"),
    path("<int:pk>/form.docx", views.form_docx, name="form_docx"),
    path("<int:pk>/form.pdf", views.form_pdf, name="form_pdf"),
    path("calls/", views.call_list, name="call_list"),
    path("calls/new/", views.call_create, name="call_create"),
    path("calls/<int:pk>/open/", views.call_open, name="call_open"),
    path("calls/<int:pk>/close/", views.call_close, name="call_close"),
    path("calls/<int:call_pk>/assign/", views.assign_batch, name="assign_batch"),
    path("calls/<int:pk>/summary/", views.review_summary, name="review_summary"),
    path("calls/<int:pk>/summary.xlsx", views.review_summary_xlsx, name="review_summary_xlsx"),
    path("calls/<int:pk>/proposed.xlsx", views.proposed_xlsx, name="proposed_xlsx"),
    path("reviews/", views.my_reviews, name="my_reviews"),
    path("reviews/<int:pk>/", views.review_detail, name="review_detail"),
    path("committee/", views.meeting_list, name="meeting_list"),
    path("committee/new/<int:call_pk>/", views.meeting_create, name="meeting_create"),
    path("committee/<int:pk>/", views.meeting_detail, name="meeting_detail"),
    path("committee/<int:pk>/vote/", views.meeting_vote, name="meeting_vote"),
    path("committee/<int:pk>/close/", views.meeting_close, name="meeting_close"),
    path("publicity/", views.publicity_list, name="publicity_list"),
    path("publicity/new/<int:call_pk>/", views.publicity_create, name="publicity_create"),
    path("publicity/<int:pk>/", views.publicity_detail, name="publicity_detail"),
    path("publicity/<int:pk>/notice.pdf", views.publicity_pdf, name="publicity_pdf"),
    path("publicity/<int:pk>/object/<int:app_pk>/", views.objection_lodge, name="objection_lodge"),
    path("objections/<int:pk>/", views.objection_detail, name="objection_detail"),
    path("objections/<int:pk>/evidence/", views.objection_evidence, name="objection_evidence"),
]
