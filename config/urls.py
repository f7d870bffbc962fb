from django.conf import settings
from django.contrib import admin
from django.urls import include, path

admin.site.site_header = f"{settings.SCHOOL_NAME} {settings.PLATFORM_NAME}"
admin.site.site_title = settings.PLATFORM_NAME
admin.site.index_title = "系统管理"

# One way in (issue 8, defect 1): the admin's own login form is replaced by a redirect to accounts:login, which has
# the lockout and the audit. The admin's "login" URL name and its redirects keep working.
from accounts.views import admin_login  # noqa: E402

admin.site.login = admin_login

from config.api import api  # noqa: E402

urlpatterns = [
    path("", include("core.urls")),
    path("", include("workspace.urls")),
    path("accounts/", include("accounts.urls")),
    path("people/", include("people.urls")),
    path("applications/", include("applications.urls")),
    path("studios/", include("studios.urls")),
    path("plans/", include("plans.urls")),
    path("ledger/", include("ledger.urls")),
    path("funds/", include("funds.urls")),
    path("archive/", include("archive.urls")),
    path("news/", include("news.urls")),
    path("annual/", include("annual.urls")),
    path("evaluation/", include("evaluation.urls")),
    path("recommendations/", include("recommendations.urls")),
    path("oversight/", include("oversight.urls")),
    path("showcase/", include("showcase.urls")),
    path("insights/", include("insights.urls")),
    path("integrations/", include("integrations.urls")),
    path("system/", include("administration.urls")),
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
]

handler403 = "workspace.views.permission_denied"
handler404 = "core.views.page_not_found"
handler500 = "core.views.server_error"
