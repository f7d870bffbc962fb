from django.urls import path

from . import picker, views

app_name = "studios"

urlpatterns = [
    path("", views.studio_list, name="list"),
    path("export.xlsx", views.studio_list_export, name="list_export"),
    path("register/", views.register, name="register"),
    path("register/import/", views.register_import, name="register_import"),
    path("register/people/", picker.people_search, name="people_search"),
    path("register/template.xlsx", views.register_import_template, name="register_template"),
    path("letter-template/", views.letter_template, name="letter_template"),
    path("<int:pk>/", views.studio_detail, name="detail"),
    path("<int:pk>/approval-notice.pdf", views.approval_notice, name="approval_notice"),
    path("<int:pk>/members/add/", views.member_add, name="member_add"),
    path("<int:pk>/members/search/", picker.member_search, name="member_search"),
    path("<int:pk>/members/<int:membership_pk>/remove/", views.member_remove, name="member_remove"),
    path("<int:pk>/contacts/", views.contacts_set, name="contacts"),
    path("<int:pk>/exceptions/new/", views.exception_new, name="exception_new"),
    path("<int:pk>/exceptions/<int:exception_pk>/resolve/", views.exception_resolve, name="exception_resolve"),
    path("<int:pk>/letters/generate/", views.letter_generate, name="letter_generate"),
    path("<int:pk>/letters/<int:letter_pk>/letter.docx", views.letter_docx, name="letter_docx"),
    path("<int:pk>/letters/<int:letter_pk>/letter.pdf", views.letter_pdf, name="letter_pdf"),
    path("<int:pk>/letters/<int:letter_pk>/scan/", views.letter_scan, name="letter_scan"),
    path("<int:pk>/letters/<int:letter_pk>/sign/", views.letter_sign, name="letter_sign"),
]
