from django.urls import path

from . import otp_views, self_service, sso_views, views

app_name = "accounts"

urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", views.logout_view, name="logout"),
    path("cas/login/", sso_views.cas_login, name="cas_login"),
    path("cas/callback/", sso_views.cas_callback, name="cas_callback"),
    path("password/", views.password_change, name="password_change"),
    path("password/reset/", views.password_reset, name="password_reset"),
    path("password/reset/<str:uidb64>/<str:token>/", views.password_reset_confirm, name="password_reset_confirm"),
    path("activate/<str:uidb64>/<str:token>/", views.activate, name="activate"),
    path("me/", self_service.profile, name="profile"),
    path("otp/", otp_views.otp_verify, name="otp_verify"),
    path("otp/setup/", otp_views.otp_enrol, name="otp_enrol"),
    path("otp/recovery-codes/", otp_views.otp_recovery_regenerate, name="otp_recovery_regenerate"),
    path("users/", views.user_list, name="user_list"),
    path("users/export.xlsx", views.user_list_export, name="user_list_export"),
    path("users/<int:pk>/", views.user_detail, name="user_detail"),
    path("users/<int:pk>/activation/", views.issue_activation, name="issue_activation"),
    path("tokens/", views.token_list, name="token_list"),
    path("tokens/<int:pk>/revoke/", views.token_revoke, name="token_revoke"),
]
