app_name = "studios"

urlpatterns = []
