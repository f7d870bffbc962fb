from django.contrib.auth.decorators import login_required
from django.http import HttpResponse


@login_required
def application_list(request):
    return HttpResponse("")


application_detail = call_list = my_reviews = meeting_list = publicity_list = application_list
